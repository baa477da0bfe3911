"""A JSON value compared with a Python value, as JSON values of one type, on both databases.

`JsonValue.filter(value=0.0)` and `Run.filter(params__rate__gt=0.1)` compare a whole JSON
column or an element inside one. PostgreSQL's ``json`` type has no ``=`` at all ("operator
does not exist: json = double precision"), and a cast of every element to a number fails on
the first row whose element is text. So the comparison is typed: a number matches numbers
(``0`` equals ``0.0``), ``True`` matches JSON ``true`` (not ``1``), text matches text, and a
dict or list matches an equal JSON document. Rows whose element has another type, or none,
do not match. SQLite reads the type with ``json_type`` and the value with ``json_extract``;
PostgreSQL compares ``jsonb`` values and casts only elements that ``jsonb_typeof`` says are
numbers.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Float, String, and_, bindparam, case, cast, func, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import NullType

OPERATORS = ("=", ">", ">=", "<", "<=")
ORDERED_KINDS = ("number", "text")


def json_kind(value: Any) -> str | None:
    """'bool', 'number', 'text' or 'json' (dict, list); None for what JSON cannot hold."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict | list | tuple):
        return "json"
    return None


class json_compare(FunctionElement):  # noqa: N801  (used like an SQL operator)
    """`<JSON element> <operator> <value>` for a JSON column and a path of keys inside it
    (empty: the whole value). Numbers and text take every operator, booleans and
    documents only ``=``."""

    name = "json_compare"
    inherit_cache = False  # the operator, path and value are not clauses: never cache
    type = NullType()  # not Boolean: SQLite would be given `... = 1`

    def __init__(self, column: Any, path: tuple[str, ...], operator: str, value: Any) -> None:
        kind = json_kind(value)
        if kind is None or operator not in OPERATORS:
            raise ValueError(f"cannot compare a JSON value {operator} {value!r}")
        if operator != "=" and kind not in ORDERED_KINDS:
            raise ValueError(f"a JSON {kind} value can only be compared with '='")
        super().__init__(column)
        self.column = column
        self.path = tuple(path)
        self.operator = operator
        self.value = list(value) if isinstance(value, tuple) else value
        self.kind = kind


def _compare(left: Any, operator: str, right: Any) -> Any:
    return left.op(operator)(right) if operator != "=" else left == right


def _sqlite_path(path: tuple[str, ...]) -> str:
    return "$" + "".join('."' + key.replace('"', '\\"') + '"' for key in path)


def _sqlite_condition(element: json_compare) -> Any:
    column, path = element.column, _sqlite_path(element.path)
    kind, value = element.kind, element.value
    json_type = func.json_type(column, path)
    extracted = func.json_extract(column, path)
    if kind == "bool":
        return json_type == ("true" if value else "false")
    if kind == "json":
        return extracted == func.json(bindparam(None, json.dumps(value), type_=String))
    types = ["integer", "real"] if kind == "number" else ["text"]
    return and_(json_type.in_(types), _compare(extracted, element.operator, value))


def _postgres_condition(element: json_compare) -> Any:
    # only compiled on PostgreSQL, whose dialect is loaded by then (on SQLite it is 40 ms of import)
    from sqlalchemy.dialects.postgresql import JSONB

    document = cast(element.column, JSONB)
    path = element.path
    value_of = func.jsonb_extract_path(document, *path) if path else document
    if element.operator == "=":
        encoded = bindparam(None, json.dumps(element.value), type_=String)
        return value_of == cast(encoded, JSONB)
    text_of = (
        func.jsonb_extract_path_text(document, *path)
        if path
        else document.op("#>>")(literal_column("'{}'::text[]"))
    )
    if element.kind == "number":
        typed = case((func.jsonb_typeof(value_of) == "number", cast(text_of, Float)))
    else:
        typed = case((func.jsonb_typeof(value_of) == "string", text_of))
    return _compare(typed, element.operator, element.value)


@compiles(json_compare, "sqlite")
def _sqlite(element: json_compare, compiler: Any, **kw: Any) -> str:
    return compiler.process(_sqlite_condition(element), **kw)


@compiles(json_compare, "postgresql")
def _postgres(element: json_compare, compiler: Any, **kw: Any) -> str:
    return compiler.process(_postgres_condition(element), **kw)
