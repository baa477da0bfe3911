"""Run one workload case in a fresh child process and read its result line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from workloads._child import error_line

from .sandbox import Sandbox

RESULT_TAG = "BENCH_RESULT "


def run_case(
    sandbox: Sandbox,
    impl: str,
    module: str,
    case: str,
    *,
    smoke: bool,
    data: Path | None,
    timeout_s: int,
    log_path: Path,
    extra_env: dict[str, str] | None = None,
) -> dict:
    """``python -m workloads.<module> --case <case>`` in the sandbox; the child's process
    group is killed (by its id) when it runs past ``timeout_s``."""
    cmd = [
        str(sandbox.python),
        "-m",
        f"workloads.{module}",
        "--impl",
        impl,
        "--case",
        case,
        "--sandbox",
        str(sandbox.root),
    ]
    if smoke:
        cmd.append("--smoke")
    if data is not None:
        cmd += ["--data", str(data)]
    env = dict(sandbox.env, **(extra_env or {}))
    t0 = time.perf_counter()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd,
            env=env,
            cwd=sandbox.root,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, _ = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return {
                "status": "timeout",
                "error": f"ran longer than {timeout_s} s",
                "wall_s": round(time.perf_counter() - t0, 1),
            }
        log.write("\n--- stdout ---\n" + stdout)
    wall = round(time.perf_counter() - t0, 2)
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_TAG):
            result = json.loads(line[len(RESULT_TAG) :])
            result["wall_s"] = wall
            return result
    return {
        "status": "error",
        "error": f"no result line (exit {proc.returncode}): " + error_line(log_path.read_text()),
        "wall_s": wall,
    }
