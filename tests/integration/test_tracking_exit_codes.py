"""A tracked script's exit status decides its run's status: sys.exit(non-zero) is a failure."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import lamin_kernel as ln


def run_script(folder: Path, name: str, code: str, *args: str) -> subprocess.CompletedProcess:
    (folder / name).write_text(textwrap.dedent(code))
    return subprocess.run(
        [sys.executable, name, *args], cwd=folder, capture_output=True, text=True, timeout=120
    )


def run_of(key: str) -> ln.Run:
    return ln.Run.get(transform_id=ln.Transform.get(key=key).id)


EXITS = """\
import sys

import lamin_kernel as ln

ln.track()
print("working")
sys.exit({status})
"""


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        ("1", 1, "the script exited with status 1 (sys.exit(1))"),
        ("3", 3, "the script exited with status 3 (sys.exit(3))"),
        ("'bad input file'", 1, "the script exited with status 1: bad input file"),
    ],
)
def test_non_zero_exit_marks_the_run_failed(
    instance: dict, status: str, code: int, error: str
) -> None:
    source = EXITS.format(status=status)
    result = run_script(instance["tmp"], "exits.py", source)
    assert result.returncode == code, result.stderr
    assert "working" in result.stdout and "finished Run(" not in result.stdout
    run = run_of("exits.py")
    assert run.status == "failed" and run.finished_at is not None
    assert run.error == error


@pytest.mark.parametrize("status", ["0", "", "None"])
def test_zero_or_no_exit_status_completes_the_run(instance: dict, status: str) -> None:
    source = EXITS.format(status=status)
    result = run_script(instance["tmp"], "done.py", source)
    assert result.returncode == 0, result.stderr
    assert "finished Run(" in result.stdout
    run = run_of("done.py")
    assert run.status == "completed" and run.error is None
    assert ln.Transform.get(key="done.py").source_code == source


def test_argparse_usage_error_marks_the_run_failed(instance: dict) -> None:
    code = """\
    import argparse

    import lamin_kernel as ln

    ln.track()
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, required=True)
    parser.parse_args()
    """
    result = run_script(instance["tmp"], "cli.py", code, "--epochs", "many")
    assert result.returncode == 2 and "invalid int value" in result.stderr
    run = run_of("cli.py")
    assert run.status == "failed"
    assert run.error == "the script exited with status 2 (sys.exit(2))"


def test_sys_exit_in_a_thread_leaves_the_run_completed(instance: dict) -> None:
    """Only the main thread's status counts: a thread's sys.exit() ends just the thread."""
    code = """\
    import sys
    import threading

    import lamin_kernel as ln

    ln.track()
    worker = threading.Thread(target=sys.exit, args=(1,))
    worker.start()
    worker.join()
    """
    assert run_script(instance["tmp"], "threads.py", code).returncode == 0
    assert run_of("threads.py").status == "completed"


def test_finish_before_a_non_zero_exit_keeps_the_run_completed(instance: dict) -> None:
    code = """\
    import sys

    import lamin_kernel as ln

    ln.track()
    ln.finish()
    sys.exit(1)
    """
    assert run_script(instance["tmp"], "finished.py", code).returncode == 1
    run = run_of("finished.py")
    assert run.status == "completed" and run.error is None
