"""What Feature and Schema offer beyond their columns: members as QuerySets, optional
features, features from dicts and DataFrames, dtypes as objects, rename warnings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import inspect, select

from .. import log
from ..errors import InvalidArgument, ValidationError
from ..query.queryset import QuerySet
from ..records.registered import registered
from ..records.registry_protocols import ArtifactProtocol, CollectionProtocol
from ..setup.session import read_session
from .dtype_values import sort_number
from .dtypes import CatTarget, parse_dtype
from .feature_keys import suggested_dtype
from .registries import features_by_name, field_of, registry_of, type_record
from .schema import (
    itype_registry,
    member_ids,
    optional_ids,
    set_optional,
    slots_of,
)

PYTHON_OF = {
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "dict": dict,
    "date": dt.date,
    "datetime": dt.datetime,
    "num": float,  # as LaminDB reads them
    "url": str,
}


def _target_object(target: CatTarget) -> Any:
    model = registry_of(target)
    if target.type_ref is not None:
        return type_record(model, target.type_ref)
    return getattr(model, field_of(model, target))


def dtype_as_object(text: str | None) -> Any:
    """str -> str, cat[ULabel] -> ULabel.name, cat[ULabel[<uid>]] -> the type record..."""
    if not text:
        return None
    dtype = parse_dtype(text)
    if dtype.kind == "list" and dtype.inner is not None:
        inner = dtype_as_object(str(dtype.inner))
        return list[inner]  # type: ignore[valid-type]  # list[record type], as LaminDB
    if dtype.kind == "cat" and dtype.targets:
        objects = [_target_object(t) for t in dtype.targets]
        return objects[0] if len(objects) == 1 else objects
    return PYTHON_OF.get(dtype.kind, dtype.kind)


def _record_list(items: list[Any]) -> list[Any]:
    """A list of records with .save(), as from_values returns."""
    try:
        from ..records.record_list import SQLRecordList  # type: ignore[import-not-found]
    except ImportError:
        return list(items)
    return SQLRecordList(items)


def features_from_dict(model: type, dictionary: dict[str, Any], feature_type: Any = None) -> Any:
    features = []
    for key, value in dictionary.items():
        dtype = suggested_dtype(value).replace("cat ? str", "str")
        if dtype == "?":
            raise InvalidArgument(f"cannot infer a dtype for '{key}' from {value!r}")
        kwargs: dict[str, Any] = {"name": key, "dtype": dtype}
        if feature_type is not None:
            kwargs["type"] = feature_type
        features.append(model(**kwargs))
    return _record_list(features)


def column_dtype(series: Any) -> str:
    """The dtype of a DataFrame column as a feature dtype (categoricals: cat[ULabel])."""
    from .dtypes import to_dtype

    return str(to_dtype(series.dtype))


def features_from_dataframe(model: type, df: Any) -> Any:
    return _record_list([model(name=str(c), dtype=column_dtype(df[c])) for c in df.columns])


def schema_from_dataframe(model: type, df: Any, name: str | None = None, **kwargs: Any) -> Any:
    """A schema of the existing features named like the DataFrame's columns."""
    found = features_by_name([str(c) for c in df.columns])
    missing = [str(c) for c in df.columns if str(c) not in found]
    if missing:
        log.warning(f"{len(missing)} columns are not validated features: {missing}")
    if not found:
        log.warning("no validated features, skip creating schema")
        return None
    features = [found[str(c)] for c in df.columns if str(c) in found]
    kwargs.setdefault("otype", "DataFrame")
    return model(features=features, name=name, **kwargs)


def schema_from_values(
    model: type,
    values: Any,
    field: Any = None,
    dtype: str | None = None,
    name: str | None = None,
    *,
    lookup: dict[str, Any],
) -> Any:
    """`Schema.from_values`: a schema of the records of `field`'s registry (default
    `Feature.name`) that `values` name. Values that no record has are a `ValidationError`
    (`raise_validation_error=True`) or left out; None when none is valid. A schema of another
    registry's records (genes) has the dtype `num` unless `dtype` says otherwise."""
    registry = getattr(field, "class_", None) or registered.Feature
    if field is not None and getattr(field, "class_", None) is None:
        raise TypeError("Argument `field` must be a SQLRecord field, e.g., `Feature.name`")
    values = list(values)
    if not values:
        raise ValueError("Provide a list of at least one value")
    mute, organism, source = lookup["mute"], lookup["organism"], lookup["source"]
    valid = registry.validate(values, field=field, mute=mute, organism=organism)
    validated = [v for v, ok in zip(values, valid, strict=True) if ok]
    if len(validated) != len(values):
        missing = [v for v, ok in zip(values, valid, strict=True) if not ok]
        message = (
            f"These values could not be validated: {missing}\n"
            f"If there are no typos, add them to their registry: {registry.__name__}"
        )
        if lookup["raise_validation_error"]:
            raise ValidationError(message)
        log.warning(message)
        if not validated:
            return None
    records = registry.from_values(validated, field=field, organism=organism, source=source)
    if registry is not registered.Feature and dtype is None:
        dtype = "num"
    return model(features=list(records), name=name, dtype=dtype)


def members_queryset(schema: Any) -> QuerySet:
    """A schema's members as a QuerySet, in the schema's order (index first)."""
    if not schema.itype:
        return QuerySet(registered.Feature).filter(id__in=[])
    registry = itype_registry(schema.itype)
    ids = member_ids(schema)
    return QuerySet(registry).in_id_order(ids) if ids else QuerySet(registry).filter(id__in=[])


def components_queryset(schema: Any) -> QuerySet:
    ids = [s.id for s in slots_of(schema).values()]
    return QuerySet(type(schema)).in_id_order(ids) if ids else type(schema).filter(id__in=[])


def composites_queryset(schema: Any) -> QuerySet:
    """The composite schemas that hold `schema` in one of their slots."""
    if schema.id is None:
        return type(schema).filter(id__in=[])
    link = registered.SchemaComponent.__table__
    with read_session() as session:
        query = select(link.c.composite_id).where(link.c.component_id == schema.id)
        ids = list(session.scalars(query.order_by(link.c.id)))
    return QuerySet(type(schema)).in_id_order(ids) if ids else type(schema).filter(id__in=[])


def validated_by(schema: Any, model: type[ArtifactProtocol] | type[CollectionProtocol]) -> QuerySet:
    """Artifacts or collections (`model`) whose `schema` is `schema`."""
    if schema.id is None:
        return model.filter(id__in=[])
    return model.filter(schema_id=schema.id)


class Optionals:
    """The optional features of a schema (LaminDB's `schema.optionals`)."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema

    def get(self) -> QuerySet:
        ids = [i for i in member_ids(self.schema) if i in optional_ids(self.schema)]
        feature = registered.Feature
        return QuerySet(feature).in_id_order(ids) if ids else feature.filter(id__in=[])

    def set(self, features: list[Any]) -> None:
        """Make exactly these features optional."""
        set_optional(self.schema, _features(features), True, only=True)

    def add(self, features: Any) -> None:
        """Make these features optional too."""
        if not self.schema.minimal_set:
            log.info("minimal_set=False: every feature of this schema is optional already")
        set_optional(self.schema, _features(features), True)

    def remove(self, features: Any) -> None:
        """Make these features required again."""
        set_optional(self.schema, _features(features), False)


def _features(features: Any) -> list[Any]:
    items = features if isinstance(features, list | tuple) else [features]
    for item in items:
        if not isinstance(item, registered.Feature) or item.id is None:
            raise InvalidArgument(f"expected saved Feature records, got {item!r}")
    return list(items)


def _name_history(record: Any) -> tuple[str, str] | None:
    """(old, new) name of a persistent record whose name changed since it was loaded."""
    state = inspect(record)
    if not state.persistent or "name" not in state.attrs:
        return None
    history = state.attrs.name.history
    if not history.deleted or not history.added:
        return None
    old, new = history.deleted[0], history.added[0]
    return (old, new) if old != new else None


def announce_rename(record: Any) -> None:
    """Warn when renaming a feature or label leaves saved datasets with the old name."""
    try:
        change = _name_history(record)
        if change is None:
            return
        uids = _artifacts_naming(record)
    except Exception as exc:  # a warning must never fail the save
        log.warning(f"could not check the rename of {type(record).__name__}: {exc}")
        return
    if not uids:
        return
    old, new = change
    kind = "feature" if isinstance(record, registered.Feature) else "label"
    n = len(uids)
    log.warning(
        f"by renaming {kind} from '{old}' to '{new}' {n} artifact{'s' if n > 1 else ''} no "
        f"longer match{'es' if n == 1 else ''} the {kind} name in storage: {uids}\n"
        "  → consider re-curating"
    )


def _artifacts_naming(record: Any) -> list[str]:
    artifact = registered.Artifact
    with read_session() as session:
        if isinstance(record, registered.Feature):
            schema_feature = registered.SchemaFeature.__table__
            artifact_schema = registered.ArtifactSchema.__table__
            schema = registered.Schema.__table__
            stmt = (
                select(artifact.uid)
                .join(artifact_schema, artifact_schema.c.artifact_id == artifact.id)
                .join(schema, schema.c.id == artifact_schema.c.schema_id)
                .join(schema_feature, schema_feature.c.schema_id == schema.c.id)
                .where(schema_feature.c.feature_id == record.id, schema.c.itype == "Feature")
            )
        else:
            from .feature_values import value_link

            link = value_link("Artifact", type(record))
            if link is None:
                return []
            table = link.table
            stmt = (
                select(artifact.uid)
                .join(table, table.c[link.owner_column] == artifact.id)
                .where(
                    table.c[link.target_column] == record.id,
                    table.c[link.feature_column].is_not(None),
                )
            )
        return sorted(set(session.execute(stmt).scalars()))


def json_value_fields(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A JsonValue made directly gets the hash and sortable number values made here get."""
    from .feature_values import value_hash

    fields = dict(kwargs)
    feature = fields.get("feature")
    feature_id = fields.get("feature_id", getattr(feature, "id", None))
    if feature_id is None or "value" not in fields:
        return fields
    if feature is None:
        with read_session() as session:
            feature = session.get(registered.Feature, feature_id)
    dtype = parse_dtype(feature.dtype) if feature is not None and feature.dtype else None
    fields.setdefault("hash", value_hash(feature_id, fields["value"]))
    if dtype is not None and fields.get("number") is None:
        fields["number"] = sort_number(dtype, fields["value"])
    return fields
