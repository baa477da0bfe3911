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
from sqlalchemy.types import NullType


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


class in_subquery(FunctionElement):  # noqa: N801  (used like an SQL operator)
    """`column IN (SELECT ...)`, planned from the subquery's rows on every database.

    SQLite reads an IN subquery into a list first and looks each value up in the column's
    index. PostgreSQL plans it as a semi-join and, when it guesses that many rows match,
    hashes the subquery and reads the whole outer table; ``column = ANY(ARRAY(SELECT ...))``
    runs the subquery once and looks its values up in the index instead, so the cost follows
    the number of matches, not the size of the table.
    """

    name = "in_subquery"
    inherit_cache = True
    type = NullType()  # not Boolean: SQLite would be given `... = 1`

    def __init__(self, column: Any, subquery: Any) -> None:
        super().__init__(column, subquery.correlate(None).scalar_subquery())


@compiles(in_subquery)
def _in_list(element: in_subquery, compiler: Any, **kw: Any) -> str:
    column, subquery = element.clauses
    return f"({compiler.process(column, **kw)} IN {compiler.process(subquery, **kw)})"


@compiles(in_subquery, "postgresql")
def _any_array(element: in_subquery, compiler: Any, **kw: Any) -> str:
    column, subquery = element.clauses
    return f"({compiler.process(column, **kw)} = ANY(ARRAY{compiler.process(subquery, **kw)}))"
