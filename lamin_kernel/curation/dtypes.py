"""Feature dtypes: parse and format dtype strings, and make them from types, registries, fields.

str int float num bool date datetime dict          simple values
list[int]  list[cat[ULabel]]                        lists of values
cat                                                 categorical, no registry
cat[ULabel]  cat[ULabel[Perturbation]]              labels (of a type)
cat[bionty.CellType]  cat[bionty.Gene.symbol]       a registry, by a field
cat[ULabel|bionty.CellType]                         any of several registries
"""

from __future__ import annotations

import datetime as dt
import re
import types
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from ..errors import InvalidArgument

SIMPLE = ("str", "int", "float", "num", "bool", "date", "datetime", "dict")
PYTHON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "bool"),
    (int, "int"),
    (float, "float"),
    (str, "str"),
    (dict, "dict"),
    (dt.datetime, "datetime"),
    (dt.date, "date"),
)
_TARGET = re.compile(
    r"^(?:(?P<module>bionty)\.)?(?P<registry>[A-Z][A-Za-z0-9_]*)"
    r"(?:\[(?P<type>[^\[\]]+)\])?(?:\.(?P<field>[a-z_][a-z0-9_]*))?$"
)
HELP = (
    "valid dtypes: str, int, float, num, bool, date, datetime, dict, list[<dtype>], cat, "
    "cat[ULabel], cat[ULabel[<TypeName>]], cat[Record], cat[bionty.<Registry>], "
    "cat[bionty.<Registry>.<field>]; or pass a Python type, a registry or a registry field"
)


@dataclass(frozen=True)
class CatTarget:
    """One registry a categorical feature draws its values from."""

    registry: str  # "ULabel", "bionty.CellType"
    field: str | None = None  # None: the registry's name field
    type_name: str | None = None  # "Perturbation" in ULabel[Perturbation]

    @property
    def module(self) -> str:
        return self.registry.split(".")[0] if "." in self.registry else "core"

    @property
    def class_name(self) -> str:
        return self.registry.split(".")[-1]

    def __str__(self) -> str:
        text = self.registry + (f"[{self.type_name}]" if self.type_name else "")
        return text + (f".{self.field}" if self.field else "")


@dataclass(frozen=True)
class Dtype:
    """A parsed dtype: a simple kind, a categorical with its registries, or a list of either."""

    kind: str  # one of SIMPLE, "cat" or "list"
    targets: tuple[CatTarget, ...] = ()
    inner: Dtype | None = None

    @property
    def is_cat(self) -> bool:
        return self.kind == "cat" or (self.inner is not None and self.inner.is_cat)

    @property
    def cat_targets(self) -> tuple[CatTarget, ...]:
        return self.inner.cat_targets if self.inner is not None else self.targets

    @property
    def base(self) -> Dtype:
        """The dtype of one element (itself unless a list)."""
        return self.inner if self.inner is not None else self

    def __str__(self) -> str:
        if self.kind == "list":
            return f"list[{self.inner}]"
        if self.kind == "cat" and self.targets:
            return f"cat[{'|'.join(str(t) for t in self.targets)}]"
        return self.kind


def _split_top(text: str, sep: str) -> list[str]:
    """Split on `sep` outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "["
        depth -= ch == "]"
        if ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def parse_dtype(text: str) -> Dtype:
    """A Dtype from its string; unknown strings raise InvalidArgument listing valid ones."""
    if not isinstance(text, str):
        raise InvalidArgument(f"a dtype string is expected, got {type(text).__name__}")
    value = text.strip()
    if value in SIMPLE or value == "cat":
        return Dtype(value)
    if value.startswith("list[") and value.endswith("]"):
        inner = parse_dtype(value[5:-1])
        if inner.kind == "list":
            raise InvalidArgument(f"unknown dtype '{text}': lists of lists are not supported")
        return Dtype("list", inner=inner)
    if value.startswith("cat[") and value.endswith("]") and value.count("[") == value.count("]"):
        targets = tuple(_parse_target(part.strip(), text) for part in _split_top(value[4:-1], "|"))
        return Dtype("cat", targets=targets)
    raise InvalidArgument(f"unknown dtype '{text}'; {HELP}")


def _parse_target(part: str, text: str) -> CatTarget:
    match = _TARGET.match(part)
    if match is None:
        raise InvalidArgument(f"unknown dtype '{text}': cannot read registry '{part}'; {HELP}")
    registry = match["registry"] if match["module"] is None else f"bionty.{match['registry']}"
    return CatTarget(registry, match["field"], match["type"].strip() if match["type"] else None)


def registry_label(model: type) -> str:
    """'ULabel' for core registries, 'bionty.CellType' for those of a module."""
    module = getattr(model, "__lk_module__", "core")
    return model.__name__ if module == "core" else f"{module}.{model.__name__}"


def _is_registry(obj: Any) -> bool:
    return isinstance(obj, type) and hasattr(obj, "__table__") and hasattr(obj, "__lk_module__")


def _is_field(obj: Any) -> bool:
    return hasattr(obj, "class_") and hasattr(obj, "key") and _is_registry(obj.class_)


def _target_of(obj: Any) -> CatTarget | None:
    if _is_registry(obj):
        return CatTarget(registry_label(obj))
    if _is_field(obj):
        return CatTarget(registry_label(obj.class_), field=obj.key)
    if _is_registry(type(obj)) and getattr(obj, "is_type", False):
        return CatTarget(registry_label(type(obj)), type_name=obj.name)
    return None


def to_dtype(value: Any) -> Dtype:
    """A Dtype from a string, a Python type, a registry, a registry field or a type record."""
    if isinstance(value, Dtype):
        return value
    if isinstance(value, str):
        return parse_dtype(value)
    for python_type, name in PYTHON_TYPES:
        if value is python_type:
            return Dtype(name)
    if isinstance(value, types.GenericAlias) and get_origin(value) is list:
        (inner,) = get_args(value) or (None,)
        return Dtype("list", inner=to_dtype(inner))
    if isinstance(value, list | tuple) and value:
        targets = [_target_of(v) for v in value]
        if all(t is not None for t in targets):
            return Dtype("cat", targets=tuple(t for t in targets if t is not None))
    target = _target_of(value)
    if target is not None:
        return Dtype("cat", targets=(target,))
    if _is_registry(type(value)):
        raise InvalidArgument(
            f"a {type(value).__name__} record can be a dtype only when it is a type "
            f"(is_type=True); '{getattr(value, 'name', value)}' is not"
        )
    raise InvalidArgument(f"cannot make a dtype from {value!r}; {HELP}")


def format_dtype(value: Any) -> str:
    """The canonical dtype string of anything to_dtype() accepts."""
    return str(to_dtype(value))


def display_dtype(text: str | None) -> str:
    """How describe() shows a dtype: cat[ULabel] -> ULabel, list[cat[X]] -> list[X]."""
    if not text:
        return ""
    try:
        dtype = parse_dtype(text)
    except InvalidArgument:
        return text
    if dtype.kind == "list" and dtype.inner is not None:
        return f"list[{display_dtype(str(dtype.inner))}]"
    if dtype.kind == "cat" and dtype.targets:
        return "|".join(str(t) for t in dtype.targets)
    return str(dtype)


def is_numeric_kind(kind: str) -> bool:
    return kind in ("int", "float", "num")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) or _numpy_kind(value) in "iu"


def _is_number(value: Any) -> bool:
    return _is_int(value) or isinstance(value, float) or _numpy_kind(value) == "f"


def _numpy_kind(value: Any) -> str:
    dtype = getattr(value, "dtype", None)
    return getattr(dtype, "kind", "-") if getattr(value, "shape", None) == () else "-"


def _iso(value: Any, kind: str) -> str:
    if isinstance(value, str):
        try:
            parsed: Any = (
                dt.date.fromisoformat(value) if kind == "date" else dt.datetime.fromisoformat(value)
            )
        except ValueError:
            raise ValueError(f"is not an ISO {kind} string") from None
        return parsed.isoformat()
    if kind == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if kind == "datetime" and isinstance(value, dt.datetime):
        return value.isoformat()
    raise ValueError(f"is not a {kind}")


def check_value(dtype: Dtype, value: Any) -> Any:
    """The JSON-ready form of one non-categorical value; ValueError says why it does not fit."""
    kind = dtype.kind
    if kind == "list":
        if not isinstance(value, list | tuple):
            raise ValueError("is not a list")
        assert dtype.inner is not None
        return [check_value(dtype.inner, v) for v in value]
    if kind in ("str", "cat"):
        if not isinstance(value, str):
            raise ValueError("is not a string")
        return value
    if kind == "int":
        if _is_int(value):
            return int(value)
        if _is_number(value) and float(value).is_integer():
            return int(value)
        raise ValueError("is not an integer")
    if kind in ("float", "num"):
        if not _is_number(value):
            raise ValueError("is not a number")
        return float(value) if kind == "float" or not _is_int(value) else int(value)
    if kind == "bool":
        if isinstance(value, bool) or _numpy_kind(value) == "b":
            return bool(value)
        raise ValueError("is not a bool")
    if kind in ("date", "datetime"):
        return _iso(value, kind)
    if kind == "dict":
        if not isinstance(value, dict):
            raise ValueError("is not a dict")
        return value
    raise ValueError(f"has unknown dtype {kind}")
