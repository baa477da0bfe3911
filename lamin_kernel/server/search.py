"""The registry browser's search: the query layer's ranking over a bounded set of candidates.

`QuerySet.search()` scores every row in Python (exact > prefix > word > substring > fuzzy),
which takes seconds on 100,000 rows. Substring matches always outrank fuzzy ones, so when
the text occurs in a search field the candidates are those rows (newest first, at most
CANDIDATES) found by SQL in one scan that also reads the fields to rank; only when it occurs
nowhere does the fuzzy search scan the registry, to forgive typos.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import or_
from typing import Any

from sqlalchemy import inspect

from ..query.q import Q
from ..query.queryset import QuerySet
from ..query.search import rank_rows
from ..setup.session import end_read, get_session

CANDIDATES = 1000  # rows ranked at most; also the most results a search returns
# ASCII characters that no lowercasing changes or produces: digits, punctuation, space
CASELESS_RUN = re.compile(r"[\x20-\x40\x5b-\x60\x7b-\x7e]{2,}")


def search_fields(model: type) -> list[str]:
    """The text fields `QuerySet.search()` looks at."""
    columns = {a.key for a in inspect(model).column_attrs}
    fields = [f for f in getattr(model, "__lk_search_fields__", ()) if f in columns]
    return fields + (["synonyms"] if "synonyms" in columns and "synonyms" not in fields else [])


def contains_text(fields: list[str], text: str) -> Q:
    """Rows where a field contains `text`, ignoring case.

    A case-insensitive match contains the text's longest run of digits and punctuation
    as it is: testing that first (no lower() per row) is about twice as fast on SQLite
    and selects the same rows.
    """
    runs = sorted(CASELESS_RUN.findall(text), key=len)
    conditions = []
    for f in fields:
        condition = Q(**{f"{f}__icontains": text})
        if runs and runs[-1] != text:
            condition = Q(**{f"{f}__contains": runs[-1]}) & condition
        conditions.append(condition)
    return reduce(or_, conditions)


def _rows(qs: QuerySet, fields: list[str]) -> list[Any]:
    model = qs.model
    session = get_session()
    try:
        return session.execute(qs.statement(model.id, *(getattr(model, f) for f in fields))).all()
    finally:
        end_read(session)


def search_ids(qs: QuerySet, text: str) -> list[int]:
    """The ids of the best matches of `text`, best first (at most CANDIDATES)."""
    fields = search_fields(qs.model)
    if not fields:
        return qs.search(text, limit=CANDIDATES).to_list("id")  # says there is nothing to search
    rows = _rows(qs.filter(contains_text(fields, text)).order_by("-id")[:CANDIDATES], fields)
    if not rows:
        rows = _rows(qs, fields)
    return rank_rows(text, fields, rows, CANDIDATES)
