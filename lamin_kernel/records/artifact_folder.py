"""`Artifact.from_dir(path, key=None, run=None)`: one artifact per file below a folder.

The artifacts are not saved: they come back as an SQLRecordList for `ln.save(...)` (or its
`.save()`), as in LaminDB. Keys keep the folder's layout: `<key>/<path below the folder>`,
where `key` defaults to the folder's path inside the registered storage that holds it (the
files are then registered in place) or, outside every registered storage, to the folder's
name (the files are copied into the default storage when saved). Two files with the same
content in the folder make one artifact (the first in sorted order), as LaminDB drops
duplicate hashes; a file whose content is already saved gives back that saved artifact.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from .. import log
from ..errors import InvalidArgument
from ..storage import transfer
from ..storage.paths import filesystem, is_remote
from ..storage.walk import folder_files
from .artifact_create import containing_storage
from .record_list import SQLRecordList


def from_dir(model: type, path: Any, key: str | None, run: Any) -> SQLRecordList:
    """The artifacts for the files below `path` (unsaved, in sorted path order)."""
    location = _folder_location(path)
    files = _files_below(location)
    prefix = key.strip("/") if key is not None else _default_key(location)
    artifacts: dict[int, Any] = {}
    hashes: dict[str | None, Any] = {}
    dropped: list[str] = []
    for relative in files:
        artifact_key = f"{prefix}/{relative}" if prefix else relative
        source = f"{location}/{relative}"
        artifact = model(source, key=artifact_key, run=run)
        if id(artifact) in artifacts:
            continue  # the same saved artifact, met again
        if artifact.hash is not None and artifact.hash in hashes:
            dropped.append(artifact_key)
            continue
        hashes[artifact.hash] = artifact
        artifacts[id(artifact)] = artifact
    if dropped:
        log.warning(
            "there are multiple artifact uids with the same hashes, dropping "
            f"{len(dropped)} duplicates out of {len(files)} artifacts: {', '.join(dropped)}"
        )
    return SQLRecordList(list(artifacts.values()))


def _folder_location(path: Any) -> str:
    """The folder as an absolute local path or a remote URL; anything else is refused."""
    if not isinstance(path, str | Path) and not hasattr(path, "fs"):
        raise InvalidArgument(
            f"Artifact.from_dir() takes the path of a folder, not a {type(path).__name__}"
        )
    text = str(path)
    location = text.rstrip("/") if is_remote(text) else str(Path(text).expanduser().resolve())
    if not transfer.exists(location):
        raise InvalidArgument(f"path does not exist: {path}")
    if not is_remote(location) and not Path(location).is_dir():
        raise InvalidArgument(
            f"Artifact.from_dir() needs a folder, {path} is a file: use Artifact(path)"
        )
    return location


def _files_below(location: str) -> list[str]:
    """The files below the folder as sorted POSIX paths relative to it."""
    if not is_remote(location):
        return sorted(p.relative_to(location).as_posix() for p in folder_files(location))
    fs, root = filesystem(location)
    found = fs.find(root)
    base = root.rstrip("/") + "/"
    return sorted(f[len(base) :] for f in found if f.startswith(base))


def _default_key(location: str) -> str:
    """The folder's path inside the registered storage that holds it, else its name."""
    found = containing_storage(location)
    if found is not None:
        return found[2]
    name = PurePosixPath(location.rstrip("/")).name
    log.warning(
        f"folder is outside existing storage location, will copy files from {location} "
        f"to the default storage under {name}/"
    )
    return name
