"""PostgreSQL indexes for prefix lookups: `key__startswith`, a uid stem (`get("<16 chars>")`).

A B-tree index serves `LIKE 'prefix%'` on PostgreSQL only when it compares bytes: the
database's collation (en_US.UTF-8, C.UTF-8, ...) orders text otherwise, so the column's plain
index is never used for a prefix and the lookup reads the whole table. An index with the
`varchar_pattern_ops` operator class compares bytes. SQLite needs none (its LIKE uses the
column's index for a prefix when the pattern is one bound value, `query.lookups`).

The indexes are written by hand in migrations (they are not in the models); autogenerate
leaves them alone by their name (`is_prefix_index`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.engine import Connection

# table -> text columns users look up by prefix (keys and uids of versioned registries)
PREFIX_COLUMNS: dict[str, tuple[str, ...]] = {
    "lk_artifact": ("key", "uid"),
    "lk_collection": ("key", "uid"),
    "lk_transform": ("key", "uid"),
}
SUFFIX = "_prefix"


def escape_like(text: str) -> str:
    """A text as a LIKE pattern that matches it literally (escape character ``/``)."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def starts_with(column: Any, prefix: str) -> ColumnElement[bool]:
    """``column LIKE 'prefix%'`` with the pattern as one bound value, so that SQLite (and
    PostgreSQL through the prefix indexes) walk the column's index. SQLAlchemy's own
    ``column.startswith(x)`` binds ``x || '%'``, which no index serves: the whole table is read.
    """
    return column.like(escape_like(prefix) + "%", escape="/")


def index_name(table: str, column: str) -> str:
    return f"ix_{table}_{column}{SUFFIX}"


def is_prefix_index(name: str | None) -> bool:
    """Whether an index is one of the hand-written prefix indexes."""
    return bool(name) and name.startswith("ix_") and name.endswith(SUFFIX)


def create_prefix_indexes(conn: Connection) -> None:
    """On PostgreSQL, a byte-ordered index for each prefix-searched column (idempotent)."""
    if conn.dialect.name != "postgresql":
        return
    for table, columns in PREFIX_COLUMNS.items():
        for column in columns:
            conn.exec_driver_sql(
                f"CREATE INDEX IF NOT EXISTS {index_name(table, column)} "
                f'ON {table} ("{column}" varchar_pattern_ops)'
            )


def drop_prefix_indexes(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    for table, columns in PREFIX_COLUMNS.items():
        for column in columns:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index_name(table, column)}")
