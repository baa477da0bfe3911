"""Starting and ending a Run: its context when it starts, its status and time when it ends.

Statuses: ``started`` while it runs; ``completed`` after ``finish()`` or a flow's return;
``failed`` when an exception ended it (``error`` holds the summary); ``aborted`` when it was
interrupted (Ctrl+C), superseded by a new ``track()``, or its kernel shut down unfinished.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from ..errors import InvalidArgument
from ..models import Run
from ..setup.session import write_transaction

Status = Literal["started", "completed", "failed", "aborted"]
MAX_ERROR_LENGTH = 4000


@dataclass(frozen=True)
class RunOptions:
    """What a run records when it starts."""

    params: dict[str, Any] | None = None
    cli_args: str | None = None
    entrypoint: str | None = None
    environment_id: int | None = None
    plan_id: int | None = None
    initiated_by_run_id: int | None = None
    imported_packages: dict[str, str] | None = None


def utcnow() -> datetime:
    return datetime.now(UTC)


def check_dict(params: Any) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise InvalidArgument(f"params must be a dict, got {type(params).__name__}")
    return params


def check_params(params: Any) -> dict[str, Any] | None:
    """``params`` as stored: a dict that JSON can hold."""
    if params is None:
        return None
    check_dict(params)
    try:
        json.dumps(params)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(
            f"params must be JSON-serializable (str, numbers, bools, lists, dicts): {exc}"
        ) from exc
    return params


def start_run(transform: Any, options: RunOptions) -> Any:
    """A new, saved Run of ``transform`` with status ``started``."""
    run = Run(
        transform_id=transform.id,
        started_at=utcnow(),
        status="started",
        params=options.params,
        cli_args=options.cli_args,
        entrypoint=options.entrypoint,
        environment_id=options.environment_id,
        plan_id=options.plan_id,
        initiated_by_run_id=options.initiated_by_run_id,
        imported_packages=options.imported_packages,
    )
    return run.save()


def end_run(run: Any, status: Status, error: str | None = None, **fields: Any) -> Any:
    """Record how and when a run ended (a Run or its RunRef); returns the Run as saved."""
    return update_run(
        run,
        status=status,
        error=error[:MAX_ERROR_LENGTH] if error else None,
        finished_at=utcnow(),
        **fields,
    )


def update_run(run: Any, **fields: Any) -> Any:
    """Change fields of a saved run (a Run or its RunRef, read again by id); returns the Run."""
    with write_transaction(to_branch=False) as session:  # the run's row stays where it is
        record = session.get(Run, run.id)
        for name, value in fields.items():
            setattr(record, name, value)
    return record


def error_summary(exc: BaseException) -> str:
    """``ValueError: bad value`` and where it was raised, for ``run.error``."""
    summary = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        last = frames[-1]
        summary += f"\n  at {last.filename}:{last.lineno} in {last.name}"
    return summary


def format_time(value: datetime | None) -> str:
    """``2026-03-15 20:52:04 UTC``, as LaminDB prints times."""
    if value is None:
        return "None"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def format_duration(seconds: float) -> str:
    """``0s``, ``42s``, ``3m 5s``, ``2h 1m``."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes}m"
