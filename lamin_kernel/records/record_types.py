"""Typed records (ULabel, Record): a record's `type` must be a type of its own registry."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument


def check_type(model: type, kwargs: dict[str, Any]) -> None:
    """Refuse `type=` a record that is not `is_type=True`, before anything is built or written.

    A record of another registry is left to the constructor's relation check.
    """
    type_record = kwargs.get("type")
    if not isinstance(type_record, model) or getattr(type_record, "is_type", False):
        return
    registry = model.__name__
    name = kwargs.get("name")
    label = f"{registry} '{name}'" if name is not None else f"a {registry}"
    type_name = getattr(type_record, "name", None) or getattr(type_record, "uid", None)
    raise InvalidArgument(
        f"{label} cannot have type {registry} '{type_name}': '{type_name}' is not a type "
        f"(is_type=False). Pass a {registry} made with is_type=True, e.g. "
        f"ln.{registry}(name='Experiment', is_type=True).save()"
    )
