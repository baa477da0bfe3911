"""The current session: connects on first use, short read snapshots, immediate write locks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .. import runtime
from ..db.engine import WRITE_OPTION
from .instance import connect


def connection() -> runtime.Connection:
    """The connected instance; connects to the current one on first use."""
    conn = runtime.connection()
    if conn is None:
        connect()
        conn = runtime.connection()
    assert conn is not None
    return conn


def get_session() -> Any:
    """This thread's session for the connected instance."""
    return connection().session_factory()


def end_read(session: Any) -> None:
    """End the read transaction so the next read sees other processes' commits."""
    if session.in_transaction() and not (session.new or session.dirty or session.deleted):
        session.commit()


@contextmanager
def write_transaction() -> Iterator[Any]:
    """A session inside one write transaction: committed on success, rolled back on error."""
    session = get_session()
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def current_user_id() -> int:
    return int(connection().extras["user_id"])


def default_storage_id() -> int:
    return int(connection().extras["storage_id"])


def set_default_storage(storage_id: int, root: str) -> None:
    extras = connection().extras
    extras["storage_id"] = storage_id
    extras["storage_root"] = root


def instance_settings() -> Any:
    return connection().settings


def visible_branch_ids() -> list[int]:
    """Branches whose records queries see: main and the current branch."""
    current = int(connection().extras.get("branch_id", 1))
    return [1] if current == 1 else [1, current]


def current_branch_id() -> int:
    return int(connection().extras.get("branch_id", 1))
