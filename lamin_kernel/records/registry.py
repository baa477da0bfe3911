"""Find registry classes by name without importing them (they live in a higher layer)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from sqlalchemy import inspect


def registry_class(name: str) -> Any:
    """The mapped class called `name` (e.g. 'Storage'), as SQLAlchemy's registry knows it."""
    from sqlmodel import SQLModel

    found = SQLModel._sa_registry._class_registry.get(name)
    if found is None:
        # The registries load lazily; a front end (CLI, server) may call us before they did.
        import_module("lamin_kernel.models")
        found = SQLModel._sa_registry._class_registry.get(name)
    if found is None or not hasattr(found, "__table__"):
        raise LookupError(f"no registry class named {name}")
    return found


def has_column(model: type, name: str) -> bool:
    return name in {a.key for a in inspect(model).column_attrs}


def column_values(record: Any) -> dict[str, Any]:
    """A record's column attributes as a dict (by attribute name)."""
    return {a.key: getattr(record, a.key) for a in inspect(type(record)).column_attrs}
