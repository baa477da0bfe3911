"""A type's `settings.single_space`: the records of a type live in one space.

Set on a type (`is_type=True`) and saved with it, in its `_aux` (LaminDB's encoding: `ss` is
`1` for "the type's own space" or a space's uid). Then a record of that type saved without a
space of its own goes to that space, and one saved with another space is refused
(`InvalidArgument`); records saved before the setting are left as they are. False removes
the setting.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from .registered import registered
from .type_tree import type_of

SINGLE_SPACE_KEY = "ss"
TYPE_OWN_SPACE = 1
DEFAULT_SPACE_ID = 1  # "all": a record's space when none was given


class SQLRecordSettings:
    """Settings of a type (`ln.ULabel.get(name=..., is_type=True).settings`)."""

    def __init__(self, record: Any) -> None:
        self._record = record

    def _check_type(self) -> None:
        if not getattr(self._record, "is_type", False):
            raise InvalidArgument(
                f"settings.single_space is a setting of types: {type(self._record).__name__} "
                f"'{getattr(self._record, 'name', None)}' has is_type=False"
            )

    @property
    def single_space(self) -> bool | Any:
        """False; True (records go to the type's space); or the Space records go to."""
        self._check_type()
        aux = getattr(self._record, "aux", None)
        value = aux.get(SINGLE_SPACE_KEY) if isinstance(aux, dict) else None
        if value is None:
            return False
        if value == TYPE_OWN_SPACE:
            return True
        return registered.Space.get(uid=value)

    @single_space.setter
    def single_space(self, value: bool | Any) -> None:
        self._check_type()
        current = getattr(self._record, "aux", None)
        aux = dict(current) if isinstance(current, dict) else {}
        if value is True:
            aux[SINGLE_SPACE_KEY] = TYPE_OWN_SPACE
        elif value is False or value is None:
            aux.pop(SINGLE_SPACE_KEY, None)
        elif isinstance(value, registered.Space) and value.id is not None:
            aux[SINGLE_SPACE_KEY] = value.uid
        else:
            raise InvalidArgument(f"single_space is True, False or a saved Space, got {value!r}")
        self._record.aux = aux or None

    def __repr__(self) -> str:
        return f"SQLRecordSettings(single_space={self.single_space!r})"


def enforced_space_id(type_record: Any) -> int | None:
    """The space a type's records must be in, or None."""
    aux = getattr(type_record, "aux", None)
    value = aux.get(SINGLE_SPACE_KEY) if isinstance(aux, dict) else None
    if value is None:
        return None
    if value == TYPE_OWN_SPACE:
        return int(type_record.space_id)
    space = registered.Space.filter(uid=value).first()
    if space is None:
        raise InvalidArgument(f"the single space {value!r} of this type does not exist")
    return int(space.id)


def apply_single_space(record: Any, is_new: bool) -> None:
    """Before a save: put a new record of a single-space type in its space; refuse another."""
    type_record = type_of(record)
    enforced = None if type_record is None else enforced_space_id(type_record)
    if enforced is None:
        return
    space_id = getattr(record, "space_id", None)
    if is_new and space_id in (None, DEFAULT_SPACE_ID):
        record.space_id = enforced
        return
    if space_id != enforced:
        raise InvalidArgument(
            f"{type(record).__name__} '{getattr(record, 'name', None)}' must be in space "
            f"{enforced} (its type '{type_record.name}' has settings.single_space), "
            f"not in space {space_id}"
        )
