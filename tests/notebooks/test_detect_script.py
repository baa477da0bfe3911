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


def run(args: list[str], cwd: Path, stdin: str | None = None, session: str | None = None) -> str:
    env = {key: value for key, value in os.environ.items() if key != "JPY_SESSION_NAME"}
    env["PYTHONPATH"] = str(REPO)
    if session is not None:  # as a process started from a notebook's kernel inherits it
        env["JPY_SESSION_NAME"] = session
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


def test_a_script_started_from_a_notebook_is_the_script(tmp_path: Path) -> None:
    notebook = tmp_path / "driver.ipynb"
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    (tmp_path / "child.py").write_text(DETECT)
    found = run(["child.py"], cwd=tmp_path, session=str(notebook))
    assert found == f"script|main_file|{tmp_path / 'child.py'}"
    # python -c started from the notebook is nothing to track, not the notebook either
    assert run(["-c", DETECT], cwd=tmp_path, session="driver.ipynb") == "None"
