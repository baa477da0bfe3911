"""Queries by feature: Artifact.filter(temperature=21.6, experiment="My experiment") and
to_dataframe(include="features") on the class or on a QuerySet.

`feature_condition` is the resolver the lookup parser calls for names that are not fields;
`include_features` the hook the DataFrame builder calls for include values.
Values of non-categorical features are few per feature (one JsonValue row per distinct value),
so a lookup on them is evaluated over those rows and becomes an `IN` of their ids.
"""

from __future__ import annotations

import operator
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.sql.elements import ColumnElement

from .. import log
from ..errors import FieldValidationError, InstanceNotSetupError
from ..query.queryset import QuerySet
from ..records.registry import registry_class
from ..setup.session import end_read, get_session, visible_branch_ids
from .dtypes import check_value, parse_dtype
from .features import values_by_feature
from .registries import features_by_name, field_of, link_spec, registry_of, type_id_of

COMPARE = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
TEXT = ("contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "iexact")


def feature_condition(model: type, parts: list[str], value: Any, expression: str) -> Any:
    """The condition for `feature__lookup=value` on artifacts, or None if no such feature."""
    try:
        feature = features_by_name([parts[0]]).get(parts[0])
    except InstanceNotSetupError:  # no instance, so no features: the name is just unknown
        return None
    if feature is None:
        return None
    if len(parts) > 2:
        raise FieldValidationError(
            f"'{expression}': '{parts[0]}' is a feature; only one lookup can follow it"
        )
    lookup = parts[1] if len(parts) == 2 else "exact"
    dtype = parse_dtype(feature.dtype)
    if dtype.is_cat and dtype.cat_targets:
        return _label_condition(model, feature, dtype, lookup, value, expression)
    return _value_condition(model, feature, dtype, lookup, value, expression)


def _label_condition(
    model: type, feature: Any, dtype: Any, lookup: str, value: Any, expression: str
) -> ColumnElement:
    conditions = []
    for target in dtype.cat_targets:
        registry = registry_of(target)
        spec = link_spec(model, registry)
        if spec is None or spec.feature_column is None:
            continue
        ids = _label_ids(registry, target, lookup, value, expression)
        table = spec.table
        conditions.append(
            model.id.in_(
                select(table.c[spec.owner_column]).where(
                    table.c[spec.feature_column] == feature.id,
                    table.c[spec.target_column].in_(ids),
                )
            )
        )
    return or_(*conditions) if conditions else model.id.is_(None)


def _label_ids(registry: type, target: Any, lookup: str, value: Any, expression: str) -> list[int]:
    items = value if isinstance(value, list | tuple | set) else [value]
    records = [v for v in items if hasattr(type(v), "__table__")]
    if records:
        return [r.id for r in records if isinstance(r, registry)]
    field = field_of(registry, target)
    qs = QuerySet(registry).filter(**{f"{field}__{lookup}": value})
    type_id = type_id_of(registry, target)
    if type_id is not None:
        qs = qs.filter(type_id=type_id)
    return qs.to_list("id")


def _value_condition(
    model: type, feature: Any, dtype: Any, lookup: str, value: Any, expression: str
) -> ColumnElement:
    link = registry_class("ArtifactJsonValue")
    json_value = registry_class("JsonValue")
    with_feature = select(link.artifact_id).join(json_value, json_value.id == link.jsonvalue_id)
    with_feature = with_feature.where(json_value.feature_id == feature.id)
    if lookup == "isnull":
        return ~model.id.in_(with_feature) if value else model.id.in_(with_feature)
    session = get_session()
    try:
        rows = session.execute(
            select(json_value.id, json_value.value).where(json_value.feature_id == feature.id)
        ).all()
    finally:
        end_read(session)
    wanted = _normalize(dtype, lookup, value, expression)
    ids = [rid for rid, stored in rows if _matches(stored, lookup, wanted, expression)]
    return model.id.in_(with_feature.where(json_value.id.in_(ids)))


def _normalize(dtype: Any, lookup: str, value: Any, expression: str) -> Any:
    if lookup in ("in", "range"):
        return [_normalize(dtype, "exact", v, expression) for v in value]
    if lookup in TEXT:
        return value
    try:
        return check_value(dtype.base, value) if dtype.kind != "list" else value
    except ValueError as exc:
        raise FieldValidationError(f"'{expression}': {value!r} {exc} (dtype '{dtype}')") from None


def _matches(stored: Any, lookup: str, wanted: Any, expression: str) -> bool:
    try:
        if lookup == "exact":
            return bool(stored == wanted)
        if lookup == "in":
            return stored in wanted
        if lookup in COMPARE:
            return bool(COMPARE[lookup](stored, wanted))
        if lookup == "range":
            return bool(wanted[0] <= stored <= wanted[1])
        if lookup in TEXT:
            text, query = str(stored), str(wanted)
            if lookup.startswith("i"):
                text, query, lookup = text.lower(), query.lower(), lookup[1:]
            return {
                "exact": text == query,
                "contains": query in text,
                "startswith": text.startswith(query),
                "endswith": text.endswith(query),
            }[lookup]
    except TypeError:
        return False
    raise FieldValidationError(f"unknown lookup '{lookup}' in '{expression}' for a feature")


# -- to_dataframe(include="features") --------------------------------------------------------
def listed_features() -> list[Any]:
    """Features of dtypes Record or ULabel, and non-categorical ones, oldest first."""
    feature = registry_class("Feature")
    session = get_session()
    try:
        rows = session.scalars(
            select(feature)
            .where(feature.branch_id.in_(visible_branch_ids()), feature.is_type.is_(False))
            .order_by(feature.id)
        ).all()
    finally:
        end_read(session)
    result = []
    for record in rows:
        dtype = parse_dtype(record.dtype) if record.dtype else None
        if dtype is None:
            continue
        registries = {t.registry for t in dtype.cat_targets}
        if not dtype.is_cat or (registries and registries <= {"ULabel", "Record"}):
            result.append(record)
    return result


def include_features(df: Any, include: str) -> Any:
    """For include="features": uid, key and one column per feature with values among the
    rows of `df` (artifacts indexed by id); None for other include values."""
    if include != "features":
        return None
    features = listed_features()
    names = [f.name for f in features]
    log.info(
        "queried for all categorical features of dtypes Record or ULabel and non-categorical "
        f"features: ({len(names)}) {names}"
    )
    out = df[["uid", "key"]].copy()
    values = values_by_feature(list(df.index))
    for feature in features:
        column = [_cell(values.get(i, {}).get(feature.id)) for i in df.index]
        if any(c == c for c in column):  # NaN marks "no value"
            out[feature.name] = column
    return out


def _cell(entry: tuple[bool, list[Any]] | None) -> Any:
    if entry is None:
        return float("nan")
    is_label, items = entry
    if is_label:
        return set(items)
    return items[0] if len(items) == 1 else items
