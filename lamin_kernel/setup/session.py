"""The one way in and out of the database: ``read_session()`` and ``write_transaction()``.

Each thread has one session (connected on first use). Reads run in short deferred
transactions that end with the block, so a long-lived kernel never pins an old WAL snapshot;
writes take the write lock up front (``BEGIN IMMEDIATE`` on SQLite). Blocks nest: a read or a
write inside a write joins it; a write inside a read ends the read first.

After any exception the session is left usable: a failed write is rolled back, a read that
failed in the database is too, and a session that an interrupt left half-way (a failed
rollback, a commit stopped after the database committed) is rolled back or reset before the
next block starts. Records keep their loaded values across commits (``expire_on_commit``
is off); a rollback expires them, so they reload on next access.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import column, select, table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from .. import log, runtime
from ..db.branch_state import refusal_to_write
from ..db.engine import WRITE_OPTION
from ..db.uninterrupted import deferred_interrupt
from ..errors import DoesNotExist, LaminError, NoWriteAccess
from .instance import connect
from .paths import settings_dir
from .settings_files import load_user_settings
from .storage_settings import StorageSettings

_DEPTH = "lamin_kernel_depth"  # session.info: how many blocks are open on this session
_WRITING = "lamin_kernel_writing"  # session.info: the outermost open block is a write
_MEMO = "lamin_kernel_memo"  # session.info: answers shared by the outermost open block
_WRITES_COMMITTED = "writes_committed"  # connection extras: write transactions committed


def connection() -> runtime.Connection:
    """The connected instance; connects to the current one on first use."""
    conn = runtime.connection()
    if conn is None:
        connect()
        conn = runtime.connection()
    assert conn is not None
    return conn


def _thread_session() -> Any:
    """This thread's session for the connected instance."""
    return connection().session_factory()


def records_held() -> list[Any]:
    """The records this thread's session holds now (its identity map)."""
    return list(_thread_session().identity_map.values())


def block_memo() -> dict[str, Any]:
    """A dict shared by everything inside this thread's outermost open read or write block
    (a page that asks the same question from two places answers it once); emptied when that
    block ends and by every write. Outside a block it is a fresh dict: nothing is kept."""
    session = _thread_session()
    if not session.info.get(_DEPTH):
        return {}
    memo: dict[str, Any] = session.info.setdefault(_MEMO, {})
    return memo


@contextmanager
def read_session(*, single_statements: bool = False) -> Iterator[Any]:
    """This thread's session for reading; the read transaction ends with the block.

    Inside a write transaction it joins that transaction. `single_statements`: on
    PostgreSQL each statement of the block runs on its own (autocommit), which spares the
    BEGIN and COMMIT round trips of a short lookup; under READ COMMITTED each statement of a
    transaction sees its own snapshot anyway, but nothing transaction-local (``SET LOCAL``,
    ``set_config(..., true)``, transaction locks) lasts past its statement.
    """
    session = _thread_session()
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    try:
        if depth == 0:
            _recover(session)
            _take_connection(session, single_statements)
        yield session
    except BaseException as exc:
        session.info[_DEPTH] = depth
        if depth == 0:
            session.info.pop(_MEMO, None)
            if isinstance(exc, LaminError) and session.is_active:
                _end_read(session)  # a refusal, not a database failure
            else:
                _roll_back(session)
        raise
    session.info[_DEPTH] = depth
    if depth == 0:
        session.info.pop(_MEMO, None)
        try:
            _end_read(session)
        except BaseException:  # an interrupt on the way out: the connection goes back
            _roll_back(session)
            raise


@contextmanager
def write_transaction(*, to_branch: bool = True) -> Iterator[Any]:
    """A session inside one write transaction: committed on success, rolled back on error.

    Inside another write transaction it joins that one (the outermost commits). On a
    contribution branch that was merged or closed, a transaction that writes records to the
    current branch (`to_branch`) is refused with NoWriteAccess naming the branch; managing
    branches, removing orphans and finishing runs pass ``to_branch=False``.
    """
    session = _thread_session()
    depth = session.info.get(_DEPTH, 0)
    if session.info.get(_WRITING):
        session.info[_DEPTH] = depth + 1
        try:
            yield session
        finally:
            session.info[_DEPTH] = depth
        return
    if depth == 0:
        _recover(session)
    _refuse_in_check()
    session.info[_DEPTH] = depth + 1
    session.info[_WRITING] = True
    try:
        if session.in_transaction():
            session.flush()  # what the caller changed, then the read snapshot ends
        with deferred_interrupt():  # the connection is the session's before Ctrl+C counts
            if session.in_transaction():
                session.commit()
            db = session.connection(execution_options={WRITE_OPTION: True})
        if to_branch:
            _refuse_closed_branch(db)
        yield session
        _commit(session)
        extras = connection().extras
        extras[_WRITES_COMMITTED] = extras.get(_WRITES_COMMITTED, 0) + 1
    except StaleDataError as exc:  # a held record's row was deleted meanwhile
        _roll_back(session)
        raise DoesNotExist(
            f"a record this process holds was deleted for good meanwhile ({exc}); query it again"
        ) from exc
    except BaseException:
        _roll_back(session)
        raise
    finally:
        session.info[_DEPTH] = depth
        session.info[_WRITING] = False
        session.info.pop(_MEMO, None)  # what was read before the write may have changed


def _refuse_in_check() -> None:
    """A dry-run check (``lamin rerun --check``) writes nothing to the registry."""
    if runtime.check_folder() is not None:
        raise NoWriteAccess(
            "lamin rerun --check writes nothing to the registry, but the rerun's code writes "
            "to it (beyond saving artifacts and collections, which the check captures): "
            "rerun it without --check"
        )


def _refuse_closed_branch(db: Any) -> None:
    """Records must not land on a branch that was merged: no one looks there any more."""
    why = refusal_to_write(db, current_branch_id())
    if why is not None:
        raise NoWriteAccess(
            f"{why}: writes to it are refused (they would land where no one sees them). "
            "Switch to another branch: `lamin switch main` or ln.setup.switch('main')"
        )


def writes_committed() -> int:
    """How many write transactions this process committed on the connected instance (what it
    read before is stale once this grows)."""
    return int(connection().extras.get(_WRITES_COMMITTED, 0))


def _take_connection(session: Any, single_statements: bool) -> None:
    """A read block's connection, taken whole from the pool before anything can interrupt
    (then a failure of the block gives it back: ``_roll_back``)."""
    if session.in_transaction():
        return
    options = {}
    if single_statements and connection().engine.dialect.name == "postgresql":
        options = {"isolation_level": "AUTOCOMMIT"}
    with deferred_interrupt():
        session.connection(execution_options=options)


def _commit(session: Any) -> None:
    """Flush (interruptible), then COMMIT and give the connection back whole."""
    session.flush()
    with deferred_interrupt():
        session.commit()


@contextmanager
def single_statement_cursor() -> Iterator[tuple[Any, Any]]:
    """(dialect, DBAPI cursor) for one read statement that needs no snapshot of its own: a
    lookup made once per constructed record, where the ORM session's BEGIN, COMMIT and
    statement compilation cost thirty times the indexed SELECT.

    Inside an open transaction of this thread (a write, or a read block that already read)
    the cursor is that transaction's, so it sees what the transaction wrote. Otherwise it is
    a pooled connection outside any transaction (SQLite and PostgreSQL autocommit: the
    statement is its own snapshot). A database error is raised as SQLAlchemy's error class,
    as any other read; after any failure the pooled connection is dropped, not reused.
    """
    conn = connection()
    dialect = conn.engine.dialect
    session = _thread_session()
    if session.in_transaction():
        cursor = session.connection().connection.dbapi_connection.cursor()
        try:
            with _translated_errors(dialect):
                yield dialect, cursor
        finally:
            cursor.close()
        return
    with deferred_interrupt():
        pooled = conn.engine.raw_connection()
    try:
        raw = pooled.dbapi_connection
        postgres = dialect.name == "postgresql"
        if postgres:
            raw.autocommit = True
        cursor = raw.cursor()
        with _translated_errors(dialect):
            yield dialect, cursor
        cursor.close()
        if postgres:
            raw.autocommit = False
    except BaseException:
        with deferred_interrupt():
            pooled.invalidate()
        raise
    finally:
        with deferred_interrupt():
            pooled.close()


@contextmanager
def pooled_connection(engine: Any) -> Iterator[Any]:
    """A connection of the engine's own, outside the thread's session (``engine.connect()``),
    taken from the pool and given back whole whatever interrupts the block."""
    with deferred_interrupt():
        db = engine.connect()
    try:
        yield db
    finally:
        with deferred_interrupt():
            db.close()


@contextmanager
def _translated_errors(dialect: Any) -> Iterator[None]:
    try:
        yield
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(None, None, exc, dialect.loaded_dbapi.Error) from exc


def restart_read(session: Any) -> None:
    """Inside a read block: drop a read transaction the database failed (a cancelled
    statement), so the block can go on with a fresh one."""
    _roll_back(session)


def _end_read(session: Any) -> None:
    """End the read transaction so the next read sees other processes' commits."""
    if session.in_transaction() and not (session.new or session.dirty or session.deleted):
        try:
            with deferred_interrupt():
                session.commit()
        except Exception:
            _roll_back(session)


def _recover(session: Any) -> None:
    """Before a new block: a session left half-way by an interrupt is rolled back or reset."""
    if session.in_transaction() and not session.is_active:
        _roll_back(session)


def _roll_back(session: Any) -> None:
    """Roll back and give the connection back; if even that fails (the connection broke, a
    commit was cut short after the database committed), reset the session so that the next
    block starts afresh."""
    with deferred_interrupt():
        try:
            session.rollback()
            return
        except Exception as exc:
            log.debug(f"rollback failed ({exc}); resetting the session")
        try:
            session.close()
        except Exception:
            session.invalidate()


def current_user_id() -> int:
    return int(connection().extras["user_id"])


def default_storage_id() -> int:
    return int(connection().extras["storage_id"])


def set_default_storage(storage: StorageSettings) -> None:
    """New artifacts of this process go to `storage` (a described, registered root)."""
    extras = connection().extras
    extras["storage_id"] = storage.id
    extras["storage_root"] = storage.root_as_str
    extras["storage"] = storage


def default_storage() -> StorageSettings:
    """The storage new artifacts of this process go to (`ln.settings.storage`)."""
    return connection().extras["storage"]


def instance_settings() -> Any:
    return connection().settings


def visible_branch_ids() -> list[int]:
    """Branches whose records queries see: main and the current branch."""
    current = current_branch_id()
    return [1] if current == 1 else [1, current]


# a block of code that writes to another branch than the current one (`writing_to_branch`)
_branch_of_block: ContextVar[int | None] = ContextVar("lamin_kernel_branch_of_block", default=None)


@contextmanager
def writing_to_branch(branch_id: int) -> Iterator[None]:
    """Inside the block (this thread or task only), `branch_id` is the current branch: records
    are written there and queries see it. A run whose branch was merged while it ran ends on
    the branch that took it."""
    token = _branch_of_block.set(branch_id)
    try:
        yield
    finally:
        _branch_of_block.reset(token)


def current_branch_id() -> int:
    """The branch this user works on in this instance: a user setting, re-read when it changes.

    `lamin switch` in a terminal thus moves a running kernel of the same user too.
    """
    in_block = _branch_of_block.get()
    if in_block is not None:
        return in_block
    extras = connection().extras
    if extras.get("process_branch_id") is not None:
        return int(extras["process_branch_id"])
    stamp = _user_settings_stamp()
    if "branch_id" not in extras or extras.get("branch_stamp") != stamp:
        extras["branch_id"] = _branch_id_from_settings()
        extras["branch_stamp"] = stamp
    return int(extras["branch_id"])


def set_process_branch_id(branch_id: int | None) -> None:
    """This process works on `branch_id` whatever the user setting says (None: follow it again).

    `ln.track(branch=...)` uses it: the run's records go to that branch.
    """
    connection().extras["process_branch_id"] = branch_id


def set_current_branch_id(branch_id: int) -> None:
    """After the user setting was written: use this branch without re-reading it."""
    extras = connection().extras
    extras["process_branch_id"] = None
    extras["branch_id"] = branch_id
    extras["branch_stamp"] = _user_settings_stamp()


def current_space_id() -> int:
    """The space new records of this user go to in this instance (`ln.setup.switch(name,
    space=True)`, or `ln.track(space=...)` for this process); 1 ('all') by default."""
    extras = connection().extras
    if extras.get("process_space_id") is not None:
        return int(extras["process_space_id"])
    stamp = _user_settings_stamp()
    if "space_id" not in extras or extras.get("space_stamp") != stamp:
        extras["space_id"] = _space_id_from_settings()
        extras["space_stamp"] = stamp
    return int(extras["space_id"])


def set_process_space_id(space_id: int | None) -> None:
    """This process puts new records into `space_id` (None: follow the user setting)."""
    connection().extras["process_space_id"] = space_id


def forget_space() -> None:
    """The user setting changed: read it again (and drop a process override)."""
    extras = connection().extras
    extras.pop("space_id", None)
    extras["process_space_id"] = None


def _space_id_from_settings() -> int:
    conn = connection()
    name = load_user_settings().spaces.get(conn.settings.slug)
    if not name or name == "all":
        return 1
    space = table("lk_space", column("id"), column("name"))
    with pooled_connection(conn.engine) as db:
        row = db.execute(select(space.c.id).where(space.c.name == name)).first()
    if row is None:
        log.warning(f"space '{name}' of {conn.settings.slug} no longer exists; using 'all'")
        return 1
    return int(row[0])


def _user_settings_stamp() -> int | None:
    try:
        return os.stat(os.path.join(settings_dir(), "user.json")).st_mtime_ns
    except FileNotFoundError:
        return None


def _branch_id_from_settings() -> int:
    conn = connection()
    name = load_user_settings().branches.get(conn.settings.slug)
    if not name or name == "main":
        return 1
    branch = table("lk_branch", column("id"), column("name"), column("status"))
    with pooled_connection(conn.engine) as db:
        row = db.execute(
            select(branch.c.id)
            .where(branch.c.name == name, branch.c.status != "closed")
            .order_by(branch.c.id.desc())
        ).first()
    if row is None:
        log.warning(f"branch '{name}' of {conn.settings.slug} no longer exists; working on main")
        return 1
    return int(row[0])
