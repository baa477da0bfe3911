"""Counting the tracked run's inputs and outputs as they are committed, to tell front ends.

SQLAlchemy events, registered once per process at the first ``track()``: an Artifact
inserted with the tracked run's id is an output, a RunInputArtifact row (or an artifact
appended to ``run.input_artifacts``) for that run is an input. Counts are taken in memory
while the flush runs and published after the commit, so nothing queries the database here
and a rolled-back write counts for nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..models import Artifact, Run, RunInputArtifact
from . import state
from .run_files import RUN_FILE_KIND

_pending_inputs: set[int] = set()
_pending_outputs: set[int] = set()
_watching = False


def watch() -> None:
    """Register the events (idempotent)."""
    global _watching
    if _watching:
        return
    event.listen(Artifact, "after_insert", _artifact_inserted)
    event.listen(RunInputArtifact, "after_insert", _input_inserted)
    event.listen(Run.input_artifacts, "append", _input_appended)
    event.listen(Session, "after_commit", _committed)
    event.listen(Session, "after_rollback", _rolled_back)
    _watching = True


def _tracked_run_id() -> int | None:
    tracked = state.current()
    return None if tracked is None or tracked.finished else tracked.run.id


def _artifact_inserted(_mapper: Any, _connection: Any, artifact: Any) -> None:
    run_id = _tracked_run_id()
    if run_id is not None and artifact.run_id == run_id and artifact.kind != RUN_FILE_KIND:
        _pending_outputs.add(artifact.id)


def _input_inserted(_mapper: Any, _connection: Any, link: Any) -> None:
    run_id = _tracked_run_id()
    if run_id is not None and link.run_id == run_id:
        _pending_inputs.add(link.artifact_id)


def _input_appended(run: Any, artifact: Any, _initiator: Any) -> Any:
    run_id = _tracked_run_id()
    if run_id is not None and run.id == run_id and artifact.id is not None:
        _pending_inputs.add(artifact.id)
    return artifact


def _committed(_session: Any) -> None:
    tracked = state.current()
    if not (_pending_inputs or _pending_outputs) or tracked is None:
        _rolled_back(_session)
        return
    before = (len(tracked.inputs), len(tracked.outputs))
    tracked.inputs |= _pending_inputs
    tracked.outputs |= _pending_outputs
    _rolled_back(_session)
    if (len(tracked.inputs), len(tracked.outputs)) != before:
        state.notify()


def _rolled_back(_session: Any) -> None:
    _pending_inputs.clear()
    _pending_outputs.clear()
