"""Planner statistics for SQLite: without them it may pick a low-selectivity index (branch_id)
and scan whole tables. ANALYZE runs when a table has grown tenfold since it was analysed."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

WATCHED_TABLES = (
    "lk_artifact",
    "lk_ulabel",
    "lk_run",
    "lk_transform",
    "lk_collection",
    "lk_jsonvalue",
    "lk_artifact_ulabel",
    "lk_record",
    "lk_feature",
)
MIN_ROWS = 1000
ANALYSIS_LIMIT = 1000  # rows examined per index: approximate statistics in milliseconds


def _analysed_rows(conn: Connection, table: str) -> int | None:
    row = conn.execute(
        text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t LIMIT 1"), {"t": table}
    ).first()
    return int(row[0].split()[0]) if row and row[0] else None


def refresh_if_stale(conn: Connection, tables: tuple[str, ...] = WATCHED_TABLES) -> list[str]:
    """ANALYZE the tables whose row count outgrew their statistics; returns their names."""
    if conn.dialect.name != "sqlite":
        return []
    has_stats = (
        conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first()
        is not None
    )
    stale = []
    for table in tables:
        rows = conn.execute(text(f'SELECT max(rowid) FROM "{table}"')).scalar() or 0
        if rows < MIN_ROWS:
            continue
        analysed = _analysed_rows(conn, table) if has_stats else None
        if analysed is None or rows > 10 * max(analysed, 1):
            stale.append(table)
    if stale:
        conn.execute(text(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}"))
        for table in stale:
            conn.execute(text(f'ANALYZE "{table}"'))
    return stale
