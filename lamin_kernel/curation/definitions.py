"""Checks on Feature(...) arguments: the dtype resolves, the default fits, names are unique."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .. import log
from ..errors import InvalidArgument
from ..setup.session import end_read, get_session, visible_branch_ids
from .dtypes import Dtype, check_value, to_dtype
from .registries import field_of, registry_of, type_id_of


def resolve_targets(dtype: Dtype) -> None:
    """Every registry, field and type a categorical dtype names must exist."""
    for target in dtype.cat_targets:
        model = registry_of(target)
        field_of(model, target)
        type_id_of(model, target)


def feature_fields(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Feature(...) keyword arguments with the dtype as its canonical string."""
    fields = dict(kwargs)
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidArgument("Feature() needs a name, e.g. ln.Feature(name='temperature', ...)")
    if fields.get("dtype") is None and not fields.get("is_type"):
        raise InvalidArgument(
            f"Feature '{name}' needs a dtype, e.g. dtype=float, dtype=ln.ULabel or "
            "dtype='cat[bionty.CellType]'"
        )
    if fields.get("dtype") is not None:
        dtype = to_dtype(fields["dtype"])
        resolve_targets(dtype)
        fields["dtype"] = str(dtype)
        default = fields.get("default_value")
        if default is not None and not dtype.is_cat:
            try:
                fields["default_value"] = check_value(dtype, default)
            except ValueError as exc:
                raise InvalidArgument(
                    f"default_value {default!r} of feature '{name}' {exc} (dtype '{dtype}')"
                ) from None
    synonyms = fields.get("synonyms")
    if isinstance(synonyms, list | tuple | set):
        fields["synonyms"] = "|".join(str(s) for s in synonyms)
    return fields


def same_name(model: type, name: str) -> Any | None:
    session = get_session()
    try:
        stmt = select(model).where(
            model.name == name,
            model.branch_id.in_(visible_branch_ids()),
            model.is_type.is_(False),
        )
        return session.scalars(stmt.limit(1)).first()
    finally:
        end_read(session)


def existing_for(model: type, kwargs: dict[str, Any]) -> Any | None:
    """The saved feature that Feature(**kwargs) names (same name and dtype), or None.

    Feature.__new__ returns it; a different dtype under the same name is an error.
    """
    if not kwargs or kwargs.get("is_type"):
        return None
    fields = feature_fields(kwargs)
    existing = same_name(model, fields["name"])
    if existing is None:
        return None
    if existing.dtype != fields["dtype"]:
        raise InvalidArgument(
            f"Feature '{existing.name}' already exists with dtype '{existing.dtype}'; you passed "
            f"'{fields['dtype']}'. Use another name, or delete the existing feature first"
        )
    log.info(f"returning existing Feature record with same name: '{existing.name}'")
    return existing
