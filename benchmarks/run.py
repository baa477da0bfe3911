#!/usr/bin/env python
"""``make bench``: lamin_kernel next to LaminDB 2.12, side by side, in one run.

    python benchmarks/run.py [--smoke] [--only PART[,PART...]] [--impl lamin_kernel|lamindb]
                             [--keep] [--report-only] [--scale-sizes 10k,100k,1M]

PART is a family name or the anchor's letter: a/import, b/track, c/dataframes, d/bigfile,
e/query (with the REST list endpoints and the sidebar's first page: aliases rest,
sidebar), f/labels, g/validation, bionty, mapped, and scale (every common operation on
registries of N artifacts on SQLite and PostgreSQL: N = 1,000 unless ``--scale-sizes`` asks
for more; registries kept in ``$LAMIN_BENCH_SCALE_CACHE``, see benchlib/scale_runner.py).
Each side of each family gets a fresh
temporary settings folder, home, cache and instance; every case runs in its own process
(``benchmarks/workloads/<module>.py``). Raw figures go to ``benchmarks/results/<run>.json``
(git-ignored); a full run rewrites ``BENCHMARKS.md``, a ``--smoke`` run writes
``benchmarks/results/<run>.md`` instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
SCALE_FIGURE = HERE / "figures" / "scale.svg"  # committed next to BENCHMARKS.md's table
sys.path.insert(0, str(HERE))

from benchlib import (  # noqa: E402
    children,
    families,
    interleaved,
    machine,
    report,
    sandbox,
    scale_report,
    scale_runner,
    venvs,
)
from workloads._child import error_line  # noqa: E402

IMPL_ORDER = ("lamin_kernel", "lamindb")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="small sizes, for a quick check")
    ap.add_argument("--only", help="comma list of parts (names or letters a-g)")
    ap.add_argument("--impl", choices=IMPL_ORDER, help="run one side only")
    ap.add_argument("--keep", action="store_true", help="keep the temporary instances")
    ap.add_argument(
        "--scale-report",
        metavar="SINCE",
        help="rewrite only BENCHMARKS.md's scale section from the scale results of the runs "
        "from run id SINCE on (e.g. 2026-12-07T18), each step from the latest run it ran in",
    )
    ap.add_argument(
        "--scale-sizes",
        help="the scale family's N, e.g. 10k,100k,1M (default 1,000; the registries are kept "
        "in $LAMIN_BENCH_SCALE_CACHE)",
    )
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite BENCHMARKS.md from the results already in benchmarks/results",
    )
    return ap.parse_args(argv)


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def kernel_problem(python: Path) -> str | None:
    """Why lamin_kernel cannot be benchmarked at all, or None when ``ln.Artifact`` exists."""
    sb = sandbox.make("lamin_kernel", "probe", python, [HERE, REPO])
    try:
        p = subprocess.run(
            [str(python), "-c", "import lamin_kernel as ln; ln.Artifact"],
            env=sb.env,
            cwd=sb.root,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        sb.remove()
    if p.returncode == 0:
        return None
    return "import lamin_kernel as ln; ln.Artifact: " + error_line(p.stderr)


def make_data(kind: str, folder: Path, smoke: bool, python: Path, cache: dict[str, Path]) -> Path:
    """The shared input of a family (made once per run, used by both sides)."""
    if kind not in cache:
        log(f"making input data {kind} ...")
        t0 = time.perf_counter()
        cmd = [str(python), "-m", "workloads._data", kind, str(folder)] + (
            ["--smoke"] if smoke else []
        )
        env = dict(os.environ, PYTHONPATH=str(HERE))
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if p.returncode != 0:
            raise RuntimeError(f"could not make {kind}: {p.stderr[-500:]}")
        cache[kind] = folder
        log(f"  {kind} ready in {time.perf_counter() - t0:.1f} s")
    return cache[kind]


def run_side(
    family: families.Family,
    impl: str,
    python: Path,
    args: argparse.Namespace,
    data: Path | None,
    logs: Path,
) -> dict:
    """Init a fresh instance for one side and run the family's cases in order."""
    path = [HERE, REPO] if impl == "lamin_kernel" else [HERE]
    sb = sandbox.make(impl, family.name, python, path)
    side: dict = {"sandbox": str(sb.root) if args.keep else None}
    try:
        side["init"] = sandbox.init_instance(sb, impl, family.modules)
        side["steps"] = {}
        if side["init"]["status"] != "ok":
            log(f"{family.name:<10} {impl:<12} init: {side['init']['status']}")
            return side
        extra = {}
        if impl == "lamindb" and not args.smoke:
            extra = {f"LAMIN_BENCH_{k.upper()}": str(v) for k, v in family.lamindb_sizes.items()}
        for step in family.steps:
            if impl not in step.impls:
                continue
            failed = [r for r in step.requires if side["steps"].get(r, {}).get("status") != "ok"]
            if failed:
                side["steps"][step.case] = {
                    "status": "skipped",
                    "error": f"needs {', '.join(failed)}",
                }
                continue
            log_path = logs / f"{family.name}-{step.case}-{impl}.log"
            result = children.run_case(
                sb,
                impl,
                step.module or family.module,
                step.case,
                smoke=args.smoke,
                data=data,
                timeout_s=step.timeout_s,
                log_path=log_path,
                extra_env=extra,
            )
            side["steps"][step.case] = result
            log(
                f"{family.name:<10} {step.case:<16} {impl:<12} {result.get('status'):<11} "
                f"{result.get('wall_s', 0):7.1f} s  {result.get('error', '')[:90]}"
            )
        return side
    finally:
        if not args.keep:
            sb.remove()


def write_report(current: dict, run_id: str) -> Path:
    if current["smoke"]:
        target = RESULTS / f"{run_id}.md"
        text = report.render(
            [current],
            current,
            merged=report.merge([current]),
            document=target,
            scale_figure=RESULTS / f"{run_id}-scale.svg",
        )
    else:
        runs = [r for r in report.load_runs(RESULTS) if not r.get("smoke")]
        target = REPO / "BENCHMARKS.md"
        text = report.render(runs, current, document=target, scale_figure=SCALE_FIGURE)
    target.write_text(text)
    return target


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    if args.scale_report:
        merged = scale_report.merge_steps(report.load_runs(RESULTS), since=args.scale_report)
        target = REPO / "BENCHMARKS.md"
        section = scale_report.section(merged, SCALE_FIGURE, target)
        if not section:
            raise SystemExit(f"no scale results from {args.scale_report} on")
        target.write_text(scale_report.splice(target.read_text(), section))
        log("rewrote the scale section of BENCHMARKS.md")
        return 0
    if args.report_only:
        runs = [r for r in report.load_runs(RESULTS) if not r.get("smoke")]
        if not runs:
            raise SystemExit("no full run in benchmarks/results yet")
        target = REPO / "BENCHMARKS.md"
        target.write_text(report.render(runs, runs[-1], document=target, scale_figure=SCALE_FIGURE))
        log("wrote BENCHMARKS.md")
        return 0
    selected = families.select(args.only)
    impls = [i for i in IMPL_ORDER if args.impl in (None, i)]
    run_id = dt.datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    logs = RESULTS / f"{run_id}-logs"
    logs.mkdir(parents=True)
    pythons: dict[str, Path] = {"lamin_kernel": venvs.lamin_kernel_python(REPO)}
    if "lamindb" in impls:
        pythons["lamindb"] = venvs.ensure_lamindb_venv(REPO, logs / "lamindb-venv.log")
    current = {
        "run_id": run_id,
        "started_at": dt.datetime.now().isoformat(timespec="seconds"),
        "smoke": args.smoke,
        "only": args.only,
        "machine": machine.describe(),
        "versions": {
            i: venvs.versions(p, i, str(REPO) if i == "lamin_kernel" else "")
            for i, p in pythons.items()
        },
        "results": {},
    }
    if "lamin_kernel" in impls:  # bytecode caches, as an installed package has them
        subprocess.run(
            [str(pythons["lamin_kernel"]), "-m", "compileall", "-q", str(REPO / "lamin_kernel")],
            env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            check=False,
        )
    problem = kernel_problem(pythons["lamin_kernel"]) if "lamin_kernel" in impls else None
    if problem:
        log(f"lamin_kernel side not available yet: {problem}")
    data_dir = Path(tempfile.mkdtemp(prefix="lamin-bench-data-"))
    made: dict[str, Path] = {}
    out = RESULTS / f"{run_id}.json"
    try:
        for family in selected:
            sides: dict[str, dict] = {}
            if family.rounds:  # the sides alternate (the cold paths)
                on = [
                    i for i in impls if i in family.impls and not (i == "lamin_kernel" and problem)
                ]
                paths = {i: [HERE, REPO] if i == "lamin_kernel" else [HERE] for i in on}
                rounds = 2 if args.smoke else family.rounds
                current["results"][family.name] = interleaved.run_rounds(
                    family,
                    {i: (pythons[i], paths[i]) for i in on},
                    rounds,
                    logs,
                    log,
                    smoke=args.smoke,
                    keep=args.keep,
                )
                out.write_text(json.dumps(current, indent=1))
                continue
            for impl in (i for i in impls if i in family.impls):
                if impl == "lamin_kernel" and problem:
                    sides[impl] = {"init": {"status": "unavailable", "error": problem}, "steps": {}}
                    continue
                if family.cached_instances:
                    sides[impl] = scale_runner.run_side(
                        impl, pythons[impl], REPO, RESULTS, logs, args.scale_sizes, log
                    )
                    continue
                data_py = pythons.get("lamindb", pythons["lamin_kernel"])
                data = (
                    make_data(family.data, data_dir, args.smoke, data_py, made)
                    if family.data
                    else None
                )
                sides[impl] = run_side(family, impl, pythons[impl], args, data, logs)
            current["results"][family.name] = sides
            out.write_text(json.dumps(current, indent=1))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        current["finished_at"] = dt.datetime.now().isoformat(timespec="seconds")
        out.write_text(json.dumps(current, indent=1))
    target = write_report(current, run_id)
    log(f"raw results: {out.relative_to(REPO)}; report: {target.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
