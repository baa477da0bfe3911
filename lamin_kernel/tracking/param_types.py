"""``ln.track(params=..., expected_param_types=...)``: params checked against annotations.

A param with an expected type is kept in ``run.params`` only when its value matches the
annotation (``int``, ``float``, ``str``, ``bool``, ``dict``, ``list[X]``, ``set[X]``,
``tuple[X, ...]``, ``dict[K, V]``, ``X | None``, ``Literal[...]``, a registry class, ``Any``);
a value that does not match is left out with a warning naming the param, as LaminDB does, so
a wrong value never looks like a valid one. Records are stored as ``Artifact[uid]``, tuples
and sets as lists. Params without an expected type are stored as ``check_params`` allows.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .. import log
from ..errors import InvalidArgument
from ..models import SQLRecord

_PRIMITIVES: dict[type, typing.Callable[[Any], bool]] = {
    bool: lambda v: isinstance(v, bool),
    int: lambda v: isinstance(v, int) and not isinstance(v, bool),  # True is not an int here
    float: lambda v: isinstance(v, float),
    str: lambda v: isinstance(v, str),
    dict: lambda v: isinstance(v, dict),
    list: lambda v: isinstance(v, list),
}
_ITERABLES: dict[Any, type] = {
    list: list,
    set: set,
    frozenset: frozenset,
    Sequence: Sequence,
    Iterable: Iterable,
}


class Mismatch(Exception):
    """A value that does not match its annotation; the message says why."""


def record_label(record: SQLRecord) -> str:
    """`Artifact[uid]`, `bionty.CellType[uid]`: how a record is stored among params."""
    module = getattr(type(record), "__lk_module__", "core")
    name = type(record).__name__ if module == "core" else f"{module}.{type(record).__name__}"
    return f"{name}[{getattr(record, 'uid', record.id)}]"


def _match_union(options: tuple[Any, ...], value: Any) -> Any:
    for option in options:
        try:
            return normalized(option, value)
        except Mismatch:
            continue
    raise Mismatch("no option of the union matches")


def _match_literal(choices: tuple[Any, ...], value: Any) -> Any:
    if any(value == c and type(value) is type(c) for c in choices):
        return value
    raise Mismatch(f"not one of {list(choices)}")


def _match_items(origin: Any, args: tuple[Any, ...], value: Any) -> list[Any]:
    if isinstance(value, str | bytes | dict) or not isinstance(value, _ITERABLES[origin]):
        raise Mismatch(f"expected {getattr(origin, '__name__', origin)}")
    item = args[0] if args else Any
    return [normalized(item, v) for v in value]


def _match_tuple(args: tuple[Any, ...], value: Any) -> list[Any]:
    if not isinstance(value, tuple):
        raise Mismatch("expected tuple")
    if len(args) == 2 and args[1] is Ellipsis:
        return [normalized(args[0], v) for v in value]
    if args and len(args) != len(value):
        raise Mismatch(f"expected {len(args)} items, got {len(value)}")
    return [normalized(a, v) for a, v in zip(args, value, strict=False)] if args else list(value)


def _match_mapping(args: tuple[Any, ...], value: Any) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise Mismatch("expected a dict")
    key_type, value_type = (args + (Any, Any))[:2]
    return {normalized(key_type, k): normalized(value_type, v) for k, v in value.items()}


def _match_class(annotation: type, value: Any) -> Any:
    if issubclass(annotation, SQLRecord):
        if not isinstance(value, annotation) or getattr(value, "uid", None) is None:
            raise Mismatch(f"expected a {annotation.__name__} record")
        return record_label(value)
    checker = _PRIMITIVES.get(annotation)
    if checker is None:
        raise Mismatch(f"the annotation {annotation!r} is not supported")
    if not checker(value):
        raise Mismatch(f"expected {annotation.__name__}")
    return value


def normalized(annotation: Any, value: Any) -> Any:
    """``value`` as stored when it matches ``annotation``; raises Mismatch otherwise."""
    if annotation is Any:
        return record_label(value) if isinstance(value, SQLRecord) else value
    if annotation is None or annotation is type(None):
        if value is None:
            return None
        raise Mismatch("expected None")
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return _match_union(args, value)
    if origin is typing.Literal:
        return _match_literal(args, value)
    if origin in _ITERABLES:
        return _match_items(origin, args, value)
    if origin is tuple:
        return _match_tuple(args, value)
    if origin in (dict, Mapping):
        return _match_mapping(args, value)
    if origin is None and isinstance(annotation, type):
        return _match_class(annotation, value)
    raise Mismatch(f"the annotation {annotation!r} is not supported")


def typed_params(params: dict[str, Any], expected: Any) -> dict[str, Any]:
    """``params`` with each expected-type value checked and normalized; mismatches left out."""
    if not isinstance(expected, dict) or not all(isinstance(k, str) for k in expected):
        raise InvalidArgument(f"expected_param_types maps param names to types, got {expected!r}")
    stored: dict[str, Any] = {}
    for key, value in params.items():
        if key not in expected:
            stored[key] = value
            continue
        if value is None or (isinstance(value, list) and not value):
            continue  # a missing value is not stored
        try:
            stored[key] = normalized(expected[key], value)
            json.dumps(stored[key])
        except (Mismatch, TypeError, ValueError) as exc:
            stored.pop(key, None)
            log.warning(
                f"skipping param {key}: value {value!r} does not match annotation "
                f"{expected[key]!r} ({exc})"
            )
    return stored
