"""One workload case on both systems, interleaved: lamin_kernel, LaminDB, lamin_kernel, ...

For figures on a shared machine, where the load moves by the minute: each side gets a fresh
sandbox and instance (``benchlib/sandbox.py``; on PostgreSQL one database per side in a
cluster of its own), then the case runs ``--reps`` times per side in alternating fresh
processes (``benchlib/children.run_case``). Prints every run, the 1-minute load average
before each, and per figure the medians and LaminDB ÷ lamin_kernel.

    .venv/bin/python benchmarks/side_by_side.py scale save_batch --reps 5 --db postgres
    .venv/bin/python benchmarks/side_by_side.py small_dataframes shapes --reps 3 \\
        --env LAMIN_BENCH_SHAPE_SMALL_REPS=5

LaminDB's python is ``--lamindb-python`` (default: the ``.bench-venv-lamindb`` that
``make bench`` makes, else ``/work/lamindb-venv``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from benchlib import children, pg_cluster, sandbox  # noqa: E402
from benchlib.venvs import LAMINDB_VENV, lamin_kernel_python  # noqa: E402

IMPLS = ("lamin_kernel", "lamindb")


def _lamindb_python(given: str | None) -> Path:
    if given:
        return Path(given)
    made = REPO / LAMINDB_VENV / "bin" / "python"
    return made if made.exists() else Path("/work/lamindb-venv/bin/python")


def _figures(result: dict[str, Any]) -> dict[str, float]:
    """name -> seconds: ``ops`` entries' medians, top-level ``{"median_s": ...}`` entries and
    top-level ``<name>_median_s`` numbers (the ``track_finish`` case's)."""
    out = {}
    for name, value in {**result, **result.get("ops", {})}.items():
        if isinstance(value, dict) and isinstance(value.get("median_s"), int | float):
            out[name] = float(value["median_s"])
        elif name.endswith("_median_s") and isinstance(value, int | float):
            out[name.removesuffix("_median_s")] = float(value)
    return out


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("module", help="workload module, e.g. scale or small_dataframes")
    ap.add_argument("case", help="its case, e.g. save_batch or shapes")
    ap.add_argument("--reps", type=int, default=3, help="fresh processes per side")
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--env", action="append", default=[], help="NAME=VALUE for the children")
    ap.add_argument("--lamindb-python")
    ap.add_argument("--out", help="write the runs as JSON here")
    args = ap.parse_args()
    extra = dict(item.split("=", 1) for item in args.env)
    pythons = {
        "lamin_kernel": lamin_kernel_python(REPO),
        "lamindb": _lamindb_python(args.lamindb_python),
    }
    work = Path(tempfile.mkdtemp(prefix="lamin-side-by-side-"))
    work.chmod(0o755)  # the PostgreSQL cluster runs as its own user
    cluster = pg_cluster.start(work / "postgres") if args.db == "postgres" else None
    boxes = {}
    try:
        for impl in IMPLS:
            box = sandbox.make(impl, args.module, pythons[impl], [HERE, REPO])
            url = cluster.create_database(f"side_{impl}") if cluster else None
            init = sandbox.init_instance(box, impl, None, db=url)
            if init["status"] != "ok":
                print(f"{impl}: {init}", file=sys.stderr)
                return 1
            boxes[impl] = box
        runs: dict[str, list[dict]] = {impl: [] for impl in IMPLS}
        for rep in range(args.reps):
            for impl in IMPLS:
                load = _load()
                log = work / f"{impl}-{rep}.log"
                result = children.run_case(
                    boxes[impl], impl, args.module, args.case, smoke=False, data=None,
                    timeout_s=1800, log_path=log, extra_env=extra,
                )  # fmt: skip
                figures = _figures(result)
                runs[impl].append(
                    {"load_1m": load, "figures": figures, "status": result.get("status")}
                )
                print(
                    json.dumps({"rep": rep, "impl": impl, "load_1m": load, **figures}), flush=True
                )
        _summary(runs)
        if args.out:
            Path(args.out).write_text(json.dumps(runs, indent=1))
    finally:
        for box in boxes.values():
            box.remove()
        if cluster is not None:
            cluster.stop()
    return 0


def _summary(runs: dict[str, list[dict]]) -> None:
    names = sorted({n for r in runs["lamin_kernel"] for n in r["figures"]})
    loads = [r["load_1m"] for impl in IMPLS for r in runs[impl]]
    print(f"load (1 min) {min(loads)}-{max(loads)}")
    for name in names:
        med = {}
        for impl in IMPLS:
            values = [r["figures"][name] for r in runs[impl] if name in r["figures"]]
            med[impl] = statistics.median(values) if values else None
        kernel, lamindb = med["lamin_kernel"], med["lamindb"]
        ratio = f"{lamindb / kernel:.1f}x" if kernel and lamindb else "-"
        print(f"{name}: lamin_kernel {kernel} s, LaminDB {lamindb} s, LaminDB/lamin_kernel {ratio}")


if __name__ == "__main__":
    raise SystemExit(main())
