"""Engines for SQLite (WAL, busy timeout) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 60_000
WRITE_OPTION = "lamin_kernel_write"


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
    return create_engine(url, pool_pre_ping=True)


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
