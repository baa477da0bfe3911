"""One row per name: the unique indexes behind "same name returns the saved record".

`ln.ULabel(name="DMSO")` returns the saved DMSO label; two processes that both found none
and both save would otherwise make two rows. A partial unique index per registry makes the
database refuse the second, and the save path (`records.unique_names`) turns the refusal
into the winner's row.

The key of a registry is its name, plus its type (`coalesce(type_id, 0)`: NULLs are distinct
in a unique index) and `is_type` where it has them. Only live rows count (`branch_id > 0`:
main and contribution branches, not the archive nor the trash), so a trashed label does not
block a new one of its name, and a merge (which moves rows between live branches) never
collides.

Instances made before the index may hold duplicates already. The migration keeps every row
(nothing is merged or renamed) and leaves the later duplicates of each name out of the index
(`id NOT IN (...)`), so the oldest row of each name is the one the index protects and the
one `Registry(name=...)` returns (`duplicate_name_ids` lists the others). Written by hand in
migrations: not in the models' metadata.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import text
from sqlalchemy.engine import Connection

from .. import log

# table -> the columns that make a name one record (type and is_type where the table has them)
NAME_KEYS: dict[str, tuple[str, ...]] = {
    "lk_ulabel": ("name", "type_id", "is_type"),
    "lk_feature": ("name", "type_id", "is_type"),
    "lk_record": ("name", "type_id", "is_type"),
    "lk_project": ("name",),
}
LIVE_ROWS = "branch_id > 0"
SUFFIX = "_unique_name"


def index_name(table: str) -> str:
    return f"{table}{SUFFIX}"


def is_unique_name_index(name: str | None) -> bool:
    """Whether an index is one of these (schema comparisons leave them alone)."""
    return bool(name) and str(name).endswith(SUFFIX)


def key_sql(columns: Sequence[str]) -> list[str]:
    """The indexed expressions: a NULL type counts as 'no type', one value like any other."""
    return [f"coalesce({c}, 0)" if c == "type_id" else c for c in columns]


def duplicate_name_ids(connection: Connection, table: str, columns: Sequence[str]) -> list[int]:
    """Ids of live rows whose name (under the same key) an older live row already has."""
    key = ", ".join(key_sql(columns))
    rows = connection.execute(
        text(
            f"SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY {key} ORDER BY id) "
            f"AS n FROM {table} WHERE {LIVE_ROWS} AND name IS NOT NULL) AS ranked "
            "WHERE n > 1 ORDER BY id"
        )
    )
    return [int(r[0]) for r in rows]


def create_unique_name_index(connection: Connection, table: str, columns: Sequence[str]) -> None:
    """The partial unique index of `table`, leaving out duplicates that exist already."""
    duplicates = duplicate_name_ids(connection, table, columns)
    where = LIVE_ROWS
    if duplicates:
        where += f" AND id NOT IN ({', '.join(str(i) for i in duplicates)})"
        log.warning(
            f"{table}: {len(duplicates)} records repeat the name of an older record; all are "
            "kept, the oldest of each name is the one returned for that name "
            f"(ids of the repeats: {duplicates[:20]}{' ...' if len(duplicates) > 20 else ''})"
        )
    connection.execute(
        text(
            f"CREATE UNIQUE INDEX {index_name(table)} ON {table} "
            f"({', '.join(key_sql(columns))}) WHERE {where}"
        )
    )


def create_unique_name_indexes(
    connection: Connection, keys: Mapping[str, Sequence[str]] = NAME_KEYS
) -> None:
    for table, columns in keys.items():
        create_unique_name_index(connection, table, columns)


def drop_unique_name_indexes(
    connection: Connection, keys: Mapping[str, Sequence[str]] = NAME_KEYS
) -> None:
    for table in keys:
        connection.execute(text(f"DROP INDEX IF EXISTS {index_name(table)}"))


def is_unique_name_violation(exc: BaseException, table: str) -> bool:
    """Whether a database error is this table's unique name index refusing a row."""
    orig = getattr(exc, "orig", exc)
    diag = getattr(orig, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return diag.constraint_name == index_name(table)
    message = str(orig)
    if "UNIQUE constraint failed" not in message:
        return False
    # SQLite names the index of an expression ("index 'lk_ulabel_unique_name'"), and the
    # columns of a plain one ("lk_project.name")
    columns = ", ".join(f"{table}.{c}" for c in NAME_KEYS.get(table, ()))
    return index_name(table) in message or message.endswith(f"failed: {columns}")
