"""search(): records ranked exact > prefix > word > substring > fuzzy, from an index; lookup().

`search_ids` is the one search: `Registry.search()`, `QuerySet.search()` and the REST API's
`search` parameter all call it. Candidates come from the registry's search index
(query/search_sources.py), are ranked in Python (query/search_rank.py), and the whole search
runs under a deadline the database enforces (query/search_run.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import case, inspect, select

from .. import log
from ..db.search_index import SYNONYM_FIELD
from ..errors import FieldValidationError, InvalidArgument
from ..setup.session import read_session
from .lookups import suggest
from .search_rank import fuzzy_scores, rank_matches
from .search_run import SearchInterrupted, search_run
from .search_sources import candidate_source
from .search_text import TRIGRAM, SearchText

DEFAULT_LIMIT = 20  # LaminDB's default number of results


@dataclass(frozen=True)
class SearchResult:
    """Record ids, best first; `complete` is False when the deadline or the cap on a scan may
    have left out records that contain the text."""

    ids: list[int]
    complete: bool = True


def search_fields(model: type, field: Any = None) -> list[str]:
    """The fields a search looks at: `field` (a name, a field such as `ULabel.name`, or a list of
    them), by default the registry's search fields and its synonyms."""
    columns = {a.key for a in inspect(model).column_attrs}
    if field is None:
        fields = [f for f in getattr(model, "__lk_search_fields__", ()) if f in columns]
        if SYNONYM_FIELD in columns and SYNONYM_FIELD not in fields:
            fields.append(SYNONYM_FIELD)
        return fields
    names = []
    for item in field if isinstance(field, list | tuple) else [field]:
        name = item if isinstance(item, str) else getattr(item, "key", None)
        if not isinstance(name, str):
            raise InvalidArgument(
                f"search(field=...) takes a field name or a field such as {model.__name__}.name,"
                f" got {type(item).__name__}"
            )
        if name not in columns:
            raise FieldValidationError(
                f"cannot search unknown field '{name}' of {model.__name__}.{suggest(name, columns)}"
            )
        names.append(name)
    return list(dict.fromkeys(names))


def _checked_limit(limit: Any) -> int | None:
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise InvalidArgument(
            f"search(limit=...) takes a non-negative integer or None, got {limit!r}"
        )
    return limit


def _wants_fuzzy(text: SearchText, limit: int | None, found: int) -> bool:
    """Typo-tolerant matches fill a page the text itself does not; a case-sensitive search
    asks for the text as typed, and one or two characters are too short to have typos."""
    room = limit is None or found < limit
    return room and not text.case_sensitive and len(text.folded) >= TRIGRAM


def _first_ids(qs: Any, limit: int | None) -> list[int]:
    """An empty text matches every record (as LaminDB's): the first ones by id."""
    model = qs.model
    stmt = select(model.id).where(*qs.conditions()).order_by(model.id).limit(limit)
    with search_run() as run:
        return run.scalars(stmt)


def search_ids(
    qs: Any,
    string: str,
    *,
    field: Any = None,
    limit: int | None = DEFAULT_LIMIT,
    case_sensitive: bool = False,
) -> SearchResult:
    """The ids of the records of `qs` that best match `string`, best first, at most `limit`."""
    text = SearchText.parse(string, case_sensitive)
    limit = _checked_limit(limit)
    fields = search_fields(qs.model, field)
    if not fields:
        raise InvalidArgument(f"{qs.model.__name__} has no text fields to search")
    if limit == 0:
        return SearchResult([])
    if text.empty:
        return SearchResult(_first_ids(qs, limit))
    ranked: list[int] = []
    complete = True
    with search_run() as run:
        source = candidate_source(run, qs, fields)
        try:
            ranked = [rid for _, rid in rank_matches(text, fields, source.matches(text, limit))]
            # fuzzy matches are best effort: only a cap on the matches makes a search partial
            complete = not source.window_capped
            if _wants_fuzzy(text, limit, len(ranked)):
                rows = source.fuzzy(text, set(ranked))
                ranked += [rid for _, rid in fuzzy_scores(text, fields, rows)]
        except SearchInterrupted:
            complete = False
            log.warning(
                f"search for '{text.raw[:80]}' in {qs.model.__name__} stopped at its time limit;"
                " the results may be incomplete"
            )
    return SearchResult(ranked if limit is None else ranked[:limit], complete)


def search_records(
    qs: Any,
    string: str,
    *,
    field: Any = None,
    limit: int | None = DEFAULT_LIMIT,
    case_sensitive: bool = False,
) -> Any:
    """A QuerySet of the best matches, best first (see search_ids)."""
    result = search_ids(qs, string, field=field, limit=limit, case_sensitive=case_sensitive)
    return qs.in_id_order(result.ids)


def _attribute_name(name: str) -> str:
    ident = re.sub(r"\W+", "_", name.strip()).strip("_").lower()
    return f"_{ident}" if ident[:1].isdigit() else ident or "_"


class Lookup:
    """Records as attributes (auto-completed by IPython) and items by original name.

    It holds names and ids only: a record is read when it is first asked for, then kept, so a
    lookup of a large registry costs its names, not its records.
    """

    def __init__(self, ids_by_name: dict[str, int], records_of: Any, registry: str) -> None:
        self._ids = ids_by_name
        self._attrs: dict[str, int] | None = None  # made on first use (1M names: seconds)
        self._records_of = records_of  # ids -> {id: record}
        self._loaded: dict[int, Any] = {}
        self._registry = registry

    @property
    def _by_attr(self) -> dict[str, int]:
        """Attribute name -> id."""
        if self._attrs is None:
            self._attrs = {_attribute_name(k): v for k, v in self._ids.items()}
        return self._attrs

    def _record(self, rid: int) -> Any:
        if rid not in self._loaded:
            self._loaded.update(self._records_of([rid]))
        return self._loaded[rid]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or "_ids" not in self.__dict__:  # protocols; not set up yet
            raise AttributeError(name)
        try:
            rid = self._by_attr[name]
        except KeyError:
            raise AttributeError(f"{self._registry} lookup has no '{name}'") from None
        return self._record(rid)

    def __getitem__(self, name: str) -> Any:
        return self._record(self._ids[name])

    def __dir__(self) -> list[str]:
        return sorted(self._by_attr)

    def dict(self) -> dict[str, Any]:
        missing = [rid for rid in self._ids.values() if rid not in self._loaded]
        for start in range(0, len(missing), LOOKUP_CHUNK):
            self._loaded.update(self._records_of(missing[start : start + LOOKUP_CHUNK]))
        return {name: self._loaded[rid] for name, rid in self._ids.items()}

    def __repr__(self) -> str:
        names = ", ".join(dict.fromkeys(_attribute_name(k) for k in islice(self._ids, 10)))
        return f"Lookup of {len(self._ids)} {self._registry} records: {names}"


LOOKUP_CHUNK = 500


def lookup_records(
    qs: Any, field: str | None = None, return_field: str | None = None, keep: Any = "last"
) -> Lookup:
    """A Lookup of the records of `qs` by `field` (the registry's name field, else uid).

    `return_field`: the lookup gives that field's value instead of the record; `keep`: which
    record a name shared by several stands for, "first" or "last" in the query's order."""
    model = qs.model
    field = field or getattr(model, "__lk_name_field__", None) or "uid"
    columns = {a.key for a in inspect(model).column_attrs}
    for name in (field, return_field):
        if name is not None and name not in columns:
            raise FieldValidationError(
                f"cannot look up by unknown field '{name}' of {model.__name__}"
            )
    if keep not in ("first", "last"):
        raise InvalidArgument(f"keep is 'first' or 'last', got {keep!r}")
    ids: dict[str, int] = {}
    statement = qs.statement(getattr(model, field), model.id).execution_options(yield_per=10_000)
    with read_session() as session:  # streamed: the names' dict only, not a list of rows too
        for value, rid in session.execute(statement):
            if value is not None and (keep == "last" or str(value) not in ids):
                ids[str(value)] = rid

    def records_of(chunk: list[int]) -> dict[int, Any]:
        chunk_qs = qs.filter(id__in=chunk)
        chunk_qs._offset = chunk_qs._limit = None  # the ids already are the slice's
        if return_field is None:
            return {r.id: r for r in chunk_qs}
        return {r.id: getattr(r, return_field) for r in chunk_qs}

    return Lookup(ids, records_of, model.__name__)


def id_order(model: type, ids: list[int]) -> Any:
    """An ORDER BY expression that keeps `ids` in the given order."""
    return case({rid: pos for pos, rid in enumerate(ids)}, value=model.id, else_=len(ids))
