"""Bytes of artifacts, read only from inside their registered storage root.

A stored location that leaves its root (through '..' or a symlink) is refused before
anything is read; remote storage is read through fsspec.
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .. import models
from ..errors import DoesNotExist, InvalidArgument
from ..records.artifact_access import stored_location
from ..records.shared_store_reads import ready_to_read, verify_during_replacement
from ..storage.paths import is_remote
from .errors import OutsideStorage
from .records import get_record

CHUNK_SIZE = 1 << 20
REPORT_TYPE = "text/html; charset=utf-8"


@dataclass
class StoredFile:
    """An open artifact file and what an HTTP answer needs to know about it."""

    handle: BinaryIO
    size: int | None
    content_type: str

    def close(self) -> None:
        self.handle.close()


def _refuse(artifact: Any) -> OutsideStorage:
    return OutsideStorage(f"the stored location of artifact {artifact.uid} is outside its storage")


def _remote(artifact: Any, root: str, location: str) -> tuple[Any, str]:
    import fsspec

    prefix = root.rstrip("/") + "/"
    relative = location[len(prefix) :] if location.startswith(prefix) else None
    if relative is None or any(p in ("", ".", "..") for p in relative.split("/")):
        raise _refuse(artifact)
    return fsspec.core.url_to_fs(location)


def _local(artifact: Any, root: str, location: str) -> Path:
    """The real path of local bytes: '..' is refused before the disk is asked, symlinks after."""
    lexical = Path(os.path.normpath(location))
    if not lexical.is_relative_to(Path(os.path.normpath(root))):
        raise _refuse(artifact)
    try:
        real = lexical.resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        raise DoesNotExist(
            f"the bytes of artifact {artifact.uid} are missing from storage"
        ) from None
    if not real.is_relative_to(Path(root).resolve()):  # a symlink that points out of storage
        raise _refuse(artifact)
    return real


def open_stored(artifact: Any, content_type: str | None = None) -> StoredFile:
    """Open an artifact's single file for reading, after the storage checks."""
    root = artifact.storage.root
    location = stored_location(artifact)
    replacements = ready_to_read(artifact, location)  # a shared store: this version's bytes
    kind = content_type or mimetypes.guess_type(f"x{artifact.suffix or ''}")[0]
    kind = kind or "application/octet-stream"
    if is_remote(root):
        if replacements:  # not hashed on the way out: refused until settled
            raise DoesNotExist(
                f"artifact {artifact.uid}: a new version is replacing its store; read it "
                "again once that is saved"
            )
        fs, inner = _remote(artifact, root, location)
        try:
            if fs.isdir(inner):
                raise InvalidArgument(f"artifact {artifact.uid} is a folder; it has no single file")
            handle = fs.open(inner, "rb")
        except FileNotFoundError:
            raise DoesNotExist(f"the bytes of artifact {artifact.uid} are missing") from None
        return StoredFile(handle, getattr(handle, "size", None), kind)
    path = _local(artifact, root, location)
    if not path.is_file():
        raise InvalidArgument(f"artifact {artifact.uid} is a folder; it has no single file")
    if replacements:
        verify_during_replacement(artifact, str(path), replacements)
    handle = path.open("rb")
    return StoredFile(handle, os.fstat(handle.fileno()).st_size, kind)


def artifact_file(artifact_uid: str) -> StoredFile:
    """GET artifacts/<uid>/file."""
    return open_stored(get_record(models.Artifact, artifact_uid))


def run_report(run_uid: str) -> StoredFile:
    """GET runs/<uid>/report: the bytes of the run's report artifact, as HTML."""
    run = get_record(models.Run, run_uid)
    report = run.report if run.report_id is not None else None
    if report is None:
        raise DoesNotExist(f"run {run_uid} has no report; ln.finish() makes one")
    return open_stored(report, REPORT_TYPE)


def read_chunk(stored: StoredFile) -> bytes:
    return stored.handle.read(CHUNK_SIZE)
