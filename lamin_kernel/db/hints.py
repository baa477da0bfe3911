"""Planner hints: what SQLite's query planner must not take from its statistics.

Every query carries the branch visibility filter (main and the current branch), which holds
for nearly every row. Without statistics, or with sampled ones, SQLite takes an equality on an
indexed column as selective: it walks the whole ``branch_id`` index and sorts, instead of
reading the ``key`` index in order or a ``key`` prefix range (90 ms instead of 0.1 ms for a
page of 100,000 artifacts sorted by key; ``likely()`` is not enough once a sampled
statistic says a branch holds 1,000 rows). `unindexed(column)` is SQLite's unary ``+``: the
same value, but no index is used for a condition on it. PostgreSQL keeps the plain column;
its statistics come from a full-table sample and autovacuum.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class unindexed(FunctionElement):  # noqa: N801  (used like an SQL function)
    """`column` with no index used for conditions on it (SQLite: ``+column``)."""

    name = "unindexed"
    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _plain(element: unindexed, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _sqlite(element: unindexed, compiler: Any, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"
