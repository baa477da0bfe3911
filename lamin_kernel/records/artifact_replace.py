"""`artifact.replace(data)`: new bytes for an artifact, without a new version, on save().

The new content is staged at once; `save()` puts it where the artifact's bytes live (a
new suffix renames the key and the stored file) and updates hash, size and suffix in the
same transaction. Folders replace folders and files replace files, as in LaminDB.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..db.locks import share_placement
from ..errors import InvalidArgument, StorageError
from ..setup.session import write_transaction
from ..storage import formats, transfer
from ..storage.paths import join
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


def save_replacement(record: Any, replacement: Replacement) -> None:
    """Put the staged bytes in place of the old ones and update the row."""
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
    for name, value in changes.items():
        setattr(record, name, value)
    final = stored_location_of_row(record)
    staged = replacement.staged
    try:
        with write_transaction() as session:
            share_placement(session.connection())
            if staged.staged is not None:
                staged.staged.commit(final)
            elif staged.local_source is not None:
                transfer.upload(staged.local_source, final)
            session.add(record)
    except OSError as exc:
        raise StorageError(f"could not replace the bytes of {record.uid}: {exc}") from exc
    if old_location != final:
        transfer.remove(old_location)
    for temp in staged.temp_files:
        transfer.remove(temp)
    clear_pending(record)


def stored_location_of_row(record: Any) -> str:
    """Where the row says the bytes live (not where staged replacement bytes wait)."""
    root = record.storage.root
    if record.key_is_virtual:
        return join(root, managed_key(record))
    return join(root, record.real_key or record.key)
