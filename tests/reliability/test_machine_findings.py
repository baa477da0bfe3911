"""What the state machine (`state_machine.py`) found, each as a plain test of its own."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel.records.integrity import check_instance
from tests.reliability.invariants import assert_every_row_has_its_bytes


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_check_fix_keeps_the_bytes_of_a_save_that_commits_while_it_runs(
    instance: dict, tmp_path: Path
) -> None:
    """`check --fix` (no grace period) in one thread; when it first lists storage, another
    thread saves an artifact and commits. Its bytes must survive the fix."""
    path = tmp_path / "racing.txt"
    path.write_bytes(b"saved while check --fix runs")
    saved: list[Any] = []

    def save_now() -> None:
        saved.append(ln.Artifact(str(path), key="racing.txt").save())

    def on_call(frame: Any, event: str, _arg: Any) -> None:
        if (
            event == "call"
            and frame.f_code.co_name == "stored_files"
            and frame.f_code.co_filename.endswith("orphans.py")
        ) and not saved:
            writer = threading.Thread(target=save_now)
            writer.start()
            writer.join()

    def check_with_a_save_in_between() -> None:
        sys.setprofile(on_call)
        try:
            check_instance(fix=True, grace_seconds=0)
        finally:
            sys.setprofile(None)

    checker = threading.Thread(target=check_with_a_save_in_between)
    checker.start()
    checker.join()
    assert saved, "check --fix no longer lists storage with orphans.stored_files: move the hook"
    artifact = ln.Artifact.get(key="racing.txt")
    assert Path(str(artifact.path)).read_bytes() == path.read_bytes()
    assert_every_row_has_its_bytes()
