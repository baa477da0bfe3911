"""The one-line repr of a record, in the tutorial's field order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect

HIDDEN_IN_REPR = {"id", "source_code", "updated_at", "params", "error"}
FIRST = ("uid", "version_tag", "is_latest")
LAST = ("branch_id", "created_on_id", "space_id")


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return "None"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def repr_fields(model: type) -> list[str]:
    """Public column attribute names in repr order."""
    attrs = [a for a in inspect(model).column_attrs if not a.columns[0].name.startswith("_")]
    names = [a.key for a in attrs if a.key not in HIDDEN_IN_REPR]
    first = [n for n in FIRST if n in names]
    fks = [n for n in names if n.endswith("_id") and n not in FIRST]
    fks = [n for n in LAST if n in fks] + [n for n in fks if n not in LAST]
    fks.sort(key=lambda n: n == "created_by_id")
    own = [
        n for n in names if n not in first and n not in fks and n not in ("created_at", "is_locked")
    ]
    tail = [n for n in ("created_at", "is_locked") if n in names]
    return first + own + fks + tail


def format_value(value: Any) -> str:
    if isinstance(value, datetime):
        return format_datetime(value)
    return repr(value)


def record_repr(record: Any) -> str:
    model = type(record)
    try:
        parts = [f"{name}={format_value(getattr(record, name))}" for name in repr_fields(model)]
    except Exception:  # a detached or half-built record still gets a repr
        return f"{model.__name__}(id={record.__dict__.get('id')!r})"
    return f"{model.__name__}({', '.join(parts)})"


def format_size(size: int | None) -> str:
    if size is None:
        return "None"
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
