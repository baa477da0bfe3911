"""`artifact.replace(data)`: new bytes for an artifact, without a new version, on save().

The new content is staged at once; `save()` puts it where the artifact's bytes live (a
new suffix renames the key and the stored file) and updates hash, size and suffix in the
same transaction. Folders replace folders and files replace files, as in LaminDB.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from ..db.locks import share_placement
from ..errors import InvalidArgument, StorageError
from ..setup.session import write_transaction
from ..storage import formats, replacing, transfer
from ..storage.paths import join
from . import shared_stores, versions
from .artifact_prepare import prepare
from .artifact_save import ArtifactPending, managed_key
from .pending import clear_pending, set_pending

REPLACED_FIELDS = ("hash", "hash_type", "size", "n_files", "suffix", "otype", "n_observations")


@dataclass
class Replacement:
    """Staged new content of a saved artifact, waiting for save()."""

    staged: ArtifactPending
    fields: dict[str, Any]

    def save(self, record: Any) -> None:
        save_replacement(record, self)


def replace(artifact: Any, data: Any, run: Any = None, format: str | None = None) -> None:
    """Stage `data` (a path or an object) as the artifact's new content."""
    if artifact.id is None:
        raise InvalidArgument("replace() changes a saved artifact; save it first")
    kwargs: dict[str, Any] = {"skip_hash_lookup": True, "storage": artifact.storage}
    if format is not None:
        kwargs["format"] = format
    if run is not None:
        kwargs["run"] = run
    prepared = prepare(type(artifact), data, kwargs)
    pending = prepared.pending
    assert pending is not None  # skip_hash_lookup: never an existing record
    if pending.in_place:
        raise InvalidArgument(
            "Can only replace with a local path not in any Storage. This data is in "
            f"{artifact.storage.root}."
        )
    refuse_older_shared_version(artifact, bool(artifact.is_latest))
    new_is_folder = prepared.fields.get("n_files") is not None
    if new_is_folder != (artifact.n_files is not None):
        was = "a folder" if artifact.n_files is not None else "a file"
        raise InvalidArgument(
            f"It is not allowed to replace {was} with {'a folder' if new_is_folder else 'a file'}."
        )
    fields = {k: prepared.fields.get(k) for k in REPLACED_FIELDS if k in prepared.fields}
    if formats.object_type(data) is None:
        fields.setdefault("otype", artifact.otype)
    set_pending(artifact, Replacement(pending, fields))


def refuse_older_shared_version(record: Any, is_latest: bool) -> None:
    """The store of a folder's versions holds the latest version's bytes: replacing an
    older version's content there would give the latest version other bytes."""
    if versions.shares_store(record) and not is_latest:
        raise InvalidArgument(
            f"cannot replace the content of artifact {record.uid}: it is an older version "
            f"of '{record.key}', whose versions share one store holding the latest version's "
            "bytes; save the new content as a new version instead "
            "(ln.Artifact(path, revises=artifact))"
        )


def save_replacement(record: Any, replacement: Replacement) -> None:
    """Put the staged bytes in place of the old ones and update the row; the old bytes are
    set aside (with an intent record, ``storage/replacing.py``) until the row committed."""
    old_location = stored_location_of_row(record)
    new_suffix = replacement.fields.get("suffix", record.suffix)
    changes = dict(replacement.fields)
    if new_suffix != record.suffix and record.key is not None:
        changes["key"] = str(PurePosixPath(record.key).with_suffix(new_suffix))
        if not record.key_is_virtual:
            changes["real_key"] = (
                changes["key"]
                if record.real_key is None
                else str(PurePosixPath(record.real_key).with_suffix(new_suffix))
            )
    # the record changes only inside the transaction, after the bytes are placed: a write
    # transaction first commits what the session holds, which would write the new hash early
    before = {name: getattr(record, name) for name in changes}
    final = _location_with(record, changes)
    staged = replacement.staged
    intent: replacing.Replacing | None = None
    try:
        with write_transaction() as session:
            share_placement(session.connection())
            latest = session.scalar(
                select(type(record).is_latest).where(type(record).id == record.id)
            )
            refuse_older_shared_version(record, bool(latest))
            if transfer.exists(final):
                intent = _set_aside(session, record, final)
            if staged.staged is not None:
                staged.staged.place(final)
            elif staged.local_source is not None:
                transfer.upload(staged.local_source, final)
            for name, value in changes.items():
                setattr(record, name, value)
            session.add(record)
    except BaseException as exc:
        _undo(record, before, staged, intent)
        if isinstance(exc, OSError):
            raise StorageError(f"could not replace the bytes of {record.uid}: {exc}") from exc
        raise
    if staged.staged is not None:
        staged.staged.release()
    if intent is not None:
        transfer.remove(intent.aside)
        intent.close()
    if old_location != final:
        transfer.remove(old_location)
    for temp in staged.temp_files:
        transfer.remove(temp)
    clear_pending(record)


def _location_with(record: Any, changes: dict[str, Any]) -> str:
    """Where the bytes of the record live once `changes` are made."""
    values = {
        name: changes.get(name, getattr(record, name))
        for name in ("uid", "suffix", "overwrite_versions", "key_is_virtual", "key", "real_key")
    }
    values["storage"] = record.storage
    return stored_location_of_row(SimpleNamespace(**values))


def _set_aside(session: Any, record: Any, final: str) -> replacing.Replacing:
    """The bytes at `final` go aside (recoverably) for the new content; an interrupted
    replacement of a shared store found there is settled first."""
    root = record.storage.root
    if versions.shares_store(record):
        shared_stores.settle_abandoned(session, root, final)
        owner = record.uid[: versions.stem_length(type(record))]
    else:
        owner = record.uid  # the store is this artifact's own
    intent = replacing.begin(root, final, owner, record.uid, record.hash)
    replacing.set_aside(intent)
    return intent


def _undo(record: Any, before: dict[str, Any], staged: ArtifactPending, intent: Any | None) -> None:
    """The row did not commit: the new bytes leave the final name, the old ones return,
    and the record has its old values again (a later flush must not write the new ones)."""
    try:
        if staged.staged is not None:
            staged.staged.unplace()
        if intent is not None:
            replacing.put_back(intent)
            intent.close()
    finally:
        if intent is not None:
            intent.close(completed=False)
        for name, value in before.items():
            setattr(record, name, value)


def stored_location_of_row(record: Any) -> str:
    """Where the row says the bytes live (not where staged replacement bytes wait)."""
    root = record.storage.root
    if record.key_is_virtual:
        return join(root, managed_key(record))
    return join(root, record.real_key or record.key)
