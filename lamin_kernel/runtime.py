"""Process-wide state behind accessors: the connected instance and the current run.

Everything that is "current" in a process lives here, so tests can reset it in one call.
The current run is a ContextVar so that flows in threads or tasks see their own run.

What is kept about the current run and its transform is plain data (ids, uids, keys):
never ORM objects, which a rollback anywhere in the process could expire, after which
merely reading them would need SQL. Who needs the records loads them fresh by id.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from . import log


@dataclass
class Connection:
    """The connected instance: its settings, engine and session factory."""

    settings: Any
    engine: Any
    session_factory: Any
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TransformRef:
    """The values of a Transform that process state needs: no ORM object."""

    id: int
    uid: str
    key: str | None = None
    version_tag: str | None = None
    kind: str | None = None

    @classmethod
    def of(cls, transform: Any) -> TransformRef:
        """The values of a Transform record (or a TransformRef, returned as it is)."""
        if isinstance(transform, TransformRef):
            return transform
        return cls(
            id=int(transform.id),
            uid=str(transform.uid),
            key=transform.key,
            version_tag=getattr(transform, "version_tag", None),
            kind=getattr(transform, "kind", None),
        )


@dataclass(frozen=True)
class RunRef:
    """The values of a Run that process state needs; ``id`` and ``uid`` read like a Run's.

    `instance_uid` is the instance whose database holds the run: while another instance is
    in use, the run is not current (its id means nothing there).
    """

    id: int
    uid: str
    transform: TransformRef | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    instance_uid: str | None = None

    @classmethod
    def of(cls, run: Any, transform: Any | None = None, instance_uid: str | None = None) -> RunRef:
        """The values of a Run record and its transform (records or refs), made in the
        instance `instance_uid` (kept from a RunRef when not given)."""
        if isinstance(run, RunRef):
            ref = run if transform is None else replace(run, transform=TransformRef.of(transform))
            return ref if instance_uid is None else replace(ref, instance_uid=instance_uid)
        return cls(
            id=int(run.id),
            uid=str(run.uid),
            transform=None if transform is None else TransformRef.of(transform),
            started_at=run.started_at,
            finished_at=run.finished_at,
            instance_uid=instance_uid,
        )

    def ended(self, finished_at: datetime | None) -> RunRef:
        return replace(self, finished_at=finished_at)


_connection: Connection | None = None
# another instance made current for a block of code: ln.DB("other") queries, save(using=...)
_connection_in_use: ContextVar[Connection | None] = ContextVar(
    "lamin_kernel_connection_in_use", default=None
)
_other_connections: dict[str, Connection] = {}
_current_run: ContextVar[RunRef | None] = ContextVar("lamin_kernel_current_run", default=None)
_hooks: dict[str, list[Any]] = {}
# `lamin rerun --check` in this process: saves capture into this folder, the registry is
# never written (tracking.check_mode)
_check_folder: str | None = None


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


def instance_uid_in_use() -> str | None:
    """The uid of the instance in use (None before the first connect)."""
    conn = connection()
    return None if conn is None else getattr(conn.settings, "uid", None)


def belongs_to_instance_in_use(instance_uid: str | None) -> bool:
    """Whether process state made in instance `instance_uid` applies to the instance in use:
    after another instance became current (or inside a block using another one) it does not;
    it applies again once its own instance is back."""
    in_use = instance_uid_in_use()
    return instance_uid is None or in_use is None or in_use == instance_uid


def current_run() -> RunRef | None:
    """The run that ln.track() or a flow started in this context, as values, if any, and if
    it is a run of the instance in use."""
    run = _current_run.get()
    if run is None or not belongs_to_instance_in_use(run.instance_uid):
        return None
    return run


def current_run_id() -> int | None:
    run = current_run()
    return None if run is None else run.id


def current_transform() -> TransformRef | None:
    """The transform of the current run, as values, if any."""
    run = current_run()
    return None if run is None else run.transform


def set_current_run(run: Any | None, transform: Any | None = None) -> object:
    """Make a run current (a Run record or a RunRef, with its transform); only values are kept,
    with the instance in use (where the run's row is).

    Returns a token to restore the previous one with ``restore_current_run``.
    """
    if run is None:
        return _current_run.set(None)
    ref = RunRef.of(run, transform)
    if ref.instance_uid is None:
        ref = replace(ref, instance_uid=instance_uid_in_use())
    return _current_run.set(ref)


def restore_current_run(token: object) -> None:
    """Undo a set_current_run()."""
    _current_run.reset(token)  # type: ignore[arg-type]


def check_folder() -> str | None:
    """The folder of a dry-run check (``lamin rerun --check``) in this process, or None."""
    return _check_folder


def set_check_folder(folder: str | None) -> None:
    """Turn the dry-run check on (a folder for its captured outputs) or off (None)."""
    global _check_folder
    _check_folder = folder


def add_hook(event: str, func: Any) -> None:
    """Register a callback for an event (e.g. 'before_finish'); front ends use this."""
    hooks = _hooks.setdefault(event, [])
    if func not in hooks:
        hooks.append(func)


def hooks(event: str) -> list[Any]:
    """The callbacks registered for an event."""
    return list(_hooks.get(event, []))


def call_hooks(event: str, *args: Any, failure: str = "a front end hook failed") -> list[Any]:
    """Call every hook of an event; what they return, in order. A hook that raises is logged
    (``failure: error``) and skipped: it never fails the operation that called it."""
    results = []
    for hook in hooks(event):
        try:
            results.append(hook(*args))
        except Exception as exc:
            log.warning(f"{failure}: {exc}")
    return results


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
    _hooks.clear()
    set_check_folder(None)
