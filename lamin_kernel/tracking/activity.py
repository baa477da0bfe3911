"""Counting the tracked run's inputs and outputs as they are committed, to tell front ends.

SQLAlchemy events, registered once per process at the first ``track()``: an Artifact
inserted with the tracked run's id is an output, a RunInputArtifact row (or an artifact
appended to ``run.input_artifacts``) for that run is an input. Counts are taken in memory
while the flush runs and published after the commit, so nothing queries the database here
and a rolled-back write counts for nothing.

Every listener reads only plain values (the tracked run's id, the row's own loaded
columns) and catches its own errors: a failing listener logs a warning and never fails,
undoes or misreports the write that fired it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from .. import log
from ..models import Artifact, Run, RunInputArtifact
from . import state
from .run_files import RUN_FILE_KIND

F = TypeVar("F", bound=Callable[..., Any])

_pending_inputs: set[int] = set()
_pending_outputs: set[int] = set()
_watching = False


def isolated(func: F) -> F:
    """A listener whose errors are logged, never raised into the operation that fired it."""

    @functools.wraps(func)
    def listener(*args: Any) -> Any:
        try:
            return func(*args)
        except Exception as exc:
            log.warning(f"tracking could not follow a write ({func.__name__}): {exc}")
            return None

    return listener  # type: ignore[return-value]


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


def _loaded(record: Any, name: str) -> Any:
    """A column value already in the record's memory; never loads it (no SQL in a listener)."""
    return record.__dict__.get(name)


@isolated
def _artifact_inserted(_mapper: Any, _connection: Any, artifact: Any) -> None:
    run_id = _tracked_run_id()
    if (
        run_id is not None
        and _loaded(artifact, "run_id") == run_id
        and _loaded(artifact, "kind") != RUN_FILE_KIND
    ):
        _pending_outputs.add(_loaded(artifact, "id"))


@isolated
def _input_inserted(_mapper: Any, _connection: Any, link: Any) -> None:
    run_id = _tracked_run_id()
    if run_id is not None and _loaded(link, "run_id") == run_id:
        _pending_inputs.add(_loaded(link, "artifact_id"))


@isolated
def _input_appended(run: Any, artifact: Any, _initiator: Any) -> None:
    run_id = _tracked_run_id()
    artifact_id = _loaded(artifact, "id")
    if run_id is not None and _loaded(run, "id") == run_id and artifact_id is not None:
        _pending_inputs.add(artifact_id)


@isolated
def _committed(_session: Any) -> None:
    tracked = state.current()
    inputs, outputs = _take_pending()
    if not (inputs or outputs) or tracked is None:
        return
    before = (len(tracked.inputs), len(tracked.outputs))
    tracked.inputs |= inputs
    tracked.outputs |= outputs
    if (len(tracked.inputs), len(tracked.outputs)) != before:
        state.notify()


@isolated
def _rolled_back(_session: Any) -> None:
    _take_pending()


def _take_pending() -> tuple[set[int], set[int]]:
    inputs, outputs = set(_pending_inputs), set(_pending_outputs)
    _pending_inputs.clear()
    _pending_outputs.clear()
    inputs.discard(None)  # type: ignore[arg-type]
    outputs.discard(None)  # type: ignore[arg-type]
    return inputs, outputs
