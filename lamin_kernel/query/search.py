"""search(): exact > prefix > word > fuzzy ranking; lookup(): records as attributes."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import case, inspect

from ..errors import FieldValidationError, InvalidArgument
from ..setup.session import end_read, get_session

# Fuzzy scores (0-100) are scaled below 70 so they rank after every substring match.
FUZZY_SCALE = 0.69
MIN_SCORE = 60.0 * FUZZY_SCALE


def _search_fields(model: type, field: str | None) -> list[str]:
    columns = {a.key for a in inspect(model).column_attrs}
    if field is not None:
        if field not in columns:
            raise FieldValidationError(f"cannot search unknown field '{field}' of {model.__name__}")
        return [field]
    fields = [f for f in getattr(model, "__lk_search_fields__", ()) if f in columns]
    if "synonyms" in columns and "synonyms" not in fields:
        fields.append("synonyms")
    return fields


def score_text(query: str, text: str | None, is_synonyms: bool = False) -> float:
    """100 exact, 90 prefix, 80 whole word, 70 substring, else a fuzzy score below 70."""
    if not text:
        return 0.0
    from rapidfuzz import fuzz

    q = query.lower().strip()
    candidates = text.split("|") if is_synonyms else [text]
    best = 0.0
    for candidate in candidates:
        c = candidate.lower().strip()
        if c == q:
            score = 100.0
        elif c.startswith(q):
            score = 90.0
        elif re.search(rf"(^|\W){re.escape(q)}(\W|$)", c):
            score = 80.0
        elif q in c:
            score = 70.0
        else:
            score = min(fuzz.WRatio(q, c) * FUZZY_SCALE, 69.0)
        best = max(best, score - (1.0 if is_synonyms else 0.0))
    return best


def search_records(
    qs: Any, string: str, *, field: str | None = None, limit: int | None = 20
) -> Any:
    """A QuerySet of the best matches, best first."""
    if not isinstance(string, str) or not string.strip():
        raise InvalidArgument("search() needs a non-empty string")
    model = qs.model
    fields = _search_fields(model, field)
    if not fields:
        raise InvalidArgument(f"{model.__name__} has no text fields to search")
    session = get_session()
    try:
        rows = session.execute(qs.statement(model.id, *(getattr(model, f) for f in fields))).all()
    finally:
        end_read(session)
    return qs.in_id_order(rank_rows(string, fields, rows, limit))


def rank_rows(string: str, fields: list[str], rows: Any, limit: int | None) -> list[int]:
    """The ids of rows `(id, *values of fields)` that match `string`, best first, then by id."""
    scored = []
    for row in rows:
        score = max(
            score_text(string, value, f == "synonyms")
            for f, value in zip(fields, row[1:], strict=True)
        )
        if score >= MIN_SCORE:
            scored.append((score, row[0]))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [rid for _, rid in (scored if limit is None else scored[:limit])]


def _attribute_name(name: str) -> str:
    ident = re.sub(r"\W+", "_", name.strip()).strip("_").lower()
    return f"_{ident}" if ident[:1].isdigit() else ident or "_"


class Lookup:
    """Records as attributes (auto-completed by IPython) and items by original name."""

    def __init__(self, records: dict[str, Any], registry: str) -> None:
        self._records = records
        self._by_attr = {_attribute_name(k): v for k, v in records.items()}
        self._registry = registry

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_by_attr"][name]
        except KeyError:
            raise AttributeError(f"{self._registry} lookup has no '{name}'") from None

    def __getitem__(self, name: str) -> Any:
        return self._records[name]

    def __dir__(self) -> list[str]:
        return sorted(self._by_attr)

    def dict(self) -> dict[str, Any]:
        return dict(self._records)

    def __repr__(self) -> str:
        return f"Lookup of {len(self._records)} {self._registry} records: {', '.join(list(self._by_attr)[:10])}"


def lookup_records(qs: Any, field: str | None = None) -> Lookup:
    model = qs.model
    field = field or getattr(model, "__lk_name_field__", None) or "uid"
    if field not in {a.key for a in inspect(model).column_attrs}:
        raise FieldValidationError(f"cannot look up by unknown field '{field}' of {model.__name__}")
    records = {str(getattr(r, field)): r for r in qs if getattr(r, field) is not None}
    return Lookup(records, model.__name__)


def id_order(model: type, ids: list[int]) -> Any:
    """An ORDER BY expression that keeps `ids` in the given order."""
    return case({rid: pos for pos, rid in enumerate(ids)}, value=model.id, else_=len(ids))
