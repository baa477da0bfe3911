"""A cheap token that changes whenever anyone commits a write to the instance's database.

Front ends poll it to learn that another process wrote, without re-reading any table:
on SQLite it is the size and modification time of the database file and its write-ahead
log (a stat() each; every commit appends to the log or, after a checkpoint, rewrites the
file); on PostgreSQL it is the next transaction id to be assigned (no table is read). Equal
tokens mean nothing was written in between; a different token may be a write to another
database of the same PostgreSQL server, which only costs the caller a reload.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text

from ..setup.session import connection, read_session

POSTGRES_NEXT_XID = text("SELECT pg_snapshot_xmax(pg_current_snapshot())")


def _file_stamp(path: Path) -> str:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "-"
    return f"{info.st_mtime_ns:x}.{info.st_size:x}"


def change_token() -> str:
    """An opaque text that differs after any committed write to the connected instance."""
    conn = connection()
    url = conn.engine.url
    if url.get_backend_name() == "sqlite":
        database = Path(url.database or "")
        wal = database.with_name(database.name + "-wal")
        return f"sqlite:{_file_stamp(database)}:{_file_stamp(wal)}"
    with read_session() as session:
        return f"postgresql:{session.execute(POSTGRES_NEXT_XID).scalar_one()}"
