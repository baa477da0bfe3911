"""Families whose sides run in alternation, so that both see the same machine load.

Each side gets its fresh sandbox and instance as usual; then, round after round, every step
runs once per side (one child each, the order of the sides swapped every round) with one
repetition per child. The workload module's ``combine_rounds(results)`` merges a side's
children into one result, whose medians are over all rounds. The 1-minute load average is
kept before and after the rounds. Used for the cold paths (families ``import`` and ``track``):
on a shared 2-core machine a side run minutes after the other measures a different machine.
"""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from . import children, sandbox
from .families import Family

# one repetition per child; LAMIN_BENCH_ROUND tells a workload which round it is in
PER_ROUND_ENV = {"LAMIN_BENCH_IMPORT_REPS": "1", "LAMIN_BENCH_TRACK_REPS": "1"}


def run_rounds(
    family: Family,
    sides: dict[str, tuple[Path, list[Path]]],
    rounds: int,
    logs: Path,
    log: Callable[[str], None],
    smoke: bool = False,
    keep: bool = False,
) -> dict[str, dict]:
    """``sides``: impl -> (python, PYTHONPATH entries). Returns each side's result as
    ``run.run_side`` does (``init``, ``steps``), with ``load_1min`` [before, after]."""
    boxes = {impl: sandbox.make(impl, family.name, py, path) for impl, (py, path) in sides.items()}
    out: dict[str, dict] = {}
    try:
        for impl, sb in boxes.items():
            out[impl] = {"sandbox": str(sb.root) if keep else None, "steps": {}}
            out[impl]["init"] = sandbox.init_instance(sb, impl, family.modules)
        live = [impl for impl in boxes if out[impl]["init"]["status"] == "ok"]
        collected = _rounds(family, boxes, live, rounds, logs, log, smoke)
        combine = importlib.import_module(f"workloads.{family.module}").combine_rounds
        for (impl, case), results in collected.items():
            ok = [r for r in results if r.get("status") == "ok"]
            failed = [r for r in results if r.get("status") != "ok"]
            step = failed[0] if failed or not ok else combine(ok)
            step["wall_s"] = round(sum(r.get("wall_s", 0) for r in results), 2)
            out[impl]["steps"][case] = step
        return out
    finally:
        if not keep:
            for sb in boxes.values():
                sb.remove()


def _rounds(
    family: Family,
    boxes: dict[str, sandbox.Sandbox],
    live: list[str],
    rounds: int,
    logs: Path,
    log: Callable[[str], None],
    smoke: bool,
) -> dict[tuple[str, str], list[dict]]:
    collected: dict[tuple[str, str], list[dict]] = {}
    load_before = os.getloadavg()[0]
    for number in range(rounds):
        order = live if number % 2 == 0 else live[::-1]
        for step in family.steps:
            for impl in (i for i in order if i in step.impls):
                results = collected.setdefault((impl, step.case), [])
                if results and results[-1].get("status") != "ok":
                    continue  # a side that failed once is not run again
                t0 = time.perf_counter()
                result = children.run_case(
                    boxes[impl],
                    impl,
                    step.module or family.module,
                    step.case,
                    smoke=smoke,
                    data=None,
                    timeout_s=step.timeout_s,
                    log_path=logs / f"{family.name}-{step.case}-{impl}-round{number}.log",
                    extra_env={**PER_ROUND_ENV, "LAMIN_BENCH_ROUND": str(number)},
                )
                results.append(result)
                log(
                    f"{family.name:<10} {step.case:<16} {impl:<12} round {number + 1}/{rounds} "
                    f"{result.get('status'):<8} {time.perf_counter() - t0:6.1f} s"
                )
    load_after = os.getloadavg()[0]
    for results in collected.values():
        if results:
            results[0]["load_1min"] = [round(load_before, 2), round(load_after, 2)]
    return collected
