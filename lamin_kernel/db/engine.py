"""Engines for SQLite (WAL, busy timeout) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 60_000
WRITE_OPTION = "lamin_kernel_write"
PING_AFTER_IDLE_S = 1.0  # a pooled PostgreSQL connection unused this long is pinged first
_LAST_USED = "lamin_kernel_last_used"  # the pool record's info: monotonic time of check-in


def normalize_url(url: str) -> str:
    """Use psycopg 3 for postgresql:// URLs; leave others as they are."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def dialect_of(url: str) -> str:
    """'sqlite' or 'postgresql'."""
    return "postgresql" if url.startswith("postgres") else "sqlite"


def make_engine(url: str) -> Engine:
    """An engine with the pragmas a registry needs (WAL, busy timeout, foreign keys)."""
    url = normalize_url(url)
    if dialect_of(url) == "sqlite":
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    engine = create_engine(url)
    event.listen(engine, "checkout", _idle_ping(engine.dialect))
    event.listen(engine, "checkin", _note_last_use)
    return engine


def _idle_ping(dialect: Any) -> Callable[[Any, Any, Any], None]:
    """A checkout listener: a pooled connection that sat unused (the server may have
    restarted or dropped it since) is pinged, and a dead one replaced by the pool. Not every
    checkout (``pool_pre_ping``): that is one more round trip for every short read."""

    def ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        last_used = record.info.get(_LAST_USED)
        if last_used is None or time.monotonic() - last_used < PING_AFTER_IDLE_S:
            return  # a new connection, or one used a moment ago
        try:
            alive = dialect.do_ping(dbapi_conn)
        except Exception as exc:
            raise DisconnectionError(f"connection lost while idle: {exc}") from exc
        if not alive:
            raise DisconnectionError("connection lost while idle")

    return ping_if_idle


def _note_last_use(_dbapi_conn: Any, record: Any) -> None:
    record.info[_LAST_USED] = time.monotonic()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy issue BEGIN itself (see _sqlite_begin_immediate).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    # Django-style lookups: contains/startswith are case-sensitive, i* variants use lower().
    cur.execute("PRAGMA case_sensitive_like=ON")
    cur.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    # Reads begin deferred (a WAL snapshot, no lock). A write transaction that first reads
    # could later fail with SQLITE_BUSY without waiting, so writes ask for BEGIN IMMEDIATE,
    # which takes the write lock up front and honours busy_timeout.
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker:
    """Sessions that keep loaded attributes after commit, as records outlive transactions."""
    from sqlmodel import Session

    return sessionmaker(bind=engine, class_=Session, expire_on_commit=False, autoflush=False)
