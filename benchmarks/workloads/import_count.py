"""Part a: ``python -c "import X as ln; ln.Artifact.filter().count()"`` with an existing instance."""

from __future__ import annotations

import subprocess
import sys

from ._child import Ctx, error_line, main, median, now

TOP_IMPORTS = 10


def _module(impl: str) -> str:
    return "lamindb" if impl == "lamindb" else "lamin_kernel"


def _time_python(code: str, reps: int) -> dict:
    """Wall time of ``python -c code`` in fresh processes; the first run warms the file cache."""
    times = []
    for _ in range(reps + 1):
        t0 = now()
        p = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
        )
        times.append(now() - t0)
        if p.returncode != 0:
            raise RuntimeError(f"`python -c {code!r}` failed: {error_line(p.stderr)}")
    return {"median_s": median(times[1:]), "runs_s": [round(t, 4) for t in times[1:]]}


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
    reps = ctx.size("import_reps")
    mod = _module(ctx.impl)
    ctx.res["code"] = f"import {mod} as ln; ln.Artifact.filter().count()"
    ctx.res["import_count"] = _time_python(ctx.res["code"], reps)
    ctx.res["import_only"] = _time_python(f"import {mod}", reps)
    ctx.res["bare_python"] = _time_python("pass", reps)
    ctx.res["importtime_top_ms"] = _import_breakdown(ctx.res["code"])
    if ctx.impl == "lamin_kernel":  # the floor of the ORM it is built on (issue 19)
        ctx.res["sqlmodel_only"] = _time_python("import sqlmodel", reps)
        ctx.res["vs_sqlmodel"] = round(
            ctx.res["import_count"]["median_s"] / ctx.res["sqlmodel_only"]["median_s"], 3
        )


if __name__ == "__main__":
    raise SystemExit(main({"import_count": import_count}))
