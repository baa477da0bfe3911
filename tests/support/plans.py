"""Query plans of SQLAlchemy statements on the connected instance's database.

SQLite: the lines of ``EXPLAIN QUERY PLAN``. PostgreSQL: the scan nodes of ``EXPLAIN (FORMAT
JSON)`` planned without sequential scans, hash and merge joins. The test tables are small,
and on small tables reading everything is PostgreSQL's right choice; without those plans it
must find index paths, so a plan that still reads a whole table means that no index can serve
the condition (a dropped index, a filter no index matches, a correlated subquery per row).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lamin_kernel import runtime


@dataclass(frozen=True)
class Scan:
    """One read of a table: how (``search``: through an index condition; ``scan``: the
    whole table or a whole index) and with which index."""

    table: str
    how: str
    index: str | None
    detail: str


def _sql(statement: Any, dialect: Any) -> str:
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def scans(statement: Any) -> list[Scan]:
    """The table reads of a statement's plan."""
    engine = runtime.connection().engine
    sql = _sql(statement, engine.dialect)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            lines = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
            return [s for s in map(_sqlite_scan, lines) if s is not None]
        for plan_kind in ("seqscan", "hashjoin", "mergejoin"):
            conn.exec_driver_sql(f"SET enable_{plan_kind} = off")
        plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {sql}").scalar_one()
        conn.rollback()
    root = plan[0]["Plan"] if isinstance(plan, list) else plan
    return list(_postgres_scans(root))


def _sqlite_scan(line: str) -> Scan | None:
    words = line.split()
    if not words or words[0] not in ("SEARCH", "SCAN") or len(words) < 2:
        return None
    index = None
    if "INDEX" in words:
        index = words[words.index("INDEX") + 1]
    elif "PRIMARY" in words:
        index = "PRIMARY KEY"
    return Scan(words[1], "search" if words[0] == "SEARCH" else "scan", index, line)


def _postgres_scans(node: dict) -> Any:
    """Every table read of a plan tree, subplans (ANY(ARRAY(SELECT ...))) included."""
    kind = node.get("Node Type", "")
    table = node.get("Relation Name")
    if kind == "Seq Scan":
        yield Scan(table, "scan", None, kind)
    elif kind in ("Index Scan", "Index Only Scan"):
        how = "search" if node.get("Index Cond") else "scan"
        yield Scan(table, how, node.get("Index Name"), f"{kind} {node.get('Index Cond', '')}")
    elif kind == "Bitmap Heap Scan":
        indexes = list(_bitmap_index_scans(node))
        how = "search" if indexes and all(c.get("Index Cond") for c in indexes) else "scan"
        names = ",".join(c.get("Index Name", "") for c in indexes)
        yield Scan(table, how, names, f"{kind} on {names}")
    for child in node.get("Plans", []):
        if child.get("Node Type") not in BITMAP_NODES:
            yield from _postgres_scans(child)


BITMAP_NODES = ("Bitmap Index Scan", "BitmapAnd", "BitmapOr")


def _bitmap_index_scans(node: dict) -> Any:
    for child in node.get("Plans", []):
        if child.get("Node Type") == "Bitmap Index Scan":
            yield child
        elif child.get("Node Type") in BITMAP_NODES:
            yield from _bitmap_index_scans(child)


def full_reads(found: list[Scan], tables: set[str]) -> list[Scan]:
    """Reads of whole tables (or whole indexes) among `tables`; reading the index of a branch
    (where nearly every row is) counts as reading all of the table, unless each read is one
    row of it (SQLite: `(branch_id=? AND rowid=?)`, an id picked elsewhere checked there)."""
    return [
        s
        for s in found
        if s.table in tables
        and (
            s.how == "scan"
            or ((s.index or "").endswith("_branch_id") and "rowid=?" not in s.detail)
        )
    ]


def indexes_used(found: list[Scan]) -> set[str]:
    return {name for s in found if s.index for name in s.index.split(",")}
