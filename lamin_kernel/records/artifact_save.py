"""Saving a new artifact: bytes into place first, then the row, and neither on failure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError as SAIntegrityError

from .. import log
from ..db import bootstrap
from ..errors import IntegrityError
from ..setup.session import connection, current_user_id, write_transaction
from ..setup.storage_roots import storage_type
from ..storage import transfer
from ..storage.paths import is_remote, join
from ..storage.progress import progress_bar
from . import versions
from .pending import clear_pending
from .persist import check_text_values, fill_defaults
from .registry import registry_class


@dataclass
class ArtifactPending:
    """What an unsaved artifact still has to do on save()."""

    storage_id: int | None
    staged: transfer.Staged | None = None
    local_source: str | None = None
    new_storage_root: str | None = None
    revises: Any | None = None
    in_place: bool = False
    temp_files: list[str] = field(default_factory=list)

    def save(self, record: Any) -> None:
        save_new_artifact(record, self)


def managed_key(record: Any) -> str:
    """Where the bytes of an artifact with a virtual key live inside its storage root."""
    return f".lamindb/{record.uid}{record.suffix or ''}"


def _place_bytes(record: Any, pending: ArtifactPending, root: str) -> str | None:
    """Move or upload the bytes to their final place; return that place."""
    if pending.in_place:
        return None
    final = join(root, managed_key(record))
    if pending.staged is not None:
        pending.staged.commit(final)
    elif pending.local_source is not None:
        with progress_bar(record.size or 0, f"uploading {record.key or record.uid}") as advance:
            transfer.upload(pending.local_source, final, advance)
    return final


def _storage_root(session: Any, storage: type, storage_id: int) -> str:
    """The root of a storage; the default one is known without a query."""
    extras = connection().extras
    if storage_id == extras["storage_id"]:
        return str(extras["storage_root"])
    return str(session.get(storage, storage_id).root)


def save_new_artifact(record: Any, pending: ArtifactPending) -> None:
    """Insert the row of a new artifact in the same transaction that places its bytes."""
    storage = registry_class("Storage")
    check_text_values(record)
    fill_defaults(record)
    placed: str | None = None
    try:
        with write_transaction() as session:
            if pending.storage_id is None:
                pending.storage_id = bootstrap.ensure_storage(
                    session.connection(),
                    pending.new_storage_root,
                    storage_type(pending.new_storage_root),
                    None,
                    current_user_id(),
                )
            record.storage_id = pending.storage_id
            record.uid = None
            previous = versions.assign_uid(session, record, pending.revises)
            root = _storage_root(session, storage, record.storage_id)
            if previous is not None:
                log.info(
                    f"creating new artifact version for key '{record.key}' in storage '{root}'"
                )
            placed = _place_bytes(record, pending, root)
            session.add(record)
            session.flush()
            if previous is not None:
                versions.demote_others(session, record)
    except BaseException as exc:
        if placed is not None:
            transfer.remove(placed)
        if isinstance(exc, SAIntegrityError):
            raise IntegrityError(f"could not save artifact {record.key or ''}: {exc.orig}") from exc
        raise
    clear_pending(record)
    for temp in pending.temp_files:
        transfer.remove(temp)
    if is_remote(root) and pending.local_source is not None:
        log.debug(f"uploaded to {placed}")
