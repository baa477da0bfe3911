"""artifact.features: add, read and remove feature values of one artifact.

Categorical values become links to their records (with the feature); other values become
JsonValue rows, one per distinct (feature, value), shared by the artifacts that carry them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, inspect, select

from ..errors import InvalidArgument, ValidationError
from ..records.registry import registry_class
from ..setup.session import end_read, get_session, write_transaction
from . import annotate
from .checks import FIX_HINT, quoted
from .dtypes import Dtype, check_value, parse_dtype
from .registries import (
    artifact_model,
    features_by_name,
    field_of,
    label_registries,
    link_spec,
    records_by_values,
    registry_of,
    type_id_of,
)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple | set) or type(value).__name__ in ("Series", "Index"):
        return list(value)
    return [value]


def _missing_features(names: list[str], values: dict[str, Any]) -> str:
    lines = [f"These keys could not be validated: {names}", "Here is how to create the features:"]
    for name in names:
        lines.append(f"  ln.Feature(name='{name}', dtype={_guess_dtype(values[name])}).save()")
    return "\n".join(lines)


def _guess_dtype(value: Any) -> str:
    first = _as_list(value)[0] if _as_list(value) else value
    if isinstance(first, bool):
        return "bool"
    if isinstance(first, int):
        return "int"
    if isinstance(first, float):
        return "float"
    if isinstance(first, dict):
        return "dict"
    if hasattr(type(first), "__table__"):
        return f"ln.{type(first).__name__}"
    return "ln.ULabel  # or str"


class FeatureManager:
    """The feature values of one artifact (LaminDB's `artifact.features`)."""

    def __init__(self, artifact: Any) -> None:
        self.artifact = artifact

    def _saved(self) -> Any:
        if self.artifact.id is None:
            raise InvalidArgument("save the artifact before annotating it: artifact.save()")
        return self.artifact

    # -- writing ---------------------------------------------------------------------------
    def add_values(self, values: dict[str, Any]) -> None:
        """Annotate with {feature name: value}; every value is checked before anything is written."""
        artifact = self._saved()
        if not isinstance(values, dict):
            raise InvalidArgument("add_values() takes a dict of feature name -> value")
        features = features_by_name(list(values))
        missing = [k for k in values if k not in features]
        if missing:
            raise ValidationError(_missing_features(missing, values))
        labels: list[tuple[type, list[int], int]] = []
        json_values: list[tuple[int, list[Any]]] = []
        errors: list[str] = []
        for name, value in values.items():
            feature = features[name]
            dtype = parse_dtype(feature.dtype)
            items = (
                [v for v in _as_list(value) if v is not None and v == v]
                if value is not None
                else []
            )
            if not items:
                if not feature.nullable:
                    errors.append(f"feature '{name}' is not nullable; got {value!r}")
                continue
            if dtype.is_cat and dtype.cat_targets:
                labels.extend(_resolve_labels(feature, dtype, items, errors))
            else:
                json_values.append((feature.id, _json_values(feature, dtype, value, errors)))
        if errors:
            raise ValidationError("\n".join(errors))
        with write_transaction() as session:
            for registry, ids, feature_id in labels:
                annotate.link_labels(session, artifact.id, registry, ids, feature_id)
            for feature_id, items in json_values:
                ids = annotate.json_value_ids(session, feature_id, items)
                annotate.link_json_values(session, artifact.id, ids)
        annotate._expire(artifact, "ulabels")
        for registry in {r for r, _, _ in labels}:
            for rel in _relations_to(registry):
                annotate._expire(artifact, rel)

    def remove_values(self, keys: str | list[str], *, value: Any = None) -> None:
        """Remove the values of these features (only `value`, if given) from the artifact."""
        artifact = self._saved()
        names = [keys] if isinstance(keys, str) else list(keys)
        features = features_by_name(names)
        unknown = [n for n in names if n not in features]
        if unknown:
            raise InvalidArgument(f"no features named {unknown}")
        with write_transaction() as session:
            for feature in features.values():
                _remove_json(session, artifact.id, feature, value)
                _remove_labels(session, artifact.id, feature, value)
        for rel in _relations_to(None):
            annotate._expire(artifact, rel)

    # -- reading ---------------------------------------------------------------------------
    def get_values(self) -> dict[str, Any]:
        """{feature name: value}; several values of a feature come as a set (labels) or list."""
        artifact = self._saved()
        by_feature = values_by_feature([artifact.id]).get(artifact.id, {})
        features = _features_by_id(list(by_feature))
        result: dict[str, Any] = {}
        for feature_id, (is_label, items) in sorted(
            by_feature.items(), key=lambda x: features[x[0]].name
        ):
            feature = features[feature_id]
            items = items if is_label else [as_read(feature.dtype, v) for v in items]
            if len(items) == 1:
                result[feature.name] = items[0]
            else:
                result[feature.name] = set(items) if is_label else items
        return result

    @property
    def slots(self) -> dict[str, Any]:
        """slot -> the schema linked for that slot (e.g. 'columns', 'obs', 'var.T')."""
        artifact = self._saved()
        table = registry_class("ArtifactSchema").__table__
        schema = registry_class("Schema")
        session = get_session()
        try:
            rows = session.execute(
                select(table.c.slot, schema)
                .join(schema, schema.id == table.c.schema_id)
                .where(table.c.artifact_id == artifact.id)
                .order_by(table.c.id)
            ).all()
        finally:
            end_read(session)
        return {slot: s for slot, s in rows}

    def __repr__(self) -> str:
        values = self.get_values() if self.artifact.id is not None else {}
        inner = ", ".join(f"{k}={v!r}" for k, v in values.items())
        return f"FeatureManager({inner})"


def _relations_to(registry: type | None) -> list[str]:
    return [
        rel.key
        for rel in inspect(artifact_model()).relationships
        if rel.secondary is not None and (registry is None or rel.mapper.class_ is registry)
    ]


def _resolve_labels(
    feature: Any, dtype: Dtype, items: list[Any], errors: list[str]
) -> list[tuple[type, list[int], int]]:
    """(registry, record ids, feature id) for the values; unknown ones go to errors."""
    found: dict[type, list[int]] = defaultdict(list)
    names: list[Any] = []
    for item in items:
        if hasattr(type(item), "__table__"):
            problem = _record_problem(item, dtype)
            if problem:
                errors.append(f"feature '{feature.name}': {problem}")
            else:
                found[type(item)].append(item.id)
        else:
            names.append(item)
    for target in dtype.cat_targets:
        if not names:
            break
        model = registry_of(target)
        field = field_of(model, target)
        records = records_by_values(model, field, names, type_id_of(model, target))
        found[model].extend(r.id for r in records)
        known = {getattr(r, field) for r in records}
        names = [n for n in names if n not in known]
    if names:
        n = len(names)
        hint = FIX_HINT.split(", or save")[0]
        first = dtype.cat_targets[0]
        create = (
            f"ln.{first.class_name}(name=...).save()"
            if first.module == "core"
            else (f"bt.{first.class_name}.from_source(...).save()")
        )
        errors.append(
            f"{n} term{'s' if n != 1 else ''} not validated in feature '{feature.name}': "
            f"{quoted(names)}\n    → {hint}, or create the records: {create}"
        )
    return [(model, ids, feature.id) for model, ids in found.items()]


def _record_problem(record: Any, dtype: Dtype) -> str | None:
    if record.id is None:
        return f"save the {type(record).__name__} '{record}' first"
    if getattr(record, "is_type", False):
        return f"'{getattr(record, 'name', record)}' is a type label; annotate with its labels"
    for target in dtype.cat_targets:
        if registry_of(target) is type(record):
            type_id = type_id_of(type(record), target)
            if type_id is None or record.type_id == type_id:
                return None
            return f"'{record.name}' is not of type {target.type_name}"
    return f"a {type(record).__name__} record does not fit dtype '{dtype}'"


def _json_values(feature: Any, dtype: Dtype, value: Any, errors: list[str]) -> list[Any]:
    items = [value] if dtype.kind in ("list", "dict") else _as_list(value)
    checked = []
    for item in items:
        try:
            checked.append(check_value(dtype, item))
        except ValueError as exc:
            errors.append(
                f"value {item!r} for feature '{feature.name}' {exc} (dtype '{feature.dtype}')"
            )
    return checked


def _remove_json(session: Any, artifact_id: int, feature: Any, value: Any) -> None:
    link = registry_class("ArtifactJsonValue").__table__
    json_value = registry_class("JsonValue")
    ids = select(json_value.id).where(json_value.feature_id == feature.id)
    if value is not None:
        dtype = parse_dtype(feature.dtype)
        hashes = [
            annotate.value_hash(feature.id, v) for v in _json_values(feature, dtype, value, [])
        ]
        ids = ids.where(json_value.hash.in_(hashes))
    session.execute(
        delete(link).where(link.c.artifact_id == artifact_id, link.c.jsonvalue_id.in_(ids))
    )


def _remove_labels(session: Any, artifact_id: int, feature: Any, value: Any) -> None:
    for registry in label_registries(artifact_model()):
        spec = link_spec(artifact_model(), registry)
        if spec is None or spec.feature_column is None:
            continue
        table = spec.table
        stmt = delete(table).where(
            table.c[spec.owner_column] == artifact_id, table.c[spec.feature_column] == feature.id
        )
        if value is not None:
            ids = [getattr(v, "id", None) for v in _as_list(value)]
            names = [v for v in _as_list(value) if isinstance(v, str)]
            field = getattr(registry, "__lk_name_field__", None) or "name"
            ids += [r.id for r in records_by_values(registry, field, names, None)] if names else []
            stmt = stmt.where(table.c[spec.target_column].in_([i for i in ids if i is not None]))
        session.execute(stmt)


def _features_by_id(ids: list[int]) -> dict[int, Any]:
    feature = registry_class("Feature")
    session = get_session()
    try:
        return {f.id: f for f in session.scalars(select(feature).where(feature.id.in_(ids)))}
    finally:
        end_read(session)


def as_read(dtype: str | None, value: Any) -> Any:
    """A stored value as its dtype reads it (SQLite's JSON keeps 30.0 as 30)."""
    if dtype == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def values_by_feature(artifact_ids: list[int]) -> dict[int, dict[int, tuple[bool, list[Any]]]]:
    """artifact id -> feature id -> (is a label, values), for the given artifacts."""
    result: dict[int, dict[int, tuple[bool, list[Any]]]] = defaultdict(dict)
    if not artifact_ids:
        return result
    link = registry_class("ArtifactJsonValue")
    json_value = registry_class("JsonValue")
    session = get_session()
    try:
        rows = session.execute(
            select(link.artifact_id, json_value.feature_id, json_value.value)
            .join(json_value, json_value.id == link.jsonvalue_id)
            .where(link.artifact_id.in_(artifact_ids))
            .order_by(link.id)
        ).all()
        for artifact_id, feature_id, value in rows:
            result[artifact_id].setdefault(feature_id, (False, []))[1].append(value)
        for artifact_id, feature_id, label in label_rows(session, artifact_ids):
            result[artifact_id].setdefault(feature_id, (True, []))[1].append(label)
    finally:
        end_read(session)
    return result


def label_rows(session: Any, artifact_ids: list[int]) -> list[tuple[int, int, Any]]:
    """(artifact id, feature id, label shown by the feature's field) of feature label links."""
    fields = _display_fields()
    rows: list[tuple[int, int, Any]] = []
    for registry in label_registries(artifact_model()):
        spec = link_spec(artifact_model(), registry)
        if spec is None or spec.feature_column is None:
            continue
        table = spec.table
        columns = {a.key for a in _column_attrs(registry)}
        name_field = getattr(registry, "__lk_name_field__", None) or "name"
        wanted = {f for (reg, _), f in fields.items() if reg is registry and f in columns}
        extra = sorted(wanted - {name_field})
        stmt = (
            select(
                table.c[spec.owner_column],
                table.c[spec.feature_column],
                getattr(registry, name_field),
                *(getattr(registry, f) for f in extra),
            )
            .join(registry, registry.id == table.c[spec.target_column])
            .where(
                table.c[spec.owner_column].in_(artifact_ids),
                table.c[spec.feature_column].is_not(None),
            )
            .order_by(table.c.id)
        )
        for row in session.execute(stmt):
            shown = {name_field: row[2], **dict(zip(extra, row[3:], strict=True))}
            field = fields.get((registry, row[1]), name_field)
            rows.append((row[0], row[1], shown.get(field, row[2])))
    return rows


def _column_attrs(model: type) -> list[Any]:
    return list(inspect(model).column_attrs)


def _display_fields() -> dict[Any, str]:
    """(registry, feature id) -> field a categorical feature shows (ontology_id, symbol...)."""
    feature = registry_class("Feature")
    session = get_session()
    try:
        rows = session.execute(
            select(feature.id, feature.dtype).where(feature.dtype.like("%.%"))
        ).all()
    finally:
        end_read(session)
    fields: dict[Any, str] = {}
    for feature_id, text in rows:
        try:
            dtype = parse_dtype(text)
        except InvalidArgument:
            continue
        for target in dtype.cat_targets:
            if target.field:
                try:
                    fields[(registry_of(target), feature_id)] = target.field
                except InvalidArgument:
                    continue
    return fields
