"""Ending the tracked run: its status in the database, the front ends and OpenLineage told."""

from __future__ import annotations

from typing import Any

from .. import log, runtime
from . import openlineage, state, streams
from .current import context
from .finishing_branch import finishing_writes
from .runs import Status, end_run, error_summary
from .track_context import label_outputs


def end_tracked(
    tracked: state.Tracked,
    status: Status,
    exc: BaseException | None = None,
    error: str | None = None,
    **fields: Any,
) -> None:
    """End the tracked run with ``status``; ``exc`` (or ``error``) explains a failure."""
    message = error if error is not None else (error_summary(exc) if exc is not None else None)
    log_id = streams.store_log(tracked.run.uid, exc)  # ln.track(stream_tracking=True)
    if log_id is not None and fields.get("report_id") is None:
        fields["report_id"] = log_id
    with finishing_writes(tracked):  # a branch merged meanwhile: where the run went
        _label_with_project(tracked.run)
        run = end_run(tracked.run, status, message, **fields)
    tracked.run = tracked.run.ended(run.finished_at)
    if runtime.current_run_id() == run.id:
        runtime.set_current_run(tracked.run)
    tracked.finished = True
    state.notify()
    openlineage.emit_end(run, run.transform, status, message)


def _label_with_project(run: Any) -> None:
    """`ln.track(project=...)`: what the run created is labelled with the project."""
    try:
        label_outputs(run, context.project)
    except Exception as exc:  # labelling must not keep the run from ending
        log.warning(f"could not label the run's outputs with the project: {exc}")
