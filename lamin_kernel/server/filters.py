"""`field:lookup:value` filters typed against a registry's whitelist and applied to a QuerySet.

Values are converted to the field's type here and bound as parameters by the query layer;
no text from a request is ever part of the SQL.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from .. import models
from ..errors import InvalidArgument
from ..query.queryset import QuerySet
from .params import FilterSpec
from .registries import FieldInfo, RegistrySpec, feature_type

FEATURE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,149}$")
TEXT_LOOKUPS = {"iexact", "contains", "icontains", "startswith", "istartswith", "endswith"}
ORDER_LOOKUPS = {"gt", "gte", "lt", "lte"}
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


def _bool(text: str, where: str) -> bool:
    lowered = text.strip().lower()
    if lowered in TRUE | FALSE:
        return lowered in TRUE
    raise InvalidArgument(f"{where}: {text[:40]!r} is not true or false")


def coerce(info: FieldInfo, text: str, where: str) -> Any:
    """The value of a filter as the field's type."""
    if info.type == "int":
        if not re.fullmatch(r"[+-]?\d{1,18}", text.strip()):
            raise InvalidArgument(f"{where}: {text[:40]!r} is not an integer")
        return int(text)
    if info.type == "float":
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise InvalidArgument(f"{where}: {text[:40]!r} is not a number")
        return value
    if info.type == "bool":
        return _bool(text, where)
    if info.type == "datetime":
        try:
            value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise InvalidArgument(f"{where}: {text[:40]!r} is not an ISO date or time") from None
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return text


def _filter_value(info: FieldInfo, spec: FilterSpec, where: str) -> Any:
    if spec.lookup == "isnull":
        return _bool(spec.value, where)
    if spec.lookup in TEXT_LOOKUPS and info.type != "str":
        raise InvalidArgument(f"{where}: '{spec.lookup}' applies to text fields only")
    if spec.lookup in ORDER_LOOKUPS and info.type == "bool":
        raise InvalidArgument(f"{where}: '{spec.lookup}' does not apply to true/false fields")
    if spec.lookup == "in":
        return [coerce(info, v.strip(), where) for v in spec.value.split(",") if v.strip()]
    return coerce(info, spec.value, where)


def feature_field(registry: RegistrySpec, name: str) -> FieldInfo | None:
    """A feature of this registry's records (artifacts) as a filter field, if there is one.

    The query layer resolves feature names through the registry's `__lk_filter_resolver__`.
    """
    if getattr(registry.model, "__lk_filter_resolver__", None) is None:
        return None
    if not FEATURE_NAME.match(name) or "__" in name:
        return None
    feature = models.Feature.filter(name=name, is_type=False).first()
    kind = feature_type(feature.dtype) if feature is not None else None
    return FieldInfo(name, kind, "Feature") if kind else None


def apply_filters(
    qs: QuerySet, registry: RegistrySpec, filters: list[FilterSpec], exclude: bool = False
) -> QuerySet:
    """The QuerySet narrowed by every filter (or without the rows any `exclude` filter
    matches); unknown or unlisted fields are a 400."""
    for spec in filters:
        where = f"filter on '{spec.field[:80]}'"
        info = registry.filterable(spec.field) or feature_field(registry, spec.field)
        if info is None:
            names = [f.name for f in registry.columns + registry.relations if f.type != "json"]
            raise InvalidArgument(
                f"cannot filter {registry.name} by '{spec.field[:80]}'; "
                f"filterable fields: {', '.join(names)}"
                + (
                    ", or a feature name"
                    if hasattr(registry.model, "__lk_filter_resolver__")
                    else ""
                )
            )
        value = _filter_value(info, spec, where)
        lookup = {f"{spec.field}__{spec.lookup}": value}
        if not exclude:
            qs = qs.filter(**lookup)
        elif spec.lookup == "isnull":
            qs = qs.exclude(**lookup)
        else:  # NULL matches no comparison: a row without a value is never excluded
            qs = qs.exclude(**lookup, **{f"{spec.field}__isnull": False})
    return qs


def sort_spec(registry: RegistrySpec, sort: str | None, searching: bool) -> list[str]:
    """ORDER BY of a page: the whitelisted field, then id for a stable order; newest first."""
    if sort is None:
        return [] if searching else ["-id"]
    name = sort[1:] if sort.startswith("-") else sort
    if registry.sortable(name) is None:
        raise InvalidArgument(f"cannot sort {registry.name} by '{name[:80]}'")
    return [sort] if name == "id" else [sort, "-id"]
