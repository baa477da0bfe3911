"""Turn `field__sub__lookup=value` into SQL conditions, always with bound parameters."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, and_, false, func, inspect, not_, or_
from sqlalchemy.sql.elements import ColumnElement

from ..db.json_compare import json_compare
from ..db.prefix_indexes import starts_with
from ..errors import FieldValidationError
from .relations import related_condition, related_to_ids

LOOKUPS = (
    "exact",
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "in",
    "gt",
    "gte",
    "lt",
    "lte",
    "isnull",
    "range",
)


def split_expression(expression: str) -> list[str]:
    """'run__transform__key__icontains' -> ['run', 'transform', 'key', 'icontains']."""
    parts = expression.split("__")
    if any(p == "" for p in parts):
        raise FieldValidationError(f"'{expression}' is not a valid lookup: empty part between '__'")
    return parts


def field_names(model: type) -> list[str]:
    """Names a query on `model` accepts: columns, relationships and aliases."""
    mapper = inspect(model)
    names = [attr.key for attr in mapper.column_attrs]
    names += list(mapper.relationships.keys())
    names += list(getattr(model, "__lk_aliases__", {}))
    return names


def suggest(name: str, options: Iterable[str]) -> str:
    """A ' Did you mean ...?' hint, or ''."""
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.5)
    return f" Did you mean '{close[0]}'?" if close else ""


def build_condition(model: type, expression: str, value: Any) -> ColumnElement:
    """The SQL condition for one keyword of filter()."""
    parts = split_expression(expression)
    aliases = getattr(model, "__lk_aliases__", {})
    if parts[0] in aliases:
        parts = aliases[parts[0]].split("__") + parts[1:]
    return _condition(model, parts, value, expression)


def _condition(model: type, parts: list[str], value: Any, expression: str) -> ColumnElement:
    mapper = inspect(model)
    name, rest = parts[0], parts[1:]
    if name in mapper.relationships:
        return _relationship_condition(model, name, rest, value, expression)
    column_keys = {attr.key for attr in mapper.column_attrs}
    if name in column_keys or (name == "pk"):
        column = getattr(model, "id" if name == "pk" else name)
        if rest and isinstance(column.type, JSON) and not (len(rest) == 1 and rest[0] in LOOKUPS):
            return json_condition(column, rest, value, expression)
        if isinstance(column.type, JSON) and (rest or ["exact"])[0] in JSON_LOOKUPS:
            return json_lookup(column, (), (rest or ["exact"])[0], value, expression)
        if len(rest) > 1:
            raise FieldValidationError(
                f"'{expression}': '{name}' is a field of {model.__name__}, not a relation; "
                f"'{'__'.join(rest)}' cannot follow it"
            )
        lookup = rest[0] if rest else "exact"
        return apply_lookup(column, lookup, value, expression)
    # A registry may resolve other names itself (Artifact: feature names -> feature values).
    resolver = getattr(model, "__lk_filter_resolver__", None)
    condition = resolver(model, parts, value, expression) if resolver is not None else None
    if condition is not None:
        return condition
    raise FieldValidationError(
        f"unknown field '{name}' in '{expression}' for {model.__name__}."
        f"{suggest(name, field_names(model))} Valid fields: {', '.join(sorted(field_names(model)))}"
    )


def _relationship_condition(
    model: type, name: str, rest: list[str], value: Any, expression: str
) -> ColumnElement:
    """A lookup across a relation, planned from the related side (query.relations)."""
    rel = inspect(model).relationships[name]
    target = rel.mapper.class_
    target_fields = {a.key for a in inspect(target).column_attrs} | set(
        inspect(target).relationships.keys()
    )
    if rest and not (len(rest) == 1 and rest[0] in LOOKUPS and rest[0] not in target_fields):
        return related_condition(model, rel, _condition(target, rest, value, expression))
    lookup = rest[0] if rest else "exact"
    if lookup == "isnull":
        if not isinstance(value, bool):
            raise FieldValidationError(f"'{expression}' expects True or False")
        present = related_to_ids(model, rel, None)
        return not_(present) if value else present
    if lookup == "in":
        return related_to_ids(model, rel, ids_of(value, expression))
    if lookup != "exact":
        raise FieldValidationError(
            f"'{expression}': a relation takes a record, 'in' or 'isnull'; "
            f"use '{name}__<field>__{lookup}' to compare a field of the related records"
        )
    if value is None:
        return not_(related_to_ids(model, rel, None))
    return related_to_ids(model, rel, [record_id(value, expression)])


def json_condition(column: Any, path: list[str], value: Any, expression: str) -> ColumnElement:
    """`params__learning_rate=0.01`, `params__model__depth__gt=3`: a value inside a JSON field.

    The element is compared as a JSON value of the value's type (number, string, boolean,
    dict or list; elements of another type do not match); `isnull` asks whether the key is
    absent or null, text lookups (`contains`, ...) read the element as text.
    """
    path = list(path)
    lookup = path.pop() if len(path) > 1 and path[-1] in LOOKUPS else "exact"
    element = column[tuple(path)] if len(path) > 1 else column[path[0]]
    if lookup == "isnull" or (lookup == "exact" and value is None):
        return apply_lookup(element.as_string(), lookup, value, expression)
    if lookup in JSON_LOOKUPS:
        return json_lookup(column, tuple(path), lookup, value, expression)
    return apply_lookup(element.as_string(), lookup, value, expression)


JSON_LOOKUPS = ("exact", "in", "gt", "gte", "lt", "lte", "range")
_OPERATORS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def json_lookup(
    column: Any, path: tuple[str, ...], lookup: str, value: Any, expression: str
) -> ColumnElement:
    """`exact`, `in`, `gt`/`gte`/`lt`/`lte` and `range` on a JSON value: typed comparisons
    (db.json_compare), the same on SQLite and PostgreSQL."""
    if lookup == "exact" and value is None:
        return apply_lookup(column, lookup, value, expression)
    try:
        if lookup == "in":
            items = _as_list(value, expression)
            return or_(false(), *[json_compare(column, path, "=", item) for item in items])
        if lookup == "range":
            items = _as_list(value, expression)
            if len(items) != 2:
                raise FieldValidationError(f"'{expression}' expects (low, high)")
            low, high = items
            return and_(
                json_compare(column, path, ">=", low), json_compare(column, path, "<=", high)
            )
        return json_compare(column, path, _OPERATORS[lookup], value)
    except ValueError as exc:
        raise FieldValidationError(
            f"'{expression}' compares a JSON value with a number, string, boolean, dict or "
            f"list: {exc}"
        ) from None


def record_id(value: Any, expression: str) -> Any:
    """A record's id; ints pass through; anything else is an error naming the expression."""
    if hasattr(value, "__table__") and hasattr(value, "id"):
        if value.id is None:
            raise FieldValidationError(f"'{expression}': the record is not saved yet; call .save()")
        return value.id
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise FieldValidationError(
        f"'{expression}' expects a record or an id, got {type(value).__name__} {value!r}"
    )


def ids_of(values: Any, expression: str) -> Any:
    """Ids of records in a list, or a subquery of ids for a QuerySet."""
    if hasattr(values, "id_subquery"):
        return values.id_subquery()
    return [record_id(v, expression) for v in _as_list(values, expression)]


def _as_list(value: Any, expression: str) -> list:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise FieldValidationError(f"'{expression}' expects a list, got {type(value).__name__}")
    return list(value)


def apply_lookup(column: Any, lookup: str, value: Any, expression: str) -> ColumnElement:
    """One lookup on one column, with the value bound as a parameter."""
    if hasattr(value, "__table__") and hasattr(value, "id"):
        value = value.id
    if isinstance(value, str) and "\x00" in value:
        raise FieldValidationError(f"'{expression}': the value contains a NUL character (\\x00)")
    if lookup == "exact":
        return column.is_(None) if value is None else column == value
    if lookup == "iexact":
        return func.lower(column) == _text(value, expression).lower()
    if lookup == "startswith":
        return starts_with(column, _text(value, expression))
    if lookup in ("contains", "endswith", "icontains", "istartswith", "iendswith"):
        return getattr(column, lookup)(_text(value, expression), autoescape=True)
    if lookup == "in":
        if hasattr(value, "id_subquery"):
            return column.in_(value.id_subquery())
        if hasattr(value, "compile") and hasattr(value, "subquery"):
            return column.in_(value)
        items = [v.id if hasattr(v, "__table__") else v for v in _as_list(value, expression)]
        return column.in_(items)
    if lookup in ("gt", "gte", "lt", "lte"):
        op = {"gt": "__gt__", "gte": "__ge__", "lt": "__lt__", "lte": "__le__"}[lookup]
        return getattr(column, op)(value)
    if lookup == "isnull":
        if not isinstance(value, bool):
            raise FieldValidationError(f"'{expression}' expects True or False")
        return column.is_(None) if value else column.is_not(None)
    if lookup == "range":
        items = _as_list(value, expression)
        if len(items) != 2:
            raise FieldValidationError(f"'{expression}' expects (low, high)")
        return and_(column >= items[0], column <= items[1])
    raise FieldValidationError(
        f"unknown lookup '{lookup}' in '{expression}'.{suggest(lookup, LOOKUPS)} "
        f"Valid lookups: {', '.join(LOOKUPS)}"
    )


def _text(value: Any, expression: str) -> str:
    if not isinstance(value, str):
        raise FieldValidationError(f"'{expression}' expects a string, got {type(value).__name__}")
    return value


def order_clause(model: type, spec: str) -> Any:
    """'-created_at' -> created_at DESC, with unknown fields named."""
    descending = spec.startswith("-")
    name = spec.lstrip("-")
    column_keys = {attr.key for attr in inspect(model).column_attrs}
    if name not in column_keys:
        raise FieldValidationError(
            f"cannot order {model.__name__} by unknown field '{name}'.{suggest(name, column_keys)}"
        )
    column = getattr(model, name)
    return column.desc() if descending else column.asc()
