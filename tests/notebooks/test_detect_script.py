"""Detection in scripts run as separate processes, and where there is nothing to detect."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DETECT = (
    "from lamin_kernel.tracking.detect import detect_running_code\n"
    "found = detect_running_code()\n"
    "print(found if found is None else f'{found.kind}|{found.source}|{found.path}')\n"
)


def run(args: list[str], cwd: Path, stdin: str | None = None) -> str:
    env = {key: value for key, value in os.environ.items() if key != "JPY_SESSION_NAME"}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_script_by_relative_path(tmp_path: Path) -> None:
    (tmp_path / "pipeline.py").write_text(DETECT)
    assert run(["pipeline.py"], cwd=tmp_path) == f"script|main_file|{tmp_path / 'pipeline.py'}"


def test_script_run_as_module(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "job.py").write_text(DETECT)
    assert run(["-m", "pkg.job"], cwd=tmp_path) == f"script|main_file|{tmp_path / 'pkg' / 'job.py'}"


def test_python_c_and_stdin_are_not_scripts(tmp_path: Path) -> None:
    assert run(["-c", DETECT], cwd=tmp_path) == "None"
    assert run(["-"], cwd=tmp_path, stdin=DETECT) == "None"
