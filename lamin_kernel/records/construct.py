"""Checks on constructor arguments, with errors that name the field and suggest the right one."""

from __future__ import annotations

import copy
import difflib
import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy import inspect

from ..errors import FieldValidationError
from .registry import model_info

ALIASES = {"version": "version_tag"}


def init_field_names(model: type) -> frozenset[str]:
    return model_info(model).init_names


def check_init_kwargs(model: type, kwargs: dict[str, Any]) -> None:
    """Rename aliases in place and refuse unknown fields."""
    valid = init_field_names(model)
    for alias, field in ALIASES.items():
        if alias in kwargs and field in valid:
            kwargs[field] = kwargs.pop(alias)
    for name in kwargs:
        if name not in valid:
            close = difflib.get_close_matches(name, sorted(valid), n=1, cutoff=0.5)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise FieldValidationError(
                f"{model.__name__} has no field '{name}'.{hint} "
                f"Valid fields: {', '.join(sorted(v for v in valid if not v.endswith('_id')))}"
            )
    relationships = model_info(model).relationships
    for name, value in kwargs.items():
        if name in relationships and value is not None:
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


_REQUIRED = object()
_IMMUTABLE = (type(None), bool, int, float, str, bytes, tuple, frozenset)


@functools.cache
def field_defaults(model: type) -> tuple[tuple[str, Any, Callable[[], Any] | None], ...]:
    """(name, default, default factory) of every field; _REQUIRED when it has no default."""
    out = []
    for name, field in model.model_fields.items():
        if field.default_factory is not None:
            out.append((name, None, field.default_factory))
        elif field.is_required():
            out.append((name, _REQUIRED, None))
        else:
            out.append((name, field.default, None))
    return tuple(out)


def construct_record(record: Any, kwargs: dict[str, Any]) -> None:
    """Fill a new record's fields, as SQLModel does for tables, without its per-field events.

    A transient record's column values are written to its __dict__: SQLAlchemy inserts what is
    there, and no history is needed before the first flush. Relationships still go through
    setattr, so links and foreign keys are synchronised as usual.
    """
    model = type(record)
    current = record.__dict__
    for name, default, factory in field_defaults(model):
        if name in kwargs:
            current[name] = kwargs[name]
        elif factory is not None:
            current[name] = factory()
        elif default is not _REQUIRED:
            current[name] = default if isinstance(default, _IMMUTABLE) else copy.deepcopy(default)
    object.__setattr__(record, "__pydantic_fields_set__", set(kwargs) & set(model.model_fields))
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    for key in model_info(model).relationships & kwargs.keys():
        setattr(record, key, kwargs[key])
