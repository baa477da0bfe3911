"""Orphans: bytes in a storage root's `.lamindb/` folder that no artifact row accounts for.

Only roots this instance owns are looked at (their marker names this instance): a root that
another instance owns, or that nothing marks, is left alone. A writer places an artifact's
bytes in its write transaction just before the row commits, so a file without a row is
judged only once it is older than a grace period; younger ones are reported as recent.
`lamin check --fix` removes an orphan only after asking again at the moment of removal, in a
transaction that holds the placement lock alone (writers hold it shared while they place
bytes and insert rows; on SQLite the write lock is that lock): no row has the file, and it
is still older than the grace period.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import log
from ..db.locks import hold_placement
from ..db.prefix_indexes import starts_with
from ..setup.session import connection, read_session, write_transaction
from ..setup.storage_roots import owner_of
from ..storage import transfer
from ..storage.paths import filesystem, is_remote, join
from ..storage.transfer import STAGING_DIR, staging_owner_alive
from .artifact_save import managed_key
from .registered import registered

DEFAULT_GRACE_SECONDS = 3600.0  # `lamin check --grace`: files younger than this are not judged
REMOVALS_PER_TRANSACTION = 200  # bounds how long `check --fix` keeps writers waiting


@dataclass(frozen=True)
class StoredFile:
    """A file (or folder) found in `.lamindb/` of an owned root, and its age in seconds."""

    location: str
    age: float

    @property
    def name(self) -> str:
        return self.location.rstrip("/").rsplit("/", 1)[-1]

    @property
    def staged(self) -> bool:
        return f"/{STAGING_DIR}/" in self.location


def owned_roots() -> list[str]:
    """The storage roots this instance owns: registered as managed here, and marked so."""
    storage = registered.Storage
    uid = connection().settings.uid
    with read_session() as session:
        roots = set(session.scalars(select(storage.root).where(storage.instance_uid == uid)))
    roots.add(connection().settings.storage_root)
    owned = []
    for root in sorted(roots):
        owner = owner_of(root)
        if owner == uid:
            owned.append(root)
        else:
            marked = f"is marked as owned by instance {owner}" if owner else "has no owner mark"
            log.warning(f"storage {root} {marked}: its files are not judged as orphans")
    return owned


def stored_files(root: str) -> list[StoredFile]:
    """Everything in `<root>/.lamindb/` that could be an artifact's bytes, with its age;
    staging files only where the process that staged them is gone."""
    if not is_remote(root):
        return _local_files(Path(root) / ".lamindb")
    fs, inner = filesystem(join(root, ".lamindb"))
    if not fs.exists(inner):
        return []
    found = []
    for entry in fs.ls(inner, detail=True):
        name = entry["name"].rstrip("/").rsplit("/", 1)[-1]
        if name.startswith("lamin"):  # markers
            continue
        if name == "_staging":
            for staged in fs.ls(entry["name"], detail=True):
                staged_name = staged["name"].rstrip("/").rsplit("/", 1)[-1]
                if not staging_owner_alive(staged_name):
                    location = join(root, STAGING_DIR, staged_name)
                    found.append(StoredFile(location, _remote_age(fs, staged)))
            continue
        found.append(StoredFile(join(root, ".lamindb", name), _remote_age(fs, entry)))
    return found


def _local_files(folder: Path) -> list[StoredFile]:
    if not folder.is_dir():
        return []
    found = []
    for entry in os.scandir(folder):
        if entry.name.startswith("lamin"):  # the SQLite files and the markers
            continue
        if entry.name == "_staging" and entry.is_dir(follow_symlinks=False):
            found += [
                StoredFile(staged.path, _local_age(staged.path))
                for staged in os.scandir(entry.path)
                if not staging_owner_alive(staged.name)
            ]
            continue
        found.append(StoredFile(str(Path(entry.path)), _local_age(entry.path)))
    return found


def _local_age(path: str) -> float:
    """Seconds since the file was written or got its name (a placement links or renames it,
    which sets its ctime); 0 when it vanished meanwhile."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return 0.0
    return time.time() - max(info.st_mtime, info.st_ctime)


def _remote_age(fs: Any, entry: dict[str, Any]) -> float:
    """Seconds since an object (or the newest object under a prefix) was written."""
    stamps = [entry.get("LastModified")]
    if entry.get("type") == "directory":
        stamps = [e.get("LastModified") for e in fs.find(entry["name"], detail=True).values()]
    known = [s for s in stamps if isinstance(s, datetime)]
    if not known:
        return 0.0  # cannot tell: young
    return time.time() - max(s.timestamp() for s in known)


def age_of(location: str) -> float:
    """The age of one stored file now (0 when it cannot be told)."""
    if not is_remote(location):
        return _local_age(location)
    fs, inner = filesystem(location)
    try:
        return _remote_age(fs, fs.info(inner))
    except FileNotFoundError:
        return 0.0


def confirm_orphans(
    candidates: list[StoredFile], grace_seconds: float, remove: bool
) -> list[StoredFile]:
    """The candidates that are orphans still, asked again under the placement lock (so no
    writer is between placing bytes and committing their row); `remove` removes them there."""
    confirmed: list[StoredFile] = []
    for start in range(0, len(candidates), REMOVALS_PER_TRANSACTION):
        with write_transaction(to_branch=False) as session:
            hold_placement(session.connection())
            for candidate in candidates[start : start + REMOVALS_PER_TRANSACTION]:
                if _still_orphan(session, candidate, grace_seconds):
                    if remove:
                        transfer.remove(candidate.location)
                    confirmed.append(candidate)
    return confirmed


def _still_orphan(session: Any, orphan: StoredFile, grace_seconds: float) -> bool:
    if orphan.staged:
        if staging_owner_alive(orphan.name):
            return False
    elif orphan.location in _locations_of_rows_like(session, orphan.name):
        return False
    return transfer.exists(orphan.location) and age_of(orphan.location) >= grace_seconds


def _locations_of_rows_like(session: Any, name: str) -> set[str]:
    """Where the rows whose uid starts like this file name keep their bytes (managed keys
    are `<uid><suffix>`, or `<uid stem><suffix>` for versions sharing one store)."""
    artifact = registered.Artifact
    storage = registered.Storage
    stem = name[:16]
    stmt = (
        select(artifact.uid, artifact.suffix, artifact.overwrite_versions, storage.root)
        .join(storage, artifact.storage_id == storage.id)
        .where(starts_with(artifact.uid, stem), artifact.key_is_virtual.is_(True))
    )
    return {join(row.root, managed_key(row)) for row in session.execute(stmt)}
