"""Typed records (ULabel, Record): a record's `type` must be a type of its own registry."""

from __future__ import annotations

from typing import Any

from .. import log
from ..errors import InvalidArgument
from ..setup.options import options
from ..setup.session import read_session, visible_branch_ids
from .lookup import record_with
from .type_tree import not_a_type_message


def check_type(model: type, kwargs: dict[str, Any]) -> None:
    """Refuse `type=` a record that is not `is_type=True`, before anything is built or written.

    A record of another registry is left to the constructor's relation check.
    """
    type_record = kwargs.get("type")
    if not isinstance(type_record, model) or getattr(type_record, "is_type", False):
        return
    raise InvalidArgument(not_a_type_message(model, type_record, kwargs.get("name")))


def existing_with_same_name(model: type, kwargs: dict[str, Any]) -> Any | None:
    """The saved record of this registry with the same name and type, as LaminDB returns it.

    `ln.ULabel(name="DMSO")` when a DMSO label exists gives that label back (and says so),
    so re-running a cell does not make duplicates.
    """
    name = kwargs.get("name")
    if (
        not options.creation.search_names
        or not isinstance(name, str)
        or "\x00" in name
        or set(kwargs)
        - {
            "name",
            "type",
            "type_id",
            "is_type",
            "description",
        }
    ):
        return None
    type_record = kwargs.get("type")
    type_id = kwargs.get("type_id", getattr(type_record, "id", None))
    with read_session() as session:
        # ids only, through Core: constructing 100,000 new labels costs one cheap query each
        existing = record_with(
            session,
            model,
            visible_branch_ids(),
            min,
            name=name,
            type_id=type_id,
            is_type=bool(kwargs.get("is_type", False)),
        )
    if existing is not None:
        log.info(f"returning existing {model.__name__} record with same name: '{name}'")
        description = kwargs.get("description")
        if description is not None and existing.description != description:
            existing.description = description  # the new words win, saved on .save()
    return existing
