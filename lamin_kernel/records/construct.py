"""Checks on constructor arguments, with errors that name the field and suggest the right one."""

from __future__ import annotations

import copy
import difflib
import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy import inspect

from ..db.uid import base62, encode_counter
from ..errors import FieldValidationError
from .orm_internals import fill_new_record
from .registry import model_info

ALIASES = {"version": "version_tag"}


def init_field_names(model: type) -> frozenset[str]:
    return model_info(model).init_names


# constructor arguments that name a record of a bookkeeping column: branch=main -> branch_id
OBJECT_ARGUMENTS = {"branch": "branch_id", "space": "space_id", "created_on": "created_on_id"}


def check_positional(model: type, args: tuple) -> None:
    """Registries take keyword arguments only (LaminDB's wording)."""
    if args:
        raise FieldValidationError(
            "Use keyword arguments instead of positional arguments, e.g.: "
            f"{model.__name__}(name='...')."
        )


def check_keyword_arguments(
    model: type, args: tuple, kwargs: dict[str, Any], public: tuple[str, ...]
) -> None:
    """The constructors of Record, ULabel, Project, Reference: no positional argument, and
    only their documented keyword arguments (and the *_id columns behind them)."""
    if args:  # LaminDB raises a plain ValueError here; code matches on it
        raise ValueError("Only one non-keyword arg allowed")
    hidden = {f"{name}_id" for name in public} | {"created_on", "created_on_id"}
    unknown = [name for name in kwargs if name not in public and name not in hidden]
    if unknown:
        close = difflib.get_close_matches(unknown[0], public, n=1, cutoff=0.5)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise FieldValidationError(
            f"Only {', '.join(public)} are valid keyword arguments. "
            f"{model.__name__} has no field '{unknown[0]}'.{hint}"
        )


def _object_arguments(model: type, kwargs: dict[str, Any]) -> None:
    """branch=, space=, created_on= records become their ids (the relations behind them are
    read-only; the bulk insert reads the id columns)."""
    info = model_info(model)
    for name, column in OBJECT_ARGUMENTS.items():
        if name not in kwargs or column not in info.column_set:
            continue
        value = kwargs.pop(name)
        if value is None:
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            kwargs[column] = value
            continue
        record_id = getattr(value, "id", None)
        if record_id is None:
            raise FieldValidationError(
                f"{model.__name__}({name}=...) takes a saved {name.replace('_', ' ')} record"
            )
        kwargs[column] = record_id


def check_init_kwargs(model: type, kwargs: dict[str, Any]) -> None:
    """Rename aliases in place and refuse unknown fields."""
    _object_arguments(model, kwargs)
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
    missing = [
        name
        for name, default, factory in field_defaults(model)
        if default is _REQUIRED and factory is None and kwargs.get(name) is None
    ]
    if missing:
        raise FieldValidationError(f"{missing} are required.")


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


def new_uid(model: type) -> str:
    """A random uid of the registry's length; a versioned registry's is the first version of
    a new family (a new version takes its family's stem when it is saved)."""
    length = model.__lk_uid_length__
    return base62(length - 4) + encode_counter(0) if model.__lk_versioned__ else base62(length)


def construct_record(record: Any, kwargs: dict[str, Any]) -> None:
    """Fill a new record's fields, as SQLModel does for tables, without its per-field events.

    A transient record's column values are written to its __dict__: SQLAlchemy inserts what is
    there, and no history is needed before the first flush. Relationships still go through
    setattr, so links and foreign keys are synchronised as usual.
    """
    model = type(record)
    values: dict[str, Any] = {}
    for name, default, factory in field_defaults(model):
        if name in kwargs:
            values[name] = kwargs[name]
        elif factory is not None:
            values[name] = factory()
        elif default is not _REQUIRED:
            values[name] = default if isinstance(default, _IMMUTABLE) else copy.deepcopy(default)
    if values.get("uid") is None and "uid" in model_info(model).column_set:
        values["uid"] = new_uid(model)  # as LaminDB: a record has its uid before it is saved
    fill_new_record(record, values, set(kwargs) & set(model.model_fields))
    for key in model_info(model).relationships & kwargs.keys():
        setattr(record, key, kwargs[key])
