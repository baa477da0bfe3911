"""How many rows a QuerySet has, without counting a large registry row by row.

A count reads every matching row (SQLite walks an index of the whole table for an unfiltered
registry: 40 ms at 1,000,000 artifacts). Pages and lists that only show the number count up to
COUNT_CAP rows exactly; past that an unfiltered registry reports the database's estimate
(db/statistics.estimated_rows: PostgreSQL's planner figure, SQLite's span of row ids), and a
filtered one is counted (its filter narrows the rows through an index).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ..db.statistics import estimated_rows
from ..setup.session import read_session

COUNT_CAP = 10_000


@dataclass(frozen=True)
class RowCount:
    """`value` rows; `exact` is False when it is the database's estimate."""

    value: int
    exact: bool = True


def bounded_count(qs: Any, cap: int | None = None) -> RowCount:
    """The rows of `qs`: exact up to `cap` (COUNT_CAP), estimated past it when `qs` filters
    nothing but the branches in view (the estimate counts every branch: it is about the
    registry)."""
    cap = COUNT_CAP if cap is None else cap
    model = qs.model
    capped = qs.statement(model.id).order_by(None).limit(cap + 1).subquery()
    with read_session() as session:
        counted = int(session.execute(select(func.count()).select_from(capped)).scalar_one())
        if counted <= cap:
            return RowCount(counted)
        if not qs.filters_beyond_visibility():
            estimate = estimated_rows(session.connection(), model.__table__.name)
            if estimate is not None and estimate > cap:
                return RowCount(estimate, exact=False)
    return RowCount(qs.count())
