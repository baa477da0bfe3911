"""Feature dtypes: parse and format dtype strings, and make them from types, registries, fields.

str int float num bool date datetime dict url path   simple values
datetime64[ns, UTC]                                   time-zone aware date-times
list[int]  list[cat[ULabel]]                          lists of values
cat                                                   categorical, no registry
cat[ULabel]  cat[ULabel[<type uid>]]                  labels (of a type, stored by uid)
cat[bionty.CellType]  cat[bionty.Gene.symbol]         a registry, by a field
cat[Artifact[schema__uid=...]]                        a registry, filtered (cat_filters)
cat[ULabel|bionty.CellType]                           any of several registries

Parsing is pure (no database): a type reference stays the text it was written with (a uid
as LaminDB 2.12 stores it, or a name as older instances did); `registries` resolves it.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from ..errors import InvalidArgument

TZ_DATETIME = "datetime64[ns, UTC]"
SIMPLE = (
    "str",
    "int",
    "float",
    "num",
    "bool",
    "date",
    "datetime",
    "dict",
    "url",
    "path",
    "object",
    TZ_DATETIME,
)
PYTHON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "bool"),
    (int, "int"),
    (float, "float"),
    (str, "str"),
    (dict, "dict"),
    (dt.datetime, "datetime"),
    (dt.date, "date"),
)
_REGISTRY = re.compile(r"^(?:(?P<module>bionty)\.)?(?P<registry>[A-Z][A-Za-z0-9_]*)$")
_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")
HELP = (
    "valid dtypes: str, int, float, num, bool, date, datetime, dict, url, path, "
    "list[<dtype>], cat, cat[ULabel], cat[ULabel[<type>]], cat[Record[<type>]], cat[User], "
    "cat[Artifact], cat[Run], cat[bionty.<Registry>], cat[bionty.<Registry>.<field>]; "
    "or pass a Python type, a registry, a registry field or a type record"
)


@dataclass(frozen=True)
class CatTarget:
    """One registry a categorical feature draws its values from."""

    registry: str  # "ULabel", "bionty.CellType"
    field: str | None = None  # None: the registry's name field
    type_ref: str | None = None  # uid (or legacy name) of the type in ULabel[<type>]
    filters: tuple[tuple[str, str], ...] = ()  # cat_filters, e.g. (("schema__uid", "X"),)

    @property
    def module(self) -> str:
        return self.registry.split(".")[0] if "." in self.registry else "core"

    @property
    def class_name(self) -> str:
        return self.registry.split(".")[-1]

    @property
    def type_name(self) -> str | None:
        """Kept for callers that read the type reference under its old name."""
        return self.type_ref

    def __str__(self) -> str:
        inner = [self.type_ref] if self.type_ref else []
        inner += [f"{k}={_quote(v)}" for k, v in self.filters]
        if self.type_ref or not self.field:
            text = self.registry + (f"[{', '.join(inner)}]" if inner else "")
            return text + (f".{self.field}" if self.field else "")
        # a field with filters: LaminDB writes the filters after the field
        return f"{self.registry}.{self.field}" + (f"[{', '.join(inner)}]" if inner else "")


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
    def is_list(self) -> bool:
        return self.kind == "list"

    @property
    def cat_targets(self) -> tuple[CatTarget, ...]:
        return self.inner.cat_targets if self.inner is not None else self.targets

    @property
    def base(self) -> Dtype:
        """The dtype of one element (itself unless a list)."""
        return self.inner if self.inner is not None else self

    @property
    def value_kind(self) -> str:
        """The kind of one element, with the time-zone aware date-time read as 'datetime'."""
        kind = self.base.kind
        return "datetime" if kind == TZ_DATETIME else kind

    def __str__(self) -> str:
        if self.kind == "list":
            return f"list[{self.inner}]"
        if self.kind == "cat" and self.targets:
            return f"cat[{'|'.join(str(t) for t in self.targets)}]"
        return self.kind


def _quote(value: str) -> str:
    return f'"{value}"' if "," in value else value


def split_top(text: str, sep: str) -> list[str]:
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
        targets = tuple(_parse_target(part.strip(), text) for part in split_top(value[4:-1], "|"))
        return Dtype("cat", targets=targets)
    raise InvalidArgument(f"unknown dtype '{text}'; {HELP}")


def _parse_target(part: str, text: str) -> CatTarget:
    """'ULabel', 'bionty.Gene.symbol', 'Record[uid]', 'bionty.Disease.name[source__uid=x]'."""
    head, bracket, tail = part, "", ""
    if "[" in part:
        start = part.index("[")
        end = part.rindex("]")
        head, bracket, tail = part[:start], part[start + 1 : end], part[end + 1 :]
    pieces = head.split(".")
    field = None
    if pieces[0] == "bionty":
        registry_text, rest = ".".join(pieces[:2]), pieces[2:]
    else:
        registry_text, rest = pieces[0], pieces[1:]
    if tail:
        if not tail.startswith(".") or rest:
            raise InvalidArgument(f"unknown dtype '{text}': cannot read '{part}'; {HELP}")
        rest = [tail[1:]]
    if len(rest) > 1 or (rest and not _FIELD.match(rest[0])):
        raise InvalidArgument(f"unknown dtype '{text}': cannot read field of '{part}'; {HELP}")
    field = rest[0] if rest else None
    if _REGISTRY.match(registry_text) is None:
        raise InvalidArgument(f"unknown dtype '{text}': cannot read registry '{part}'; {HELP}")
    type_ref, filters = _parse_bracket(bracket, text) if bracket else (None, ())
    return CatTarget(registry_text, field, type_ref, filters)


def _parse_bracket(content: str, text: str) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """A type reference and/or `key=value` filters, separated by commas."""
    type_ref: str | None = None
    filters: list[tuple[str, str]] = []
    for i, item in enumerate(_split_filters(content, text)):
        if "=" not in item:
            if i != 0 or not item:
                raise InvalidArgument(f"unknown dtype '{text}': cannot read '[{content}]'")
            type_ref = item
            continue
        key, value = (s.strip() for s in item.split("=", 1))
        value = value[1:-1] if len(value) > 1 and value[0] == value[-1] in "'\"" else value
        if not key or not value:
            raise InvalidArgument(f"unknown dtype '{text}': empty filter in '[{content}]'")
        filters.append((key, value))
    return type_ref, tuple(filters)


def _split_filters(content: str, text: str) -> list[str]:
    parts, current, quote = [], [], ""
    for ch in content:
        if quote:
            current.append(ch)
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
            current.append(ch)
        elif ch == ",":
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    if quote:
        raise InvalidArgument(f"unknown dtype '{text}': unterminated quote in '[{content}]'")
    parts.append("".join(current).strip())
    return parts


def registry_label(model: type) -> str:
    """'ULabel' for core registries, 'bionty.CellType' for those of a module."""
    module = getattr(model, "__lk_module__", "core")
    return model.__name__ if module == "core" else f"{module}.{model.__name__}"


def is_registry(obj: Any) -> bool:
    return isinstance(obj, type) and hasattr(obj, "__table__") and hasattr(obj, "__lk_module__")


def is_field(obj: Any) -> bool:
    return hasattr(obj, "class_") and hasattr(obj, "key") and is_registry(obj.class_)


def is_type_record(obj: Any) -> bool:
    return is_registry(type(obj)) and "is_type" in type(obj).__table__.c


def _target_of(obj: Any) -> CatTarget | None:
    if is_registry(obj):
        return CatTarget(registry_label(obj))
    if is_field(obj):
        name_field = getattr(obj.class_, "__lk_name_field__", None) or "name"
        field = None if obj.key == name_field else obj.key
        return CatTarget(registry_label(obj.class_), field=field)
    if is_type_record(obj):
        if getattr(obj, "id", None) is None:
            raise InvalidArgument(f"Cannot serialize unsaved objects. Save {obj!r} via `.save()`.")
        if not getattr(obj, "is_type", False):
            raise InvalidArgument(
                f"Cannot serialize non-type {type(obj).__name__} '{getattr(obj, 'name', obj)}'. "
                "Only types (is_type=True) are allowed in dtypes."
            )
        return CatTarget(registry_label(type(obj)), type_ref=obj.uid)
    return None


def _pandas_dtype(value: Any) -> Dtype | None:
    """A Dtype for a numpy or pandas dtype (int64 -> int, category -> cat[ULabel])."""
    module = type(value).__module__
    if not (module.startswith("numpy") or module.startswith("pandas")):
        return None
    import pandas as pd
    from pandas.api import types as pt

    if isinstance(value, pd.CategoricalDtype):
        return Dtype("cat", targets=(CatTarget("ULabel"),))
    if getattr(value, "tz", None) is not None:
        return Dtype(TZ_DATETIME)
    if pt.is_bool_dtype(value):
        return Dtype("bool")
    if pt.is_integer_dtype(value):
        return Dtype("int")
    if pt.is_float_dtype(value):
        return Dtype("float")
    if pt.is_datetime64_any_dtype(value):
        return Dtype("datetime")
    if pt.is_string_dtype(value) or pt.is_object_dtype(value):
        return Dtype("str")
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
    named = getattr(value, "__name__", None)  # LaminDB reads a callable by its name too:
    if callable(value) and named in {n for _, n in PYTHON_TYPES}:  # datetime.date (a method)
        return Dtype(named)
    if isinstance(value, types.GenericAlias) and get_origin(value) is list:
        (inner,) = get_args(value) or (None,)
        return Dtype("list", inner=to_dtype(inner))
    if isinstance(value, list) and len(value) == 1 and is_type_record(value[0]):
        raise InvalidArgument(
            "use list[type_record] for a list of labels of a type, not [type_record]"
        )
    if isinstance(value, list | tuple | types.UnionType) and value:
        items = list(get_args(value)) if isinstance(value, types.UnionType) else list(value)
        if len(items) > 1 and any(is_type_record(v) for v in items):
            raise InvalidArgument(
                "Cannot create a union dtype that includes a `Record` or `ULabel` subtype, "
                "e.g. `dtype=[record_type_1, record_type_2]`. Unions are only supported for "
                "static registry types or fields."
            )
        targets = [_target_of(v) for v in items]
        if all(t is not None for t in targets):
            return Dtype("cat", targets=tuple(t for t in targets if t is not None))
    target = _target_of(value)
    if target is not None:
        return Dtype("cat", targets=(target,))
    pandas_dtype = _pandas_dtype(value)
    if pandas_dtype is not None:
        return pandas_dtype
    raise InvalidArgument(f"cannot make a dtype from {value!r}; {HELP}")


def format_dtype(value: Any) -> str:
    """The canonical dtype string of anything to_dtype() accepts."""
    return str(to_dtype(value))
