"""BENCHMARKS.md from the raw results in ``benchmarks/results/*.json``.

A full run may cover only some parts (``--only``); the report then takes, for every
workload family and side, the latest full (non-smoke) run that measured it, and says which.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import scale_report
from .metrics import ISSUES, METRICS, Metric, value
from .targets import fmt

SIDES = ("lamin_kernel", "lamindb")
STATUS = {
    "unavailable": ("not available yet", "not available"),
    "offline": ("fails offline", "fails offline"),
    "incomplete": ("incomplete", "incomplete"),
    "error": ("error", "error"),
    "timeout": ("timeout", "timeout"),
    "skipped": ("skipped", "skipped"),
}
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s\"'<>()]+", re.IGNORECASE)


WHY_TARGETS_ARE_MISSED = [
    "## Why some targets are missed (read with the tables above)",
    "",
    "- Import + first query (4x) and `track()` + `finish()` (5x): both pay the same floor in a",
    "  fresh process. `import lamin_kernel` is ~0.02 s; the first query imports SQLModel and",
    "  SQLAlchemy (`import sqlmodel` alone is 0.25-0.35 s here, see the `-X importtime` lines",
    "  above), defines the registries (~0.09 s) and configures their mappers (~0.07 s). 4x",
    "  LaminDB's ~0.7 s leaves ~0.17 s, less than `import sqlmodel` by itself: out of reach",
    "  with SQLModel as the ORM (DESIGN.md), unless the first query ran without the registry",
    "  classes. Tracking's own code is ~15 ms (`track`) and ~2 ms (`finish`); the whole",
    "  tracked script is ~3x faster than LaminDB's. Done to get closer: `gc.freeze()` after",
    "  the first connection (exit no longer walks the ORM's objects: 0.56 -> 0.38 s).",
    "- JupyterLab pages (issue 15), measured at a load average of 10-15 on the 2 shared",
    "  cores: the lineage page lays out graphs over 150 nodes with a linear-time layered",
    "  layout (dagre took 0.7-5 s for the 528-node graph, the layered one 40-80 ms) and draws",
    "  its nodes once per layout (a zoom only moves their group). The artifact page starts",
    "  its sections' requests (preview, downstream runs, validation) together with the",
    "  record's detail instead of after it; its 100,000-artifact row was measured by",
    "  re-running that step alone on the run's kept instance (the step had failed on a",
    "  folder clash, fixed): medians of three such runs 0.41 s (before the requests were",
    "  started together), 0.32 s and 0.22 s; one of the last five clicks took 0.81 s, when",
    "  the page waited ~0.5 s after its last response on a busy machine.",
    "- REST list endpoints (issue 4) at 100,000 artifacts, p95 on the same busy machine:",
    "  `registries` counts the rows of every registry for the sidebar's menu (142 ms),",
    "  search ranks up to 1,000 candidates (177 ms); not worked on in this run.",
    "",
]


def clean(text: str) -> str:
    """Error text fit for the report: no URLs, no table-breaking pipes."""
    return URL.sub("<url>", str(text)).replace("|", "/").replace("\n", " ")


def load_runs(results: Path) -> list[dict]:
    runs = []
    for path in sorted(results.glob("*.json")):
        try:
            runs.append(json.loads(path.read_text()))
        except (OSError, json.JSONDecodeError):
            continue
    return sorted(runs, key=lambda r: r.get("run_id", ""))


def merge(runs: list[dict]) -> dict[str, dict[str, dict]]:
    """``{family: {impl: side}}`` from the latest run that has each; sides carry ``run_id``."""
    merged: dict[str, dict[str, dict]] = {}
    for run in runs:
        for family, sides in run.get("results", {}).items():
            for impl, side in sides.items():
                merged.setdefault(family, {})[impl] = dict(side, run_id=run["run_id"])
    return merged


def _status_text(status: str, impl: str) -> str:
    pair = STATUS.get(status)
    return pair[SIDES.index(impl)] if pair else status


def cell(metric: Metric, impl: str, side: dict | None) -> tuple[float | None, str, dict | None]:
    """The figure (or the reason there is none) of one side; also the step it came from."""
    if impl not in metric.impls:
        return None, "n/a", None
    if side is None:
        return None, "not run", None
    init = side.get("init", {})
    if init.get("status") != "ok":
        return None, _status_text(init.get("status", "error"), impl), None
    step = side.get("steps", {}).get(metric.case)
    if step is None:
        return None, "not run", None
    sub_error = (step.get("errors") or {}).get(metric.sub) if metric.sub else None
    if sub_error:
        return None, _status_text(sub_error["status"], impl), step
    v = value(metric, step)
    if v is None:
        status = step.get("status", "error")
        return None, _status_text(status if status != "ok" else "error", impl), step
    return v, fmt(v, metric.unit), step


def speedup(metric: Metric, kernel: float | None, lamindb: float | None) -> float | None:
    if not kernel or not lamindb:
        return None
    return lamindb / kernel if metric.better == "lower" else kernel / lamindb


def _row(metric: Metric, merged: dict) -> str:
    sides = merged.get(metric.family, {})
    k, k_text, k_step = cell(metric, "lamin_kernel", sides.get("lamin_kernel"))
    ldb, l_text, l_step = cell(metric, "lamindb", sides.get("lamindb"))
    ratio = speedup(metric, k, ldb)
    met = metric.target.met(k, ldb, ratio, k_step)
    met_text = {True: "yes", False: "**no**", None: "—"}[met]
    note = clean(metric.note(k_step, l_step)) if metric.note else ""
    ratio_text = f"{ratio:.2f}×" if ratio is not None else "—"
    return (
        f"| {metric.label} | {k_text} | {l_text} | {ratio_text} | "
        f"{metric.target.text() or '—'} | {met_text} | {note} |"
    )


def _problems(merged: dict) -> list[str]:
    lines = []
    for family, sides in merged.items():
        for impl in SIDES:
            side = sides.get(impl)
            if side is None:
                continue
            init = side.get("init", {})
            if init.get("status") != "ok":
                lines.append(
                    f"- {family} / {impl}: {init.get('status')}: {clean(init.get('error', ''))}"
                )
                continue
            for case, step in side.get("steps", {}).items():
                if step.get("status") != "ok":
                    lines.append(
                        f"- {family} / {case} / {impl}: {step.get('status')}: "
                        f"{clean(step.get('error', ''))}"
                    )
                for name, err in (step.get("errors") or {}).items():
                    lines.append(
                        f"- {family} / {case} / {impl} / {name}: {err['status']}: "
                        f"{clean(err['error'])}"
                    )
    return lines


def _import_breakdown(merged: dict) -> list[str]:
    lines = []
    for impl in SIDES:
        step = merged.get("import", {}).get(impl, {}).get("steps", {}).get("import_count", {})
        top = step.get("importtime_top_ms")
        if top:
            code = step.get("code", f"import {impl}")
            lines.append(
                f"`python -X importtime -c '{code}'`, slowest modules "
                "(cumulative ms): " + ", ".join(f"{n} {ms:g}" for n, ms in top.items())
            )
            lines.append("")
    return lines


def _machine(run: dict, runs: list[dict]) -> list[str]:
    m = run.get("machine", {})
    versions: dict[str, dict] = {}
    for r in [*runs, run]:
        versions.update(r.get("versions", {}))
    lines = [
        f"- machine: {m.get('nproc')} CPUs ({m.get('cpu')}), {m.get('memory_gb')} GB RAM, "
        f"{m.get('os')}"
    ]
    for impl, vers in versions.items():
        text = ", ".join(f"{k} {v}" for k, v in vers.items())
        lines.append(f"- {impl} side: {clean(text)}")
    return lines


def _load_range(merged: dict) -> str:
    loads = [
        step["load_avg_1m_at_start"]
        for sides in merged.values()
        for side in sides.values()
        for step in side.get("steps", {}).values()
        if "load_avg_1m_at_start" in step
    ]
    return f"{min(loads):.1f}–{max(loads):.1f}" if loads else "?"


HOW_TO = [
    "## How to run",
    "",
    "- `make bench` runs `python benchmarks/run.py` from the project's `.venv`; the first run "
    "creates `.bench-venv-lamindb/` (`pip install lamindb==2.12.*`, about a minute).",
    "- `--smoke`: small sizes, report in `benchmarks/results/<run>.md` (BENCHMARKS.md untouched).",
    "- `--only a,c,query,...`: some parts (a/import, b/track, c/dataframes, d/bigfile, "
    "e/query with the REST endpoints and the sidebar (aliases rest, sidebar), f/labels, g/validation, bionty, mapped); "
    "BENCHMARKS.md then keeps the other rows from earlier full runs on this machine.",
    "- `--impl lamin_kernel|lamindb`: one side only; `--keep`: keep the temporary instances; "
    "`--report-only`: rewrite this file from `benchmarks/results/*.json`.",
    "- `LAMIN_BENCH_<SIZE>=N` overrides a size (names in `benchmarks/workloads/_child.py`).",
    "",
]


def render(
    runs: list[dict],
    current: dict,
    *,
    merged: dict | None = None,
    document: Path = Path("BENCHMARKS.md"),
    scale_figure: Path = Path("benchmarks/figures/scale.svg"),
) -> str:
    """The whole markdown document (written to `document`; the scale family's figure to
    `scale_figure`)."""
    merged = merged if merged is not None else merge(runs)
    used = sorted({side["run_id"] for sides in merged.values() for side in sides.values()})
    smoke = " (SMOKE sizes: not comparable with the targets)" if current.get("smoke") else ""
    out = [
        "# Benchmarks: lamin_kernel next to LaminDB 2.12",
        "",
        f"Generated by `python benchmarks/run.py` (`make bench`){smoke}; the newest run is "
        f"{current.get('run_id')}. Each workload runs on both sides in the same run, each side in "
        "its own fresh process with its own temporary settings folder, home and instance; LaminDB "
        "runs from its own venv `.bench-venv-lamindb/` (offline, with `_is_on_hub = False` as in "
        "`shared/anchors/lamindb_bench.py`). Ratio = LaminDB time / lamin_kernel time (for "
        "throughputs lamin_kernel / LaminDB): above 1 means lamin_kernel is faster. Figures on "
        "these 2-core machines are noisy: compare within one run. Timings are never part of the "
        "tests.",
        "",
        *_machine(current, runs),
        f"- date: {current.get('started_at', '?')}; runs used: {', '.join(used) or 'none'}",
        f"- load average (1 min) when the measured steps started: {_load_range(merged)} "
        "(other work may share the machine)",
        "",
    ]
    for issue, title in ISSUES.items():
        out += [
            f"## Issue {issue}: {title}",
            "",
            "| workload | lamin_kernel | LaminDB 2.12 | ratio | target | met | notes |",
            "|---|---|---|---|---|---|---|",
        ]
        out += [_row(m, merged) for m in METRICS if m.issue == issue]
        out.append("")
    out += scale_report.section(merged, scale_figure, document)
    out += ["## Import time", "", *(_import_breakdown(merged) or ["(not measured)", ""])]
    out += WHY_TARGETS_ARE_MISSED
    problems = _problems(merged)
    out += [
        "## Not measured, failed or incomplete",
        "",
        *(problems or ["Nothing: every workload ran on both sides."]),
        "",
    ]
    out += HOW_TO
    return "\n".join(out).rstrip() + "\n"
