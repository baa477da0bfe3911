"""Work attached to an unsaved record (staged bytes, a storage to register), by identity."""

from __future__ import annotations

import weakref
from typing import Any

_pending: dict[int, Any] = {}


def set_pending(record: Any, value: Any) -> None:
    key = id(record)
    _pending[key] = value
    weakref.finalize(record, _pending.pop, key, None)


def get_pending(record: Any) -> Any | None:
    return _pending.get(id(record))


def clear_pending(record: Any) -> None:
    _pending.pop(id(record), None)


_prepared: dict[int, Any] = {}


def stash_prepared(record: Any, prepared: Any) -> None:
    """Hand what __new__ prepared (hash, staged bytes) over to __init__."""
    key = id(record)
    _prepared[key] = prepared
    weakref.finalize(record, _prepared.pop, key, None)


def take_prepared(record: Any) -> Any | None:
    return _prepared.pop(id(record), None)


_without_run: dict[int, bool] = {}


def mark_without_run(record: Any) -> None:
    """`run=False`: the record is saved without the tracked run (LaminDB's opt-out)."""
    key = id(record)
    _without_run[key] = True
    weakref.finalize(record, _without_run.pop, key, None)


def without_run(record: Any) -> bool:
    return _without_run.get(id(record), False)
