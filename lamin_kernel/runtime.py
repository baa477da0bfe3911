"""Process-wide state behind accessors: the connected instance and the current run.

Everything that is "current" in a process lives here, so tests can reset it in one call.
The current run is a ContextVar so that flows in threads or tasks see their own run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
# another instance made current for a block of code: ln.DB("other") queries, save(using=...)
_connection_in_use: ContextVar[Connection | None] = ContextVar(
    "lamin_kernel_connection_in_use", default=None
)
_other_connections: dict[str, Connection] = {}
_current_run: ContextVar[Any | None] = ContextVar("lamin_kernel_current_run", default=None)
_current_transform: ContextVar[Any | None] = ContextVar(
    "lamin_kernel_current_transform", default=None
)
_hooks: dict[str, list[Any]] = {}


def connection() -> Connection | None:
    """The instance in use: another one inside `using_connection`, else the connected one
    (None before the first connect)."""
    return _connection_in_use.get() or _connection


def connection_in_use() -> Connection | None:
    """The other instance a block of code runs against, or None for the connected one."""
    return _connection_in_use.get()


def default_connection() -> Connection | None:
    """The connected instance, whatever block of code runs against another one."""
    return _connection


@contextmanager
def using_connection(conn: Connection | None) -> Iterator[None]:
    """Run a block against `conn` (None: the connected instance)."""
    token = _connection_in_use.set(conn)
    try:
        yield
    finally:
        _connection_in_use.reset(token)


def other_connection(slug: str) -> Connection | None:
    """An instance opened for reading or writing besides the connected one."""
    return _other_connections.get(slug)


def has_other_connections() -> bool:
    return bool(_other_connections)


def set_other_connection(slug: str, conn: Connection) -> None:
    _other_connections[slug] = conn


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


def reset_other_connections() -> None:
    """Close every instance opened besides the connected one."""
    for conn in _other_connections.values():
        remove = getattr(conn.session_factory, "remove", None)
        if remove is not None:
            remove()
        conn.engine.dispose()
    _other_connections.clear()


def reset() -> None:
    """Forget the connections, the current run and all hooks (tests use this)."""
    reset_connection()
    reset_other_connections()
    _current_run.set(None)
    _current_transform.set(None)
    _hooks.clear()
