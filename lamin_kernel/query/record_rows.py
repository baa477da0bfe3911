"""A page of a registry's rows as plain values (no ORM objects, no pandas): what a table shows.

`rows_page(ln.Artifact.filter(suffix=".parquet"), ["key", "size"], page_size=20)` is the same
call the JupyterLab registry browser's list route makes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..setup.session import read_session
from .counting import bounded_count
from .queryset import QuerySet
from .search import search_ids

SEARCH_CANDIDATES = 1000  # ranked results at most; also the largest `total` a search reports


@dataclass(frozen=True)
class RowsPage:
    """One page of rows: `total` counts every match (capped for a search, whose `complete` is
    False when its deadline may have left out matches; for a registry past COUNT_CAP rows
    without a filter, the database's estimate: `total_exact` False)."""

    total: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    complete: bool = True
    total_exact: bool = True


def column_rows(qs: QuerySet, names: list[str]) -> list[dict[str, Any]]:
    """The named columns of a QuerySet's rows (plus `id`), in one SELECT."""
    model = qs.model
    with read_session() as session:
        rows = session.execute(qs.statement(model.id, *(getattr(model, n) for n in names))).all()
    return [{"id": row[0], **dict(zip(names, row[1:], strict=True))} for row in rows]


def rows_page(
    qs: QuerySet,
    columns: list[str],
    order: list[str] | None = None,
    page: int = 1,
    page_size: int = 50,
    search: str | None = None,
    search_limit: int = SEARCH_CANDIDATES,
) -> RowsPage:
    """Page `page` (from 1) of the QuerySet's rows: `columns` of each, ordered by `order`
    (field names, "-" for descending), or by search rank when `search` is given and no order."""
    start = (page - 1) * page_size
    if search:
        found = search_ids(qs, search, limit=search_limit)
        if not found.ids:
            return RowsPage(0, [], found.complete)
        if order:
            selected = qs.filter(id__in=found.ids).order_by(*order)[start : start + page_size]
        else:
            selected = qs.in_id_order(found.ids[start : start + page_size])
        return RowsPage(len(found.ids), column_rows(selected, columns), found.complete)
    with read_session():  # the count and the page in one read transaction
        total = bounded_count(qs)
        if not total.value:
            return RowsPage(0)
        selected = qs.order_by(*(order or []))[start : start + page_size]
        return RowsPage(total.value, column_rows(selected, columns), total_exact=total.exact)
