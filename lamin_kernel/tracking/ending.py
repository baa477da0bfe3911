"""Ending the tracked run: its status in the database, the front ends and OpenLineage told."""

from __future__ import annotations

from typing import Any

from . import openlineage, state
from .runs import Status, end_run, error_summary


def end_tracked(
    tracked: state.Tracked,
    status: Status,
    exc: BaseException | None = None,
    error: str | None = None,
    **fields: Any,
) -> None:
    """End the tracked run with ``status``; ``exc`` (or ``error``) explains a failure."""
    message = error if error is not None else (error_summary(exc) if exc is not None else None)
    end_run(tracked.run, status, message, **fields)
    tracked.finished = True
    state.notify()
    openlineage.emit_end(tracked.run, tracked.transform, status, message)
