"""The registry browser's search: the package's search (query/search.py), up to CANDIDATES
results, which the list endpoint pages through. `total` is capped at CANDIDATES."""

from __future__ import annotations

from ..query.queryset import QuerySet
from ..query.search import SearchResult, search_ids

CANDIDATES = 1000  # ranked results at most; also the largest `total` a search reports


def search_results(qs: QuerySet, text: str) -> SearchResult:
    """The ids of the best matches of `text` among the QuerySet's records, best first."""
    return search_ids(qs, text, limit=CANDIDATES)
