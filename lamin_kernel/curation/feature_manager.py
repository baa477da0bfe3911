"""`obj.features`: feature values of an artifact, run, record or collection.

One manager for every registry that carries values; where the values live per registry is
declared in `value_links`. Writes check every value first and then change the rows in one
transaction, so a bad value leaves everything as it was.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from .. import log
from ..errors import InvalidArgument, ValidationError
from ..records import check_annotations
from ..records.registered import registered
from ..setup.session import write_transaction
from . import feature_values as rows
from .feature_keys import is_feature, missing_keys_error, resolve_keys
from .feature_read import ValueReader, features_by_id
from .value_checks import SchemaErrors, missing_columns, plan_values, raise_failure
from .value_links import json_store


class FeatureManager:
    """The feature values of one record (LaminDB's `artifact.features`, `run.features`...)."""

    def __init__(self, host: Any) -> None:
        self._host = host

    @property
    def _owner(self) -> str:
        return type(self._host).__name__

    def _saved(self) -> Any:
        if getattr(self._host, "id", None) is None:
            what = self._owner.lower()
            raise InvalidArgument(
                f"save the {what} before annotating it with features: {what}.save()"
            )
        return self._host

    # -- writing -----------------------------------------------------------------------
    def add_values(
        self, values: dict[Any, Any], feature_field: Any = None, schema: Any = None
    ) -> None:
        """Add values for features (names or Feature objects as keys); existing values stay."""
        self._write(values, feature_field, schema, replace=None)

    def set_values(
        self, values: dict[Any, Any], feature_field: Any = None, schema: Any = None
    ) -> None:
        """Replace all feature values of the record by these."""
        self._write(values, feature_field, schema, replace="all")

    def update_values(
        self, values: dict[Any, Any], feature_field: Any = None, schema: Any = None
    ) -> None:
        """Replace the values of the given features, keep the others."""
        self._write(values, feature_field, schema, replace="given")

    def _write(self, values: Any, feature_field: Any, schema: Any, replace: str | None) -> None:
        if check_annotations.active():  # a dry-run check: captured for the comparison
            op = "set" if replace == "all" else "add"
            check_annotations.capture_annotation(self._host, "features", op, values)
            return
        host = self._saved()
        schema = self._schema_for(schema)
        members = _members(schema)
        if schema is not None and isinstance(values, dict):
            check_against_schema(host, values, schema, members)
        pairs = resolve_keys(values, feature_field, members or None)
        if replace is None:
            self._check_add_allowed(pairs)
        plan = plan_values(self._owner, pairs)
        raise_failure(host, pairs, plan)
        with write_transaction() as session:
            if replace is not None:
                given = None if replace == "all" else [f.id for f, _ in pairs]
                self._remove_rows(session, given)
            store = json_store(self._owner)
            for feature, dtype, items in plan.json:
                if store is None:
                    raise InvalidArgument(f"{self._owner} records cannot hold feature values")
                rows.add_json(session, store, host.id, feature, dtype, items)
            for link, ids, feature_id in plan.links:
                rows.add_links(session, link, host.id, ids, feature_id)
        self._expire()

    def _schema_for(self, schema: Any) -> Any:
        if schema is not None:
            if not isinstance(schema, registered.Schema) or schema.id is None:
                raise InvalidArgument("schema must be a saved Schema")
            return schema
        type_record = getattr(self._host, "type", None) if self._owner == "Record" else None
        return getattr(type_record, "schema", None) if type_record is not None else None

    def _check_add_allowed(self, pairs: list[tuple[Any, Any]]) -> None:
        host = self._host
        if self._owner == "Artifact" and external_schema(host) is not None:
            raise ValueError("Cannot add values if artifact has external schema.")
        if self._owner == "Record":
            scalar = [
                f.name
                for f, v in pairs
                if v is not None and not (f.dtype or "").startswith("list[")
            ]
            if scalar:
                raise ValidationError(
                    "Cannot use add_values() for to-one features on a Record: "
                    f"{scalar}. Use set_values() to replace all feature annotations."
                )

    def remove_values(self, feature: Any = None, *, value: Any = None) -> None:
        """Remove values of features (all values, or only `value`); no feature: remove all."""
        host = self._saved()
        if feature is None:
            with write_transaction() as session:
                self._remove_rows(session, None)
            self._expire()
            return
        targets = _removal_targets(feature, value)
        pairs = resolve_keys({k: v for k, v in targets}, None)
        with write_transaction() as session:
            for feature_record, wanted in pairs:
                json_items, record_ids = _removal_values(feature_record, wanted)
                deleted = rows.remove_values(
                    session, self._owner, host.id, feature_record.id, json_items, record_ids
                )
                if wanted is not None and not deleted:
                    what = self._owner.lower()
                    log.warning(
                        f"no feature '{feature_record.name}' with value {wanted!r} found on "
                        f"{what} '{host.uid}'!"
                    )
        self._expire()

    def _remove_rows(self, session: Any, feature_ids: list[int] | None) -> None:
        host = self._host
        ids = feature_ids
        if ids is None:
            ids = list(rows.read_values(self._owner, [host.id]).get(host.id, {}))
        for feature_id in ids:
            rows.remove_values(session, self._owner, host.id, feature_id, None, None)

    def _expire(self) -> None:
        state = inspect(self._host)
        if state.session is None:
            return
        relations = [r.key for r in state.mapper.relationships if r.secondary is not None]
        state.session.expire(self._host, relations)

    # -- reading -----------------------------------------------------------------------
    def _reader(self) -> ValueReader:
        host = self._saved()
        return ValueReader.for_owners(self._owner, [host.id])

    def get_values(self, external_only: bool = False) -> dict[str, Any]:
        """{feature name: value}: categorical features first, then the others, by name."""
        host = self._saved()
        reader = self._reader()
        excluded = _slot_feature_ids(host) if external_only else set()
        values = {
            name: value
            for name, value in reader.values_of(host.id).items()
            if reader.feature_named(name).id not in excluded
        }
        return {**_index_value(host, self._schema_for(None)), **values}

    def __getitem__(self, key: Any) -> Any:
        host = self._saved()
        name = key.name if is_feature(key) else key
        reader = self._reader()
        feature = key if is_feature(key) else reader.feature_named(name)
        if feature is None:
            found = resolve_keys({name: None}, None) if isinstance(name, str) else []
            if not found:
                raise ValidationError(f"Feature with name {name} not found")
            feature = found[0][0]
        return reader.objects_of(host.id, feature)

    @property
    def slots(self) -> dict[str, Any]:
        """slot -> the schema linked for that slot (e.g. 'columns', 'obs', 'var.T')."""
        from .describe_sections import feature_sets

        host = self._saved()
        return dict(feature_sets(host.id))

    def describe(self, return_str: bool = False) -> str | None:
        """The tree of the record's features (dataset features per slot, then the others)."""
        from .describe_sections import features_tree

        text = features_tree(self._host)
        if return_str:
            return text
        print(text)
        return None

    def __repr__(self) -> str:
        if getattr(self._host, "id", None) is None:
            return f"{type(self).__name__}(no values: the {self._owner} is not saved)"
        from .describe_sections import features_tree

        return features_tree(self._host)


def _members(schema: Any) -> list[Any]:
    if schema is None:
        return []
    from .schema import members_of

    return members_of(schema)


def check_against_schema(
    host: Any, values: dict[Any, Any], schema: Any, members: list[Any]
) -> None:
    """Every required feature of the schema has a value (LaminDB's missing-column error)."""
    from .schema import optional_ids

    if not schema.minimal_set or not members:
        return
    given = [k.name if is_feature(k) else str(k) for k in values]
    optional = optional_ids(schema) | _index_on_name(host, schema)
    missing = [m.name for m in members if m.name not in given and m.id not in optional]
    if not missing:
        return
    errors = SchemaErrors()
    missing_columns(errors, missing, given)
    by_name = {m.name: m for m in members}

    def shown(key: Any, value: Any) -> str:
        name = key.name if is_feature(key) else str(key)
        dtype = key.dtype if is_feature(key) else getattr(by_name.get(name), "dtype", None)
        return f"'{name}' ({dtype})={value!r}" if dtype else f"'{name}'={value!r}"

    text = ", ".join(shown(k, v) for k, v in values.items())
    raise ValidationError(
        f"Failed to add features on {type(host).__name__} (uid={host.uid}): {text}. "
        + errors.text()
    )


def _index_value(host: Any, schema: Any) -> dict[str, Any]:
    """A sheet's index feature and its value, the record's name (LaminDB shows it too)."""
    index = getattr(schema, "index", None) if schema is not None else None
    if index is None or not isinstance(host, registered.Record) or host.name is None:
        return {}
    return {index.name: host.name}


def _index_on_name(host: Any, schema: Any) -> set[int]:
    """A sheet's index feature is held by its records' names: a named record has it."""
    index = getattr(schema, "index", None)
    if (
        index is None
        or not isinstance(host, registered.Record)
        or host.__dict__.get("name") is None
    ):
        return set()
    return {index.id}


def external_schema(host: Any) -> Any | None:
    """The schema that validates an artifact's external features (a flat one on a file)."""
    schema = getattr(host, "schema", None)
    if schema is None or getattr(host, "otype", None) is not None:
        return None
    from .schema import slots_of

    return None if slots_of(schema) else schema


def _removal_targets(feature: Any, value: Any) -> list[tuple[Any, Any]]:
    if isinstance(feature, dict):
        return list(feature.items())
    if isinstance(feature, list | tuple):
        return [(f, None) for f in feature]
    if isinstance(feature, str) or is_feature(feature):
        return [(feature, value)]
    raise InvalidArgument(f"remove_values() takes a feature, a list or a dict, got {feature!r}")


def _removal_values(
    feature: Any, value: Any
) -> tuple[list[Any] | None, dict[str, list[int]] | None]:
    """The JSON values and the record ids that removing `value` means for a feature."""
    if value is None:
        return None, None
    from .dtype_values import check_value
    from .dtypes import is_registry, parse_dtype
    from .registries import records_by_values, scope_of

    dtype = parse_dtype(feature.dtype)
    items = (
        list(value) if isinstance(value, list | tuple | set) and dtype.kind != "list" else [value]
    )
    if not (dtype.is_cat and dtype.cat_targets):
        checked = []
        for item in items:
            try:
                checked.append(check_value(dtype, item))
            except ValueError:
                continue
        return checked, {}
    ids: dict[str, list[int]] = {}
    for item in items:
        if is_registry(type(item)) and item.id is not None:
            ids.setdefault(_label(type(item)), []).append(item.id)
        elif isinstance(item, str):
            for target in dtype.cat_targets:
                scope = scope_of(target)
                for record in records_by_values(scope, [item]):
                    ids.setdefault(_label(scope.model), []).append(record.id)
    return [], ids


def _label(model: type) -> str:
    module = getattr(model, "__lk_module__", "core")
    return model.__name__ if module == "core" else f"{module}.{model.__name__}"


def _slot_feature_ids(host: Any) -> set[int]:
    from .describe_sections import feature_sets
    from .schema import members_of

    found: set[int] = set()
    for _, schema in feature_sets(host.id):
        if (schema.itype or "Feature") == "Feature":
            found.update(m.id for m in members_of(schema))
    return found


def features_missing_error(names: list[str]) -> ValidationError:
    return missing_keys_error(names, {})


__all__ = ["FeatureManager", "external_schema", "features_by_id"]
