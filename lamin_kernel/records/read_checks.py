"""Checks on what `load()` and `cache()` read from storage: the artifact's own bytes, whole.

- A stored path never leads out of its storage location: a symbolic link there (the file
  itself, a folder above it, or a link inside a stored folder) is refused with a
  `StorageError`, and nothing is read through it.
- The bytes are hashed and compared with the row when what is there does not look like what
  was saved: another size or number of files, or a modification later than the row's last
  write (`updated_at`, with MTIME_SLACK for clocks and timestamp granularity). With
  `ln.settings.verify_reads = True` every read is hashed. A mismatch is an `IntegrityError`
  naming the artifact. Otherwise reads cost one `stat` (a folder: one per file), no hashing.
- S3: a fresh download is hashed when its size or number of files differs from the row
  (an object's LastModified is its upload, later than the row's times, so it says nothing
  here); a cached copy is re-hashed on every read only when `verify_reads` is on.

Not seen without `verify_reads`: a local change that keeps the size and is dated within
MTIME_SLACK of the row's write (or whose modification time was set back by hand), and an S3
object replaced by one of the same size.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import IntegrityError, StorageError
from ..setup.options import options
from ..storage import hashing, transfer
from ..storage.walk import folder_entries

MTIME_SLACK = 2.0  # seconds
VERIFIABLE = {
    hashing.HASH_TYPE,
    hashing.FOLDER_HASH_TYPE,
    hashing.LEGACY_HASH_TYPE,
    hashing.LEGACY_FOLDER_HASH_TYPE,
}


@dataclass(frozen=True)
class Observed:
    """What is in storage now: total size, number of files (None: one file), newest mtime."""

    size: int
    n_files: int | None
    mtime: float


def describe(artifact: Any) -> str:
    key = artifact.key or getattr(artifact, "description", None)
    return f"artifact {artifact.uid}" + (f" ('{key}')" if key else "")


def check_inside_storage(artifact: Any, location: str) -> None:
    """Refuse a stored local path that is, or passes through, a link out of the storage."""
    root = os.path.realpath(artifact.storage.root)
    real = os.path.realpath(location)
    if real != root and not real.startswith(root.rstrip("/") + "/"):
        raise StorageError(
            f"{describe(artifact)}: {location} leads out of its storage location {root} "
            f"(a symbolic link to {real}); stored paths never leave storage, nothing was read"
        )


def observe_local(artifact: Any, location: str) -> Observed:
    """Size, files and newest modification of a stored file or folder (links refused)."""
    info = os.stat(location)  # a link inside storage was let through by check_inside_storage
    if not Path(location).is_dir():
        return Observed(info.st_size, None, info.st_mtime)
    size, count, newest = 0, 0, info.st_mtime
    for path, kind, entry in folder_entries(location):
        if kind == "link":
            raise StorageError(
                f"{describe(artifact)}: {path} is a symbolic link (to {os.readlink(path)}) "
                "inside a stored folder; links in storage are never followed, nothing was read"
            )
        size, count, newest = size + entry.st_size, count + 1, max(newest, entry.st_mtime)
    return Observed(size, count, newest)


def looks_changed(artifact: Any, seen: Observed, by_mtime: bool = True) -> bool:
    """Whether what is stored may differ from what the row describes."""
    if artifact.size is not None and seen.size != artifact.size:
        return True
    if artifact.n_files is not None and seen.n_files != artifact.n_files:
        return True
    if not by_mtime:
        return False
    written = _timestamp(getattr(artifact, "updated_at", None) or artifact.created_at)
    return written is not None and seen.mtime > written + MTIME_SLACK


def verify(artifact: Any, location: str) -> None:
    """Hash what is at `location` and compare it with the row; IntegrityError if they differ."""
    if artifact.hash_type not in VERIFIABLE or not artifact.hash:
        return  # e.g. an S3 object registered by its ETag: nothing to compare with here
    found, _, size, _ = transfer.hash_path(location, artifact.hash_type)
    if found != artifact.hash:
        raise IntegrityError(
            f"{describe(artifact)}: the bytes read from {location} do not match its hash "
            f"({artifact.hash_type} {found} read, {artifact.hash} saved; {size} bytes read, "
            f"{artifact.size} saved); the stored data was changed or damaged. "
            "Run `lamin check` to list damaged artifacts"
        )


def check_local_read(artifact: Any, location: str) -> None:
    """Before a local stored file or folder is read: inside storage, and its own bytes."""
    check_inside_storage(artifact, location)
    seen = observe_local(artifact, location)
    if options.verify_reads or looks_changed(artifact, seen):
        verify(artifact, location)


def check_download(artifact: Any, local: Path, fresh: bool) -> None:
    """After an S3 artifact was downloaded (`fresh`) or found in the cache: its own bytes.

    A copy that does not match is removed, so the next read downloads again."""
    if not (options.verify_reads or fresh):
        return
    if not options.verify_reads and not looks_changed(
        artifact, observe_local(artifact, str(local)), by_mtime=False
    ):
        return
    try:
        verify(artifact, str(local))
    except IntegrityError:
        transfer.remove(str(local))
        raise


def _timestamp(value: Any) -> float | None:
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # stored as UTC
    return value.timestamp()
