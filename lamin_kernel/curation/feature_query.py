"""Queries by feature value, on every registry that carries feature values.

    ln.Artifact.filter(temperature__gt=21, perturbation="DMSO")     by feature name
    ln.Artifact.filter(temperature > 21, perturbation == "DMSO")    with Feature objects
    ln.Run.filter(score.is_null(False))

Each condition is `owner.id IN (<owner ids of matching value rows>)`, planned on indexes:
JSON values of numbers, dates and date-times are compared on their `number` column
(feature_id, number), other JSON values by their hash (feature_id, hash); categorical
values through the link table's feature and target columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, literal, not_, select
from sqlalchemy.sql.elements import ColumnElement

from ..db.hints import in_subquery
from ..errors import DoesNotExist, FieldValidationError, InstanceNotSetupError
from ..query.lookups import apply_lookup, build_condition, field_names, suggest
from ..records.registered import registered
from ..setup.session import read_session
from .dtype_values import check_value, sort_number
from .dtypes import Dtype, is_registry, parse_dtype
from .feature_keys import is_feature
from .feature_values import links_of, value_hash, value_link
from .registries import Scope, feature_row, scope_of
from .value_links import json_store

ORDERED = ("int", "float", "num", "date", "datetime", "datetime64[ns, UTC]")
COMPARE = {"gt": "__gt__", "gte": "__ge__", "lt": "__lt__", "lte": "__le__"}
TEXT = ("contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "iexact")


@dataclass(frozen=True)
class FeaturePredicate:
    """`feature > 3`: a condition on a feature's values, for filter()."""

    feature: Any
    lookup: str
    value: Any

    def __bool__(self) -> bool:
        raise TypeError(
            "Feature predicates cannot be used as booleans. Pass them into `.filter(...)`."
        )

    def to_condition(self, model: type) -> ColumnElement:
        negate = self.lookup == "ne"
        lookup = "exact" if negate else self.lookup
        condition = condition_for(model, self.feature, lookup, self.value, repr(self))
        if negate:
            return _negated(model, self.feature, condition)
        return condition

    def __repr__(self) -> str:
        return f"FeaturePredicate({self.feature.name} {self.lookup} {self.value!r})"


def predicate(feature: Any, lookup: str, value: Any) -> FeaturePredicate:
    return FeaturePredicate(feature, lookup, value)


def is_null(feature: Any, value: bool = True) -> FeaturePredicate:
    if not isinstance(value, bool):
        raise TypeError("Feature.is_null() expects a bool value.")
    return FeaturePredicate(feature, "isnull", value)


def compares_to(feature: Any, other: Any) -> bool:
    """Whether `feature == other` builds a predicate (values and records of its dtype)."""
    if is_feature(other) or other is None:
        return False
    if not is_registry(type(other)):
        return True
    try:
        dtype = parse_dtype(feature.dtype)
        return any(scope_of(t).model is type(other) for t in dtype.cat_targets)
    except Exception:  # a feature whose dtype cannot be resolved compares as a record
        return False


def feature_condition(model: type, parts: list[str], value: Any, expression: str) -> Any:
    """The condition for `feature__lookup=value`; an error naming valid fields otherwise."""
    if parts[0] == "features" and len(parts) > 1:
        return with_features(model, parts[1:], value, expression)
    try:
        feature = feature_row(parts[0])
    except InstanceNotSetupError:  # no instance, so no features: the name is just unknown
        return None
    if feature is None:
        raise FieldValidationError(
            "You can query either by available fields: "
            f"{', '.join(sorted(field_names(model)))}\nOr fix invalid feature names: {parts[0]}."
            f"{suggest(parts[0], field_names(model))}"
        )
    if len(parts) > 2:
        raise FieldValidationError(
            f"'{expression}': '{parts[0]}' is a feature; only one lookup can follow it"
        )
    lookup = parts[1] if len(parts) == 2 else "exact"
    return condition_for(model, feature, lookup, value, expression)


Lookup = tuple[str, Any, str]  # (lookup, value, the expression it came from)


def condition_for(model: type, feature: Any, lookup: str, value: Any, expression: str) -> Any:
    return conditions_for(model, feature, [(lookup, value, expression)])


def conditions_for(model: type, feature: Any, lookups: list[Lookup]) -> Any:
    """One condition: the record has a value of the feature that meets every lookup."""
    if feature.dtype is None:
        raise FieldValidationError(f"'{lookups[0][2]}': feature '{feature.name}' is a feature type")
    dtype = parse_dtype(feature.dtype)
    if dtype.is_cat and dtype.cat_targets:
        return _label_condition(model, feature, dtype, lookups)
    return _value_condition(model, feature, dtype, lookups)


def _negated(model: type, feature: Any, condition: ColumnElement) -> ColumnElement:
    """Owners that have a value of the feature, none of which matches."""
    present = condition_for(model, feature, "isnull", False, "!=")
    return and_(present, not_(condition))


def _isnull(value: Any, expression: str) -> bool:
    if not isinstance(value, bool):
        raise FieldValidationError(f"'{expression}' expects True or False")
    return value


# -- categorical ----------------------------------------------------------------------------
def _label_condition(
    model: type, feature: Any, dtype: Dtype, lookups: list[Lookup]
) -> ColumnElement:
    owner = model.__name__
    is_null = [_isnull(v, e) for lookup, v, e in lookups if lookup == "isnull"]
    conditions = []
    for target in dtype.cat_targets:
        scope = scope_of(target)
        link = value_link(owner, scope.model)
        if link is None:
            continue
        table = link.table
        target_column = table.c[link.target_column]
        owners = select(table.c[link.owner_column]).where(
            table.c[link.feature_column] == feature.id
        )
        label_joined = False
        for lookup, value, expression in lookups:
            if lookup == "isnull":
                continue
            ids = _label_ids(scope, lookup, value, expression)
            if isinstance(ids, list):
                owners = owners.where(target_column.in_(ids))
                continue
            if not label_joined:  # joined, not `IN (SELECT ...)`: planned from the few labels
                owners = owners.join(scope.model, target_column == scope.model.id)
                label_joined = True
            owners = owners.where(*ids)
        conditions.append(in_subquery(model.id, owners))
    for lookup, value, _ in lookups:
        plain = not isinstance(value, list | tuple | set) and not is_registry(type(value))
        if lookup == "exact" and plain:
            _require_label(feature, dtype, value)
    present = _any(conditions, model)
    return not_(present) if is_null and is_null[0] else present


def _any(conditions: list[ColumnElement], model: type) -> ColumnElement:
    from sqlalchemy import or_

    if not conditions:
        return model.id.is_(None)
    return conditions[0] if len(conditions) == 1 else or_(*conditions)


def _label_ids(scope: Scope, lookup: str, value: Any, expression: str) -> Any:
    """The ids of the records given (a list), or the conditions that select the labels (a
    tuple)."""
    items = value if isinstance(value, list | tuple | set) else [value]
    records = [v for v in items if is_registry(type(v))]
    if records:
        return [r.id for r in records if isinstance(r, scope.model)]
    column = getattr(scope.model, scope.field)
    return (apply_lookup(column, lookup, value, expression), *scope.conditions())


def _require_label(feature: Any, dtype: Dtype, value: Any) -> None:
    """LaminDB refuses a filter on a label that does not exist: it is usually a typo."""
    with read_session() as session:
        for target in dtype.cat_targets:
            scope = scope_of(target)
            column = getattr(scope.model, scope.field)
            stmt = select(scope.model.id).where(column == value, *scope.conditions()).limit(1)
            if session.execute(stmt).first() is not None:
                return
    first = scope_of(dtype.cat_targets[0])
    raise DoesNotExist(f"Did not find a {first.model.__name__} matching `{first.field}={value}`")


# -- JSON values ----------------------------------------------------------------------------
def _value_condition(
    model: type, feature: Any, dtype: Dtype, lookups: list[Lookup]
) -> ColumnElement:
    store = json_store(model.__name__)
    if store is None:
        return model.id.is_(None)
    table = store.table
    if store.shared:
        rows = registered.JsonValue.__table__
        value_column, number, hash_column = rows.c.value, rows.c.number, rows.c.hash
        feature_column = rows.c.feature_id
    else:
        rows = table
        value_column, number = rows.c[store.value_column], rows.c[store.number_column]
        hash_column, feature_column = None, rows.c[store.feature_column]
    where = [feature_column == feature.id]
    is_null = None
    for lookup, value, expression in lookups:
        if lookup == "isnull":
            is_null = _isnull(value, expression)
            continue
        where.append(
            _json_predicate(
                feature, dtype, lookup, value, expression, value_column, number, hash_column
            )
        )
    if store.shared:  # nested INs: value rows by index, then their links by index
        values = select(rows.c.id).where(*where)
        owners = select(table.c[store.owner_column]).where(table.c[store.value_column].in_(values))
    else:
        owners = select(table.c[store.owner_column]).where(*where)
    condition = in_subquery(model.id, owners)
    return ~condition if is_null else condition


def _json_predicate(
    feature: Any,
    dtype: Dtype,
    lookup: str,
    value: Any,
    expression: str,
    value_column: Any,
    number: Any,
    hash_column: Any,
) -> ColumnElement:
    kind = dtype.kind
    if kind in ORDERED and lookup in ("exact", "in", "range", *COMPARE):
        return _number_predicate(dtype, lookup, value, expression, number)
    if lookup in TEXT:
        return apply_lookup(_json_text(value_column), lookup, value, expression)
    if lookup in ("exact", "in"):
        items = value if lookup == "in" else [value]
        stored = [_normalized(dtype, v, expression) for v in items]
        if hash_column is not None:
            return hash_column.in_([value_hash(feature.id, v) for v in stored])
        texts = [v for v in stored if isinstance(v, str)]
        if len(texts) != len(stored):
            raise FieldValidationError(
                f"'{expression}': records can be filtered on equal text values of "
                f"'{feature.name}' only"
            )
        return _json_text(value_column).in_(texts)
    if lookup in COMPARE:
        return getattr(_json_text(value_column), COMPARE[lookup])(str(value))
    raise FieldValidationError(f"unknown lookup '{lookup}' in '{expression}' for a feature")


def _number_predicate(
    dtype: Dtype, lookup: str, value: Any, expression: str, number: Any
) -> ColumnElement:
    def as_number(item: Any) -> float:
        found = sort_number(dtype, _normalized(dtype, item, expression))
        if found is None:
            raise FieldValidationError(f"'{expression}': {item!r} is not a {dtype} value")
        return found

    if lookup == "exact":
        return number == as_number(value)
    if lookup == "in":
        return number.in_([as_number(v) for v in value])
    if lookup == "range":
        low, high = value
        return and_(number >= as_number(low), number <= as_number(high))
    return getattr(number, COMPARE[lookup])(as_number(value))


def _normalized(dtype: Dtype, value: Any, expression: str) -> Any:
    try:
        return check_value(dtype.base if dtype.kind != "list" else dtype, value, coerce=True)
    except ValueError as exc:
        raise FieldValidationError(f"'{expression}': {value!r} {exc} (dtype '{dtype}')") from None


def _json_text(column: Any) -> Any:
    """A JSON column's scalar as text: json_extract on SQLite, #>> on PostgreSQL."""
    with read_session() as session:
        dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return column.op("#>>")(literal("{}"))
    return func.json_extract(column, "$")


def with_features(model: type, parts: list[str], value: Any, expression: str) -> ColumnElement:
    """`filter(features__name="temperature")`: records with a value of matching features."""
    feature = registered.Feature
    ids = select(feature.id).where(build_condition(feature, "__".join(parts), value))
    owner = model.__name__
    conditions = []
    store = json_store(owner)
    if store is not None and store.shared:
        json_value = registered.JsonValue.__table__
        table = store.table
        conditions.append(
            model.id.in_(
                select(table.c[store.owner_column])
                .join(json_value, json_value.c.id == table.c[store.value_column])
                .where(json_value.c.feature_id.in_(ids))
            )
        )
    elif store is not None:
        table = store.table
        conditions.append(
            model.id.in_(
                select(table.c[store.owner_column]).where(table.c[store.feature_column].in_(ids))
            )
        )
    for link in links_of(owner):
        table = link.table
        conditions.append(
            model.id.in_(
                select(table.c[link.owner_column]).where(table.c[link.feature_column].in_(ids))
            )
        )
    return _any(conditions, model)
