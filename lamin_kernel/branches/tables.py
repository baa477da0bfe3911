"""Which tables hold branch-scoped rows, and the versioned registries among them.

Tables are found in the database itself, so that rows of registries this process has not
imported (a module's tables) move with the others.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import column, func, inspect, select, table

from .. import models
from ..records.orm_internals import mapped_classes
from ..records.registry import has_column

MAIN, ARCHIVE, TRASH = 1, 0, -1
BUILTIN = {"main": MAIN, "archive": ARCHIVE, "trash": TRASH}


def branch_tables(connection: Any) -> list[Any]:
    """Light table objects (name, branch_id, created_on_id) of every table with a branch_id."""
    inspector = inspect(connection)
    found = []
    for name in sorted(inspector.get_table_names()):
        columns = {c["name"] for c in inspector.get_columns(name)}
        if "branch_id" in columns:
            extra = [column("created_on_id")] if "created_on_id" in columns else []
            found.append(table(name, column("branch_id"), *extra))
    return found


def registry_name(table_name: str) -> str:
    """The registry class name of a table (its table name when not imported here)."""
    for cls in mapped_classes():
        if getattr(cls, "__tablename__", None) == table_name:
            return cls.__name__
    return table_name


def versioned_registries() -> list[type]:
    """Registries whose records are versions that share a uid stem and a key."""
    assert models.SQLRecord  # the core registries are mapped
    return sorted(
        (
            cls
            for cls in mapped_classes()
            if getattr(cls, "__lk_versioned__", False)
            and has_column(cls, "key")
            and has_column(cls, "is_latest")
        ),
        key=lambda cls: cls.__name__,
    )


def counts_by_branch(connection: Any) -> dict[int, dict[str, int]]:
    """{branch id: {registry: number of rows}} over every branch-scoped table."""
    counts: dict[int, dict[str, int]] = {}
    for tbl in branch_tables(connection):
        rows = connection.execute(
            select(tbl.c.branch_id, func.count()).select_from(tbl).group_by(tbl.c.branch_id)
        )
        for branch_id, count in rows:
            counts.setdefault(int(branch_id), {})[registry_name(tbl.name)] = int(count)
    return counts
