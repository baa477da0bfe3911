"""Saving a changed artifact: a new storage, space, key or suffix moves its bytes.

As in LaminDB: the bytes move only between storage locations this instance manages (a new
space with storage of its own moves them to its storage of the same type; a space without
any changes the row only); a virtual key changes the row only,
a real key (`key_is_virtual=False`) renames the stored file; a new suffix renames it too.
The bytes are copied to their new place first, the row is updated, then the old bytes go;
if the row cannot be written, the copy is removed and nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect

from .. import log
from ..errors import InvalidArgument
from ..setup.session import connection
from ..storage import transfer
from ..storage.keys import check_key, suffix_of
from ..storage.paths import join
from .registered import registered


@dataclass
class Move:
    """Bytes to move before the row is saved: from where to where."""

    source: str
    target: str


def _old(record: Any, name: str, relation: str | None = None) -> tuple[bool, Any]:
    """(changed, the value it had when loaded) of a column; a relation set instead of its
    id column (`artifact.storage = other`) counts, and sets the column."""
    attrs = inspect(record).attrs
    if relation is not None and relation in attrs:
        added = attrs[relation].history.added
        if added and added[0] is not None and added[0].id != record.__dict__.get(name):
            old_id = record.__dict__.get(name)
            setattr(record, name, added[0].id)
            return True, old_id
    history = attrs[name].history
    if not history.deleted or history.deleted[0] == getattr(record, name):
        return False, None
    return True, history.deleted[0]


def location_of(record: Any, storage_root: str, key: str | None, suffix: str | None) -> str:
    """Where the bytes of `record` live for this storage, key and suffix."""
    if record.key_is_virtual:
        uid = record.uid[:16] if record.overwrite_versions else record.uid
        return join(storage_root, f".lamindb/{uid}{suffix or ''}")
    return join(storage_root, key or "")


def planned_move(record: Any) -> Move | None:
    """Check the changes of a saved artifact; the move of its bytes they need, if any."""
    storage_changed, old_storage_id = _old(record, "storage_id", "storage")
    space_changed, _ = _old(record, "space_id", "space")
    key_changed, old_key = _old(record, "key")
    suffix_changed, old_suffix = _old(record, "suffix")
    if not (storage_changed or space_changed or key_changed or suffix_changed):
        return None
    storage = registered.Storage
    current = connection().settings.uid
    old_storage = storage.get(old_storage_id) if storage_changed else record.storage
    if space_changed and not storage_changed:
        _storage_of_new_space(record, old_storage, current)
    new_storage = storage.get(record.storage_id)
    if storage_changed:
        _check_storage_change(record, old_storage, new_storage, current)
    if key_changed:
        _check_key_change(record, old_key, old_storage, current)
    if suffix_changed and old_storage.instance_uid != current:
        raise InvalidArgument(
            "Cannot update the suffix of an artifact in a storage location that is not "
            "managed by the current instance."
        )
    source = location_of(
        record,
        old_storage.root,
        old_key if key_changed else record.key,
        old_suffix if suffix_changed else record.suffix,
    )
    target = location_of(record, new_storage.root, record.key, record.suffix)
    return None if source == target else Move(source, target)


def _check_storage_change(record: Any, old: Any, new: Any, current: str) -> None:
    if new.space_id != record.space_id:
        raise ValueError(
            "Cannot change the storage of an artifact to a storage location that is not in "
            "the same space."
        )
    if old.instance_uid != current:
        raise ValueError(
            "Cannot change the storage of an artifact in a storage location that is not "
            "managed by the current instance."
        )
    if new.instance_uid != current:
        raise ValueError(
            "Cannot change the storage of an artifact to a storage location that is not "
            "managed by the current instance."
        )


def _storage_of_new_space(record: Any, old_storage: Any, current: str) -> None:
    """A new space: the artifact moves to that space's storage of the same type."""
    if old_storage.instance_uid is None:
        return  # bytes nobody manages: the space changes the row only
    if old_storage.instance_uid != current:
        raise ValueError(
            "Cannot change the space of an artifact in a storage location that is not managed "
            "by the current instance."
        )
    candidates = (
        registered.Storage.filter(
            space_id=record.space_id, instance_uid=current, type=old_storage.type
        )
        .order_by("id")
        .to_list()
    )
    if not candidates:
        # spaces here group records; one without storage of its own leaves the bytes alone
        return
    if len(candidates) > 1:
        log.warning(
            f"more than one storage location of the space; choosing root={candidates[0].root}"
        )
    record.storage_id = candidates[0].id


def _check_key_change(record: Any, old_key: Any, old_storage: Any, current: str) -> None:
    new_key = record.key
    if new_key is None:
        raise InvalidArgument("Cannot update an artifact key to None.")
    new_key = record.key = check_key(new_key)
    if suffix_of(new_key) != (record.suffix or ""):
        raise InvalidArgument(
            f"The suffix '{suffix_of(new_key)}' of the provided key is incorrect, it should be "
            f"'{record.suffix}'."
        )
    if record.key_is_virtual:
        return
    if old_storage.instance_uid != current:
        raise InvalidArgument(
            "Cannot update a non-virtual key of an artifact in a storage location that is not "
            "managed by the current instance."
        )
    if old_key is None:
        raise InvalidArgument("Cannot update a non-virtual artifact key from None.")
    record.real_key = None  # the new key is the path


def save_with_moves(record: Any, save_row: Callable[[], None]) -> None:
    """Copy the bytes to their new place, save the row, then remove the old bytes."""
    move = planned_move(record)
    if move is None:
        save_row()
        return
    if transfer.exists(move.target):
        raise InvalidArgument(f"cannot move the artifact's bytes: {move.target} exists already")
    transfer.copy(move.source, move.target)
    try:
        save_row()
    except BaseException:
        transfer.remove(move.target)
        raise
    transfer.remove(move.source)
    session = inspect(record).session
    if session is not None:
        session.expire(record, ["storage"])  # read again: it may be another location now
    log.info(f"moved {move.source} to {move.target}")
