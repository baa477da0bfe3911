"""What each registry's columns are (computed once per class).

The registry classes themselves are in the typed slots of `records.registered`."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, Text, inspect


@dataclass(frozen=True)
class ModelInfo:
    """A registry's columns and the bookkeeping fields it has."""

    columns: tuple[str, ...]  # attribute names, id included
    column_set: frozenset[str]
    db_names: dict[str, str]  # attribute name -> column name
    text_columns: tuple[str, ...]
    init_names: frozenset[str]  # columns and relationships a constructor accepts
    relationships: frozenset[str]
    # many-to-one relationship -> the column attribute holding its foreign key
    foreign_keys: dict[str, str]


@functools.cache
def model_info(model: type) -> ModelInfo:
    mapper = inspect(model)
    attrs = list(mapper.column_attrs)
    return ModelInfo(
        columns=tuple(a.key for a in attrs),
        column_set=frozenset(a.key for a in attrs),
        db_names={a.key: a.columns[0].name for a in attrs},
        text_columns=tuple(a.key for a in attrs if _holds_text(a.columns[0].type)),
        init_names=frozenset(a.key for a in attrs) | frozenset(mapper.relationships.keys()),
        relationships=frozenset(mapper.relationships.keys()),
        foreign_keys={
            rel.key: mapper.get_property_by_column(next(iter(rel.local_columns))).key
            for rel in mapper.relationships
            if rel.direction.name == "MANYTOONE" and len(rel.local_columns) == 1
        },
    )


def _holds_text(sql_type: Any) -> bool:
    # sqlmodel's AutoString is a TypeDecorator over String
    impl = getattr(sql_type, "impl_instance", sql_type)
    return isinstance(sql_type, String | Text) or isinstance(impl, String | Text)


def has_column(model: type, name: str) -> bool:
    return name in model_info(model).db_names


def column_values(record: Any) -> dict[str, Any]:
    """A record's column attributes as a dict (by attribute name)."""
    return {key: getattr(record, key) for key in model_info(type(record)).columns}
