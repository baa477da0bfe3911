"""Part b: ``ln.track()`` + ``ln.finish()`` in a script, each run a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys

from ._child import Ctx, error_line, import_line, main, median, now

TAG = "BENCH_TRACK "

SCRIPT = """\
import json, time
t0 = time.perf_counter()
{import_line}t1 = time.perf_counter()
ln.Artifact  # lamin_kernel defines its registries at first use; LaminDB's import did
t1b = time.perf_counter()
ln.track()
t2 = time.perf_counter()
ln.finish()
t3 = time.perf_counter()
print({tag!r} + json.dumps({{
    "import_s": t1 - t0, "registries_s": t1b - t1, "track_s": t2 - t1b, "finish_s": t3 - t2
}}))
"""


def track_finish(ctx: Ctx) -> None:
    script = ctx.sandbox / "bench_track_script.py"
    script.write_text(SCRIPT.format(import_line=import_line(ctx.impl), tag=TAG))
    runs = []
    for _ in range(ctx.size("track_reps")):
        t0 = now()
        p = subprocess.run(
            [sys.executable, script.name],
            cwd=ctx.sandbox,
            capture_output=True,
            text=True,
            timeout=300,
        )
        wall = now() - t0
        lines = [x for x in p.stdout.splitlines() if x.startswith(TAG)]
        if p.returncode != 0 or not lines:
            err = error_line(p.stderr + "\n" + p.stdout)
            missing = any(
                k in err for k in ("AttributeError", "ImportError", "NotImplementedError")
            )
            ctx.res["status"] = "unavailable" if missing else "error"
            ctx.res["error"] = err
            break
        run = json.loads(lines[-1][len(TAG) :])
        run["process_s"] = wall
        runs.append(run)
    if runs:
        ctx.res.update(summarise(runs))


def summarise(runs: list[dict]) -> dict:
    """Medians of the runs; the first run is the one that created the transform. "track" as a
    user's first call pays for defining the registries when nothing touched them before."""
    for run in runs:
        run.setdefault("registries_s", 0.0)
    return {
        "runs": [{k: round(v, 4) for k, v in r.items()} for r in runs],
        "first_track_finish_s": round(_first_call(runs[0]) + runs[0]["finish_s"], 4),
        "track_finish_median_s": median([_first_call(r) + r["finish_s"] for r in runs]),
        "track_finish_defined_median_s": median([r["track_s"] + r["finish_s"] for r in runs]),
        "registries_median_s": median([r["registries_s"] for r in runs]),
        "track_median_s": median([r["track_s"] for r in runs]),
        "finish_median_s": median([r["finish_s"] for r in runs]),
        "import_median_s": median([r["import_s"] for r in runs]),
        "process_median_s": median([r["process_s"] for r in runs]),
    }


def _first_call(run: dict) -> float:
    return float(run["registries_s"] + run["track_s"])


def combine_rounds(results: list[dict]) -> dict:
    """One result from the children of interleaved rounds (benchlib/interleaved.py)."""
    runs = [run for r in results for run in r["runs"]]
    return {**results[0], **summarise(runs), "rounds": len(results)}


if __name__ == "__main__":
    raise SystemExit(main({"track_finish": track_finish}))
