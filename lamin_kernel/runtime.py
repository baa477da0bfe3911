"""Process-wide state behind accessors: the connected instance and the current run.

Everything that is "current" in a process lives here, so tests can reset it in one call.
The current run is a ContextVar so that flows in threads or tasks see their own run.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Connection:
    """The connected instance: its settings, engine and session factory."""

    settings: Any
    engine: Any
    session_factory: Any
    extras: dict[str, Any] = field(default_factory=dict)


_connection: Connection | None = None
_current_run: ContextVar[Any | None] = ContextVar("lamin_kernel_current_run", default=None)
_current_transform: ContextVar[Any | None] = ContextVar(
    "lamin_kernel_current_transform", default=None
)
_hooks: dict[str, list[Any]] = {}


def connection() -> Connection | None:
    """The connected instance, or None before the first connect."""
    return _connection


def set_connection(conn: Connection | None) -> None:
    """Replace the connected instance (None disconnects)."""
    global _connection
    _connection = conn


def current_run() -> Any | None:
    """The Run that ln.track() or a flow started in this context, if any."""
    return _current_run.get()


def current_transform() -> Any | None:
    """The Transform of the current run, if any."""
    return _current_transform.get()


def set_current_run(run: Any | None, transform: Any | None = None) -> object:
    """Set the current run and transform; returns tokens to restore the previous ones."""
    return (_current_run.set(run), _current_transform.set(transform))


def restore_current_run(tokens: object) -> None:
    """Undo a set_current_run()."""
    run_token, transform_token = tokens  # type: ignore[misc]
    _current_run.reset(run_token)
    _current_transform.reset(transform_token)


def add_hook(event: str, func: Any) -> None:
    """Register a callback for an event (e.g. 'before_finish'); front ends use this."""
    hooks = _hooks.setdefault(event, [])
    if func not in hooks:
        hooks.append(func)


def hooks(event: str) -> list[Any]:
    """The callbacks registered for an event."""
    return list(_hooks.get(event, []))


def reset_connection() -> None:
    """Close the connection's sessions and engine; keep the current run and hooks."""
    global _connection
    if _connection is not None:
        remove = getattr(_connection.session_factory, "remove", None)
        if remove is not None:
            remove()
        if _connection.engine is not None:
            _connection.engine.dispose()
    _connection = None


def reset() -> None:
    """Forget the connection, the current run and all hooks (tests use this)."""
    reset_connection()
    _current_run.set(None)
    _current_transform.set(None)
    _hooks.clear()
