"""Planner statistics: fresh ones for SQLite, and row estimates that cost no count.

SQLite without statistics may pick a low-selectivity index (branch_id) and scan whole
tables; ANALYZE runs when a table has grown tenfold since it was analysed. `estimated_rows`
tells about how many rows a table has from what each database keeps anyway, for messages
that would otherwise count a large table.
"""

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
# Tables up to this size are analysed whole (about 0.15 s per 100,000 artifacts, once per
# tenfold growth). A sample (PRAGMA analysis_limit) caps the rows-per-value estimate of a
# low-cardinality index such as branch_id at the sample size, and the planner then prefers
# it over the key index for a prefix filter: a whole-table walk instead of an index range.
FULL_ANALYSIS_ROWS = 5_000_000
SAMPLED_ANALYSIS_LIMIT = 1_000_000


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
    for table in stale:
        analyze(conn, table)
    return stale


CHECK_EVERY_ROWS = 100  # rows a process inserts into a table between two staleness checks


def refresh_if_stale_now_and_then(conn: Connection, table: str, new_rows: int, memo: dict) -> None:
    """`refresh_if_stale` for one table on the first insert of a process and after every
    CHECK_EVERY_ROWS rows it inserted since (`memo` holds the count, per connection): a table
    grows tenfold over many inserts, and the check's three statements are most of the cost
    of saving one small artifact."""
    count = memo.get(table, CHECK_EVERY_ROWS) + new_rows
    if count >= CHECK_EVERY_ROWS:
        refresh_if_stale(conn, (table,))
        count = 0
    memo[table] = count


def analyze(conn: Connection, table: str) -> None:
    """Fresh statistics for one table: whole up to FULL_ANALYSIS_ROWS, sampled above."""
    rows = conn.execute(text(f'SELECT max(rowid) FROM "{table}"')).scalar() or 0
    limit = 0 if rows <= FULL_ANALYSIS_ROWS else SAMPLED_ANALYSIS_LIMIT
    conn.execute(text(f"PRAGMA analysis_limit={limit}"))
    conn.execute(text(f'ANALYZE "{table}"'))


def estimated_rows(conn: Connection, table: str) -> int | None:
    """About how many rows a table has, without counting them; None when unknown.

    PostgreSQL: the planner's estimate (``pg_class.reltuples``, kept by ANALYZE and
    autovacuum). SQLite: the span of row ids (its integer primary key), read from the two
    ends of the table: rows deleted since leave gaps, so it can only overestimate.
    """
    if conn.dialect.name == "postgresql":
        found = conn.execute(
            text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:t)"), {"t": table}
        ).scalar()
        return int(found) if found is not None and found >= 0 else None
    if conn.dialect.name == "sqlite":
        # one aggregate per query: SQLite reads min() or max() alone from the b-tree's end
        high = conn.execute(text(f'SELECT max(rowid) FROM "{table}"')).scalar()
        low = conn.execute(text(f'SELECT min(rowid) FROM "{table}"')).scalar()
        return 0 if high is None else int(high) - int(low) + 1
    return None
