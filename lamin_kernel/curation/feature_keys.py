"""Which Feature a key of a values dict means: a Feature object, or a name (or other field).

Names resolve against a schema's members when one is given; otherwise a feature without a
type wins, and two typed features of one name at the same depth are ambiguous.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from sqlalchemy import select

from ..errors import InvalidArgument, ValidationError
from ..records.registered import registered
from ..setup.session import read_session
from .dtypes import is_registry, registry_label
from .registries import features_by_field


def is_feature(obj: Any) -> bool:
    return isinstance(obj, registered.Feature) and is_registry(type(obj))


def _field_name(feature_field: Any) -> str:
    if feature_field is None:
        return "name"
    if isinstance(feature_field, str):
        return feature_field
    return str(getattr(feature_field, "key", "name"))


def suggested_dtype(value: Any) -> str:
    """The dtype LaminDB suggests for a value of a feature that does not exist yet."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, dt.datetime):
        return "datetime64[ns, UTC]" if value.tzinfo is not None else "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, str):
        return _string_dtype(value)
    if is_registry(type(value)):
        return f"cat[{registry_label(type(value))}]"
    if isinstance(value, PurePath):
        return "path"
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, list | tuple | set) and value:
        first = next(iter(value))
        inner = suggested_dtype(first)
        return f"list[{inner}]" if all(isinstance(v, type(first)) for v in value) else "?"
    return "?"


def _string_dtype(value: str) -> str:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return "cat ? str"
    return "date" if len(value) == 10 else "datetime"


def missing_keys_error(names: list[str], values: dict[str, Any]) -> ValidationError:
    lines = [f"These keys could not be validated: {names}", "Here is how to create a feature:", ""]
    for name in names:
        lines.append(
            f"  ln.Feature(name='{name}', dtype='{suggested_dtype(values.get(name))}').save()"
        )
    return ValidationError("\n".join(lines))


def _depth(feature: Any, types: dict[int, Any]) -> int:
    depth, parent_id, seen = 0, feature.type_id, set()
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        depth += 1
        parent = types.get(parent_id)
        parent_id = getattr(parent, "type_id", None)
    return depth


def _feature_types() -> dict[int, Any]:
    feature = registered.Feature
    with read_session() as session:
        rows = session.scalars(select(feature).where(feature.is_type.is_(True))).all()
    return {r.id: r for r in rows}


def _pick(name: str, candidates: list[Any]) -> Any:
    if len(candidates) == 1:
        return candidates[0]
    types = _feature_types()
    by_depth: dict[int, list[Any]] = {}
    for candidate in candidates:
        by_depth.setdefault(_depth(candidate, types), []).append(candidate)
    depth = min(by_depth)
    shallowest = by_depth[depth]
    if len(shallowest) == 1:
        return shallowest[0]
    type_names = sorted(getattr(types.get(f.type_id), "name", "") for f in shallowest)
    raise ValidationError(
        f"Ambiguous match for Feature '{name}': found {len(shallowest)} features at depth "
        f"{depth} (under types: {type_names}). Pass a schema or the Feature object."
    )


def resolve_keys(
    values: dict[Any, Any], feature_field: Any = None, members: list[Any] | None = None
) -> list[tuple[Any, Any]]:
    """(Feature, value) pairs for a values dict; unknown names are one ValidationError."""
    if not isinstance(values, dict):
        raise InvalidArgument(
            f"feature values must be a dict of feature (name or Feature) -> value, "
            f"got {type(values).__name__}"
        )
    field = _field_name(feature_field)
    names = [k for k in values if not is_feature(k)]
    for key in values:
        if is_feature(key) and key.id is None:
            raise InvalidArgument(f"save the Feature '{key.name}' before using it: .save()")
        if not is_feature(key) and not isinstance(key, str):
            raise InvalidArgument(f"feature keys are names or Feature records, got {key!r}")
    resolved: dict[Any, Any] = {}
    if names:
        pool = {getattr(m, field): [m] for m in members or []}
        others = [n for n in names if n not in pool]
        if others:
            pool |= features_by_field(field, others)
        missing = [n for n in names if n not in pool]
        if missing:
            raise missing_keys_error(missing, values)
        resolved = {n: _pick(n, pool[n]) for n in names}
    return [(key if is_feature(key) else resolved[key], value) for key, value in values.items()]
