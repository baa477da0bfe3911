"""Checks on constructor arguments, with errors that name the field and suggest the right one."""

from __future__ import annotations

import difflib
from typing import Any

from sqlalchemy import inspect

from ..errors import FieldValidationError

ALIASES = {"version": "version_tag"}


def init_field_names(model: type) -> set[str]:
    mapper = inspect(model)
    return {a.key for a in mapper.column_attrs} | set(mapper.relationships.keys())


def check_init_kwargs(model: type, kwargs: dict[str, Any]) -> None:
    """Rename aliases in place and refuse unknown fields."""
    for alias, field in ALIASES.items():
        if alias in kwargs and field in init_field_names(model):
            kwargs[field] = kwargs.pop(alias)
    valid = init_field_names(model)
    for name in kwargs:
        if name not in valid:
            close = difflib.get_close_matches(name, sorted(valid), n=1, cutoff=0.5)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise FieldValidationError(
                f"{model.__name__} has no field '{name}'.{hint} "
                f"Valid fields: {', '.join(sorted(v for v in valid if not v.endswith('_id')))}"
            )
    for name, value in kwargs.items():
        if name in inspect(model).relationships and value is not None:
            _check_relation_value(model, name, value)


def _check_relation_value(model: type, name: str, value: Any) -> None:
    rel = inspect(model).relationships[name]
    target = rel.mapper.class_
    items = value if rel.uselist else [value]
    if rel.uselist and not isinstance(value, list | tuple):
        raise FieldValidationError(f"{model.__name__}.{name} takes a list of {target.__name__}")
    for item in items:
        if not isinstance(item, target):
            raise FieldValidationError(
                f"{model.__name__}.{name} takes {target.__name__} records, got {type(item).__name__}"
            )
