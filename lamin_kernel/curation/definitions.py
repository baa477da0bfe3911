"""Feature(...) arguments: the dtype resolves, filters and defaults fit, names are unique.

The same-name rule: a feature is identified by its name and its feature type. Asking again
for an existing one returns it; asking for it with another dtype is a ValidationError that
names both dtypes, as LaminDB's does.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select

from .. import log
from ..errors import FieldValidationError, InvalidArgument, ValidationError
from ..records.registered import registered
from ..setup.session import read_session, visible_branch_ids
from .dtype_values import check_value
from .dtypes import SIMPLE, CatTarget, Dtype, is_registry, to_dtype
from .registries import field_of, registry_of, type_id_of, type_record

FEATURE_KWARGS = (
    "name",
    "dtype",
    "type",
    "is_type",
    "unit",
    "description",
    "synonyms",
    "nullable",
    "default_value",
    "coerce",
    "cat_filters",
    "branch",
    "space",
)
INTERNAL_KWARGS = ("type_id", "branch_id", "space_id", "array_rank", "array_size", "array_shape")


def resolve_targets(dtype: Dtype) -> Dtype:
    """Every registry, field and type a categorical dtype names must exist; types given by
    name come back referenced by uid, as they are stored."""
    if dtype.kind == "list" and dtype.inner is not None:
        return replace(dtype, inner=resolve_targets(dtype.inner))
    targets = []
    for target in dtype.targets:
        model = registry_of(target)
        field_of(model, target)
        type_id_of(model, target)
        if target.type_ref is not None:
            found = type_record(model, target.type_ref)
            target = replace(target, type_ref=found.uid)
        targets.append(target)
    return replace(dtype, targets=tuple(targets))


def _filter_items(cat_filters: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    items = []
    for key, value in cat_filters.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValidationError(f"Empty value in filter {key}")
        if is_registry(type(value)):
            if getattr(value, "uid", None) is None:
                raise ValidationError(f"save the {type(value).__name__} in filter {key} first")
            items.append((f"{key}__uid", str(value.uid)))
        else:
            items.append((key, str(value)))
    return tuple(items)


def with_filters(dtype: Dtype, cat_filters: dict[str, Any] | None) -> Dtype:
    """The dtype with cat_filters written into its (single) categorical target."""
    if not cat_filters:
        return dtype
    if not isinstance(cat_filters, dict):
        raise InvalidArgument("cat_filters must be a dict, e.g. {'source': source_record}")
    if len(dtype.cat_targets) != 1:
        raise ValidationError(f"cat_filters are incompatible with union dtypes: '{dtype}'")
    if dtype.kind == "list":
        raise ValidationError(f"cat_filters are incompatible with nested dtypes: '{dtype}'")
    target = dtype.targets[0]
    items = dict(target.filters) | dict(_filter_items(cat_filters))
    type_ref = target.type_ref
    if "type__uid" in items:
        explicit = items.pop("type__uid")
        if type_ref is not None and type_ref != explicit:
            raise ValidationError(
                "Conflicting typed dtype and cat_filters type selector: dtype uses uid "
                f"'{type_ref}', cat_filters uses uid '{explicit}'"
            )
        type_ref = explicit
    target = CatTarget(target.registry, target.field, type_ref, tuple(items.items()))
    return replace(dtype, targets=(target,))


def _dtype_of(fields: dict[str, Any], cat_filters: Any) -> str:
    name = fields.get("name")
    raw = fields["dtype"]
    if raw == "cat":
        return "cat"
    dtype = with_filters(to_dtype(raw), cat_filters)
    if isinstance(raw, str) and not dtype.is_cat and dtype.base.kind not in SIMPLE:
        raise InvalidArgument(f"dtype is '{raw}' but has to be one of {set(SIMPLE)}!")
    dtype = resolve_targets(dtype)
    default = fields.get("default_value")
    if default is not None and not dtype.is_cat:
        try:
            fields["default_value"] = check_value(dtype, default)
        except ValueError as exc:
            raise InvalidArgument(
                f"default_value {default!r} of feature '{name}' {exc} (dtype '{dtype}')"
            ) from None
    return str(dtype)


def feature_fields(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Feature(...) keyword arguments as column values, with the dtype as its canonical string."""
    unknown = [k for k in kwargs if k not in FEATURE_KWARGS and k not in INTERNAL_KWARGS]
    if unknown:
        valid = ", ".join(FEATURE_KWARGS)
        raise FieldValidationError(f"Only {valid} are valid keyword arguments (got {unknown})")
    fields = dict(kwargs)
    cat_filters = fields.pop("cat_filters", None)
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidArgument("Feature() needs a name, e.g. ln.Feature(name='temperature', ...)")
    if fields.get("dtype") is None and not fields.get("is_type"):
        raise ValidationError(
            f"Please pass dtype, one of {set(SIMPLE)} or a composed categorical dtype"
        )
    if fields.get("dtype") is not None:
        fields["dtype"] = _dtype_of(fields, cat_filters)
    if fields.get("nullable") is None:
        fields["nullable"] = not fields.get("is_type", False)
    _set_type(fields)
    synonyms = fields.get("synonyms")
    if isinstance(synonyms, list | tuple | set):
        fields["synonyms"] = "|".join(str(s) for s in synonyms)
    return fields


def _set_type(fields: dict[str, Any]) -> None:
    type_record = fields.pop("type", None)
    if type_record is None:
        return
    if not isinstance(type_record, registered.Feature):
        raise InvalidArgument(
            f"type of a Feature must be a Feature with is_type=True, got "
            f"{type(type_record).__name__}"
        )
    if not type_record.is_type:
        raise InvalidArgument(
            f"Feature '{type_record.name}' is not a type (is_type=False); pass a Feature made "
            "with is_type=True, e.g. ln.Feature(name='LabA', is_type=True).save()"
        )
    if type_record.id is None:
        raise InvalidArgument(f"save the feature type '{type_record.name}' first: .save()")
    fields["type_id"] = type_record.id


def same_name(model: type, name: str, type_id: int | None, is_type: bool) -> Any | None:
    """The visible feature (or feature type) of this name under this type."""
    with read_session() as session:
        stmt = select(model).where(
            model.name == name,
            model.branch_id.in_(visible_branch_ids()),
            model.is_type.is_(is_type),
            model.type_id.is_(None) if type_id is None else model.type_id == type_id,
        )
        return session.scalars(stmt.order_by(model.id).limit(1)).first()


UPDATABLE = ("description", "unit", "synonyms", "default_value", "coerce", "nullable")


def existing_for(model: type, kwargs: dict[str, Any]) -> Any | None:
    """The saved feature that Feature(**kwargs) names (same name and type), or None.

    Feature.__new__ returns it; a different dtype under the same name is an error.
    """
    if not kwargs:
        return None
    fields = feature_fields(kwargs)
    existing = same_name(
        model, fields["name"], fields.get("type_id"), bool(fields.get("is_type", False))
    )
    if existing is None:
        return None
    if not existing.is_type and existing.dtype != fields.get("dtype"):
        raise ValidationError(
            f"Feature {existing.name} already exists with dtype {existing.dtype}, you passed "
            f"{fields.get('dtype')}"
        )
    log.info(f"returning feature with same name: '{existing.name}'")
    for key in UPDATABLE:
        if key in kwargs and kwargs[key] is not None and getattr(existing, key) != fields[key]:
            setattr(existing, key, fields[key])  # the new words win, saved on .save()
    return existing
