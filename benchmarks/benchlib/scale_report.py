"""The scale family in BENCHMARKS.md: a table per database, the targets, and a log-log figure.

Results come as ``steps["<db>/<N>/<case>"]["ops"][<operation>]`` (``workloads/scale.py``);
REST operations are reported by their p95, the others by their median.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .targets import fmt

DBS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
SIDES = ("lamin_kernel", "lamindb")


@dataclass(frozen=True)
class Op:
    name: str
    label: str
    unit: str = "ms"
    statistic: str = "median_s"
    indexed: bool = False  # a lookup by an indexed property: <= 10 ms at 1M, 10k -> 1M <= 2x


OPS = (
    Op("process_start", "process start: `import` + connect + `count()`", "s"),
    Op("get_key", "`Artifact.get(key=...)`", indexed=True),
    Op("get_uid", "`Artifact.get(uid)`", indexed=True),
    Op("prefix_dataframe", "`filter(key__startswith=...).to_dataframe()`, ~100 rows", indexed=True),
    Op("label_count", '`filter(ulabels__name="label3").count()`'),
    Op("label_page", "the same, first page: `to_dataframe(limit=100)`", indexed=True),
    Op("feature_count", "`filter(temperature=21.0).count()`"),
    Op("feature_page", "the same, first page: `to_dataframe(limit=100)`", indexed=True),
    Op("search_page", '`search("sample123")`, first page'),
    Op("ulabel_lookup", "`ULabel.lookup()` (50 labels)"),
    Op("artifact_lookup", "`Artifact.lookup()`", "s"),
    Op("registry_dataframe", "`Artifact.to_dataframe()` (default page)"),
    Op("describe", "`artifact.describe()`"),
    Op("lineage", "lineage of a node with 100 inputs and 100 outputs (graph data)"),
    Op("save_one", "save one small file artifact"),
    Op("save_1000", "`ln.save` of 1,000 file artifacts, with their construction", "s"),
    Op("link_1000", "`label.artifacts.add(*1,000 artifacts)`"),
    Op("delete_restore", "`artifact.delete()` + `artifact.restore()`"),
    Op("lamin_check", "`lamin check` (re-hashes every artifact)", "s"),
    Op("rest_list_page", "REST list page of 50, p95", statistic="p95_s"),
    Op("rest_search_page", "REST search page, p95", statistic="p95_s"),
    Op("rest_record_page", "REST record page, p95", statistic="p95_s"),
    Op("rest_lineage", "REST lineage of that node, p95", statistic="p95_s"),
)


REST_PAGES = ("rest_list_page", "rest_search_page", "rest_record_page")


def merge_steps(runs: list[dict], since: str = "") -> dict:
    """``{"scale": {impl: side}}`` whose steps (``<db>/<N>/<case>``) each come from the latest
    run (from `since` on, a run id) in which that step succeeded: the sizes of one table are
    usually measured in several runs (a registry of 1,000,000 takes an hour to build)."""
    sides: dict[str, dict] = {}
    for run in sorted(runs, key=lambda r: r.get("run_id", "")):
        if run.get("run_id", "") < since:
            continue
        for impl, side in run.get("results", {}).get("scale", {}).items():
            merged = sides.setdefault(impl, {"init": {"status": "ok"}, "steps": {}, "runs": []})
            for name, step in side.get("steps", {}).items():
                if step.get("status") == "ok":
                    merged["steps"][name] = dict(step, run_id=run["run_id"])
            merged["runs"].append(run["run_id"])
    return {"scale": sides}


def splice(document: str, section: list[str]) -> str:
    """`document` with its scale section (from its heading to the next ``## `` heading)
    replaced by `section`, or `section` added before "## Import time" when it has none."""
    lines = document.split("\n")
    heading = section[0]
    if heading in lines:
        start = lines.index(heading)
        end = next(
            (k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")), len(lines)
        )
    else:
        start = end = next(
            (k for k, line in enumerate(lines) if line == "## Import time"), len(lines)
        )
    return "\n".join(lines[:start] + section + lines[end:])


def figures(merged: dict) -> dict[tuple[str, str, str], dict[int, float]]:
    """(impl, db, op) -> {N: seconds}."""
    out: dict[tuple[str, str, str], dict[int, float]] = {}
    by_name = {op.name: op for op in OPS}
    for impl, side in merged.get("scale", {}).items():
        for step_name, step in side.get("steps", {}).items():
            db, n, _case = step_name.split("/")
            for name, values in (step.get("ops") or {}).items():
                op = by_name.get(name)
                value = values.get(op.statistic) if op else None
                if isinstance(value, int | float):
                    out.setdefault((impl, db, name), {})[int(n)] = float(value)
    return out


def peak_rss(merged: dict) -> dict[tuple[str, str], dict[int, float]]:
    """(impl, db) -> {N: peak RSS in MB of the process that ran every read}."""
    out: dict[tuple[str, str], dict[int, float]] = {}
    for impl, side in merged.get("scale", {}).items():
        for step_name, step in side.get("steps", {}).items():
            db, n, case = step_name.split("/")
            if case == "reads" and "peak_rss_mb" in step:
                out.setdefault((impl, db), {})[int(n)] = step["peak_rss_mb"]
    return out


def load_range(merged: dict) -> str:
    loads = [
        step["load_avg_1m_at_start"]
        for side in merged.get("scale", {}).values()
        for name, step in side.get("steps", {}).items()
        if "load_avg_1m_at_start" in step and not name.endswith("/build")
    ]
    return f"{min(loads):.1f}–{max(loads):.1f}" if loads else "?"


def _cell(values: dict[int, float], n: int, unit: str) -> str:
    return fmt(values[n], unit) if n in values else "—"


def _ratio(kernel: dict[int, float], lamindb: dict[int, float], n: int) -> str:
    if n in kernel and n in lamindb and kernel[n] > 0:
        return f"{lamindb[n] / kernel[n]:.1f}×"
    return "—"


def _loads_text(values: list[float]) -> str:
    return f"{min(values):.1f}–{max(values):.1f}" if values else "—"


def loads_by_size(merged: dict) -> dict[tuple[str, int], list[float]]:
    """(db, N) -> the 1-minute load averages when its measured cases (not builds) started."""
    out: dict[tuple[str, int], list[float]] = {}
    for side in merged.get("scale", {}).values():
        for name, step in side.get("steps", {}).items():
            db, n, case = name.split("/")
            if case != "build" and "load_avg_1m_at_start" in step:
                out.setdefault((db, int(n)), []).append(step["load_avg_1m_at_start"])
    return out


def table(data: dict, db: str, loads: dict | None = None) -> list[str]:
    sizes = sorted({n for (_, d, _), values in data.items() if d == db for n in values})
    if not sizes:
        return []
    lines = [
        f"### {DBS[db]}",
        "",
        "| operation | " + " | ".join(f"N = {n:,}" for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    if loads:
        lines.append(
            "| load average (1 min) at the cases' start | "
            + " | ".join(_loads_text(loads.get((db, n), [])) for n in sizes)
            + " |"
        )
    for op in OPS:
        kernel = data.get(("lamin_kernel", db, op.name), {})
        lamindb = data.get(("lamindb", db, op.name), {})
        if not kernel and not lamindb:
            continue
        cells = []
        for n in sizes:
            text = _cell(kernel, n, op.unit)
            if n in lamindb:
                text += f" / {_cell(lamindb, n, op.unit)} ({_ratio(kernel, lamindb, n)})"
            cells.append(text)
        lines.append(f"| {op.label} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def targets(data: dict, rss: dict) -> list[str]:
    """The issue's targets that the figures can judge, one line each."""
    lines = []
    for db in DBS:
        for op in OPS:
            kernel = data.get(("lamin_kernel", db, op.name), {})
            top = max(kernel, default=None)
            if not op.indexed or top is None or top < 1_000_000:
                continue
            growth = kernel[top] / kernel[10_000] if 10_000 in kernel else None
            met = kernel[top] <= 0.010 and (growth is None or growth <= 2)
            lines.append(
                f"- {DBS[db]}, {op.label}: {fmt(kernel[top], 'ms')} at N = {top:,} "
                f"(≤ 10 ms), 10k → 1M ×{growth:.1f} (≤ 2×): {'met' if met else '**not met**'}"
                if growth is not None
                else f"- {DBS[db]}, {op.label}: {fmt(kernel[top], 'ms')} at N = {top:,}"
            )
        bounds = [(f"{name} p95", name, n, 0.050) for name in REST_PAGES for n in (100_000,)]
        bounds += [("search first page", "search_page", 100_000, 0.050)]
        bounds += [("search first page", "search_page", 1_000_000, 0.100)]
        for label, name, n, limit in bounds:
            kernel = data.get(("lamin_kernel", db, name), {})
            if n in kernel:
                ok = "met" if kernel[n] <= limit else "**not met**"
                lines.append(
                    f"- {DBS[db]}, {label} at N = {n:,}: {fmt(kernel[n], 'ms')} "
                    f"(≤ {limit * 1000:.0f} ms): {ok}"
                )
        mb = rss.get(("lamin_kernel", db), {}).get(1_000_000)
        if mb is not None:
            ok = "met" if mb < 300 else "**not met**"
            lines.append(
                f"- {DBS[db]}, peak RSS of the reads process at 1M: {mb:.0f} MB (< 300 MB): {ok}"
            )
        for name, times in (("save_1000", 10), ("save_one", 4)):
            kernel = data.get(("lamin_kernel", db, name), {})
            lamindb = data.get(("lamindb", db, name), {})
            common = sorted(set(kernel) & set(lamindb))
            if common:
                ratios = [lamindb[n] / kernel[n] for n in common]
                ok = "met" if min(ratios) >= times else "**not met**"
                lines.append(
                    f"- {DBS[db]}, {name}: {min(ratios):.1f}–{max(ratios):.1f}× LaminDB "
                    f"(≥ {times}×): {ok}"
                )
    return lines


def rss_lines(rss: dict) -> list[str]:
    lines = []
    for (impl, db), values in sorted(rss.items()):
        text = ", ".join(f"{n:,}: {mb:.0f} MB" for n, mb in sorted(values.items()))
        lines.append(f"- {impl}, {DBS[db]}: {text}")
    return lines


def figure(data: dict, svg: Path) -> Path | None:
    """Write the log-log figure (SVG with kaleido, else self-contained HTML); its path."""
    try:
        import plotly.graph_objects as go
        from plotly.subplots import make_subplots
    except ImportError:
        return None
    ops = [op for op in OPS if any(k[2] == op.name for k in data)]
    cols = 4
    rows = (len(ops) + cols - 1) // cols
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[op.name for op in ops])
    colors = {"lamin_kernel": "#1f77b4", "lamindb": "#d62728"}
    dashes = {"sqlite": "solid", "postgres": "dash"}
    for k, op in enumerate(ops):
        for (impl, db, name), values in sorted(data.items()):
            if name != op.name:
                continue
            xs = sorted(values)
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=[values[x] for x in xs],
                    name=f"{impl} · {DBS[db]}",
                    legendgroup=f"{impl}{db}",
                    showlegend=k == 0,
                    line={"color": colors[impl], "dash": dashes[db]},
                ),
                row=k // cols + 1,
                col=k % cols + 1,
            )
    fig.update_xaxes(type="log")
    fig.update_yaxes(type="log")
    fig.update_layout(height=260 * rows, width=1300, title="time (s) against N artifacts, log-log")
    return _write_figure(fig, svg)


def _write_figure(fig: object, svg: Path) -> Path:
    svg.parent.mkdir(parents=True, exist_ok=True)
    html = svg.with_suffix(".html")
    try:
        fig.write_image(str(svg))  # kaleido
        html.unlink(missing_ok=True)
        return svg
    except Exception:  # noqa: BLE001 - no kaleido or no browser for it: the HTML instead
        fig.write_html(str(html), include_plotlyjs=True, full_html=True)
        svg.unlink(missing_ok=True)
        return html


def section(merged: dict, svg: Path, document: Path) -> list[str]:
    """The markdown of the scale family (empty when it has not run); the figure goes to
    `svg` (or beside it as HTML), linked relative to the markdown `document`."""
    data = figures(merged)
    if not data:
        return []
    rss = peak_rss(merged)
    written = figure(data, svg)
    path = os.path.relpath(written, document.parent) if written else None
    out = [
        "## Issue 19: speed at every size (family `scale`)",
        "",
        "Registries of N small file artifacts, each linked to one of 50 ULabels, carrying a "
        "`temperature` feature value (100 distinct), made by one of 100 runs, every tenth a "
        "second version of a key (`benchmarks/workloads/scale_build.py`); built once per side, "
        "database and N and kept (`$LAMIN_BENCH_SCALE_CACHE`). Both sides save through their "
        "public API up to 10,000 artifacts; lamin_kernel's larger registries are its first "
        "10,000 saved so and then copied chunk by chunk with each artifact's own key, "
        "description, hash, label, feature value, run and version "
        "(`benchmarks/workloads/scale_bulk.py`; their files are not written, so `lamin check` "
        "is not run there). Cells: lamin_kernel / LaminDB (LaminDB ÷ lamin_kernel, above 1× "
        "means lamin_kernel is faster); LaminDB up to 100,000. Medians (REST: p95) of 5-10 "
        "calls with different arguments after one warm-up call, each case in a fresh process. "
        f"Load average (1 min) when the steps started: {load_range(merged)} on 2 cores shared "
        "with other work (per column in the table's first row). Runs: "
        f"{', '.join(sorted({r for side in merged.get('scale', {}).values() for r in side.get('runs', [])})) or '?'}; "
        "`python benchmarks/run.py --only scale --scale-sizes 10k,100k,1M` measures, "
        "`--scale-report <first run id>` rewrites this section.",
        "",
    ]
    if path:
        out += [
            f"![time against N, log-log]({path})"
            if path.endswith(".svg")
            else f"Figure: [{path}]({path}) (log-log, time against N)",
            "",
        ]
    for db in DBS:
        out += table(data, db, loads_by_size(merged))
    out += ["Peak RSS of the process that ran every read:", "", *rss_lines(rss), ""]
    judged = targets(data, rss)
    if judged:
        out += ["Targets of issue 19 judged from these figures:", "", *judged, ""]
    return out
