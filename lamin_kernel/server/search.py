"""The registry browser's search: the query layer's ranking over a bounded set of candidates.

`QuerySet.search()` scores every row in Python (exact > prefix > word > substring > fuzzy),
which takes seconds on 100,000 rows. Substring matches always outrank fuzzy ones, so when
the text occurs in a search field the candidates are those rows (newest first, at most
CANDIDATES) found by SQL; only when it occurs nowhere does the fuzzy search scan the
registry, to forgive typos.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from sqlalchemy import inspect

from ..query.q import Q
from ..query.queryset import QuerySet

CANDIDATES = 1000  # rows ranked at most; also the most results a search returns


def search_fields(model: type) -> list[str]:
    """The text fields `QuerySet.search()` looks at."""
    columns = {a.key for a in inspect(model).column_attrs}
    fields = [f for f in getattr(model, "__lk_search_fields__", ()) if f in columns]
    return fields + (["synonyms"] if "synonyms" in columns and "synonyms" not in fields else [])


def search_records(qs: QuerySet, text: str) -> QuerySet:
    """The best matches of `text`, best first."""
    fields = search_fields(qs.model)
    if fields:
        contains = reduce(or_, (Q(**{f"{f}__icontains": text}) for f in fields))
        ids = qs.filter(contains).order_by("-id")[:CANDIDATES].to_list("id")
        if ids:
            return qs.filter(id__in=ids).search(text, limit=CANDIDATES)
    return qs.search(text, limit=CANDIDATES)
