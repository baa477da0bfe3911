"""Part a: ``python -c "import X as ln; ln.Artifact.filter().count()"`` with an existing instance."""

from __future__ import annotations

import os
import subprocess
import sys

from ._child import Ctx, error_line, main, median, now

TOP_IMPORTS = 10


def _module(impl: str) -> str:
    return "lamindb" if impl == "lamindb" else "lamin_kernel"


def _run_python(code: str) -> float:
    """Wall time of one ``python -c code`` in a fresh process."""
    t0 = now()
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    elapsed = now() - t0
    if p.returncode != 0:
        raise RuntimeError(f"`python -c {code!r}` failed: {error_line(p.stderr)}")
    return elapsed


def time_interleaved(codes: dict[str, str], reps: int, warmup: bool) -> dict[str, list[float]]:
    """``reps`` rounds, each running every code once in turn (so all codes see the same load);
    a warm-up round first (file cache, bytecode) when asked, not counted."""
    if warmup:
        for code in codes.values():
            _run_python(code)
    runs: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(reps):
        for name, code in codes.items():
            runs[name].append(_run_python(code))
    return runs


def summarise(runs: dict[str, list[float]]) -> dict:
    """Medians and runs per code; for lamin_kernel its ratio to ``import sqlmodel`` (issue 19),
    both from the medians and as the median of the ratios within each round."""
    res: dict = {
        name: {"median_s": median(times), "runs_s": [round(t, 4) for t in times]}
        for name, times in runs.items()
    }
    if "sqlmodel_only" in runs:
        pairs = zip(runs["import_count"], runs["sqlmodel_only"], strict=True)
        res["vs_sqlmodel"] = round(
            res["import_count"]["median_s"] / res["sqlmodel_only"]["median_s"], 3
        )
        res["vs_sqlmodel_per_round"] = round(median([a / b for a, b in pairs]), 3)
    return res


def combine_rounds(results: list[dict]) -> dict:
    """One result from the children of interleaved rounds (benchlib/interleaved.py)."""
    runs = {
        name: [t for r in results for t in r[name]["runs_s"]]
        for name in results[0]
        if isinstance(results[0][name], dict) and "runs_s" in results[0][name]
    }
    return {**results[0], **summarise(runs), "rounds": len(results)}


def _import_breakdown(code: str) -> dict[str, float]:
    """The slowest imports of ``python -c code`` by cumulative ms (``-X importtime``), nested
    ones included; lazy imports done by the code count too."""
    p = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
    )
    rows = []
    for line in p.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _self, cum, name = (x.strip() for x in line[len("import time:") :].split("|"))
        if cum.isdigit():
            rows.append((int(cum), name))
    rows.sort(reverse=True)
    return {n: round(us / 1000, 1) for us, n in rows[:TOP_IMPORTS]}


def import_count(ctx: Ctx) -> None:
    mod = _module(ctx.impl)
    ctx.res["code"] = f"import {mod} as ln; ln.Artifact.filter().count()"
    codes = {"import_count": ctx.res["code"], "import_only": f"import {mod}", "bare_python": "pass"}
    if ctx.impl == "lamin_kernel":  # the floor of the ORM it is built on (issue 19)
        codes["sqlmodel_only"] = "import sqlmodel"
    # in interleaved rounds (LAMIN_BENCH_ROUND) only the first warms up and breaks down
    first = os.environ.get("LAMIN_BENCH_ROUND", "0") == "0"
    ctx.res.update(summarise(time_interleaved(codes, ctx.size("import_reps"), warmup=first)))
    if first:
        ctx.res["importtime_top_ms"] = _import_breakdown(ctx.res["code"])


if __name__ == "__main__":
    raise SystemExit(main({"import_count": import_count}))
