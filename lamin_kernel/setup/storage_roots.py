"""Storage roots: normalising them and the marker files that say which instance owns one.

An instance's default root holds ``.lamindb/lamin_kernel_instance.json`` (the instance's
settings); a root registered later with ``ln.Storage(root=...)`` holds
``.lamindb/lamin_kernel_storage.json`` (the storage's and the managing instance's uids).
A root owned by one instance is never taken over by another: ``lamin init`` refuses it
(``StorageAlreadyManaged``) and another instance registers it read-only.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import InvalidArgument, StorageAlreadyManaged

MARKER = ".lamindb/lamin_kernel_instance.json"
STORAGE_MARKER = ".lamindb/lamin_kernel_storage.json"


def is_remote(root: str) -> bool:
    return "://" in root


def storage_type(root: str) -> str:
    return root.split("://", 1)[0] if is_remote(root) else "local"


def normalize_root(storage: str) -> str:
    """An absolute local path or a `scheme://bucket[/prefix]` without a trailing slash."""
    storage = str(storage).strip()
    if not storage:
        raise InvalidArgument("storage must be a folder path or s3://bucket")
    if is_remote(storage):
        scheme = storage_type(storage)
        if scheme not in {"s3", "file"}:
            raise InvalidArgument(
                f"storage scheme '{scheme}://' is not supported; use a folder or s3://"
            )
        if scheme == "file":
            return str(Path(storage[7:]).expanduser().resolve())
        return storage.rstrip("/")
    return str(Path(storage).expanduser().resolve())


def _fs_and_path(root: str) -> tuple[Any, str]:
    import fsspec

    if is_remote(root):
        fs, path = fsspec.core.url_to_fs(root)
        return fs, path
    return fsspec.filesystem("file"), root


def marker_read(root: str) -> dict | None:
    """The instance settings recorded in a storage root, if it holds one."""
    if not is_remote(root):
        path = Path(root) / MARKER
        return json.loads(path.read_text()) if path.exists() else None
    fs, base = _fs_and_path(root)
    path = f"{base}/{MARKER}"
    try:
        return json.loads(fs.cat_file(path))
    except FileNotFoundError:
        return None


def _marker_text(settings: Any) -> str:
    data = asdict(settings)
    if "@" in data["db_url"]:
        data["db_url"] = ""
    return json.dumps(data, indent=2)


def marker_write(root: str, settings: Any) -> None:
    """Record which instance owns this storage root (the db URL's password is left out)."""
    text = _marker_text(settings)
    if not is_remote(root):
        path = Path(root) / MARKER
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return
    fs, base = _fs_and_path(root)
    bucket = base.split("/", 1)[0]
    if not fs.exists(bucket):
        fs.mkdir(bucket)
    fs.pipe_file(f"{base}/{MARKER}", text.encode())


def storage_marker_owner(root: str) -> str | None:
    """The uid of the instance a registered (non-default) root is marked as managed by."""
    fs, base = _fs_and_path(root)
    try:
        return str(json.loads(fs.cat_file(f"{base}/{STORAGE_MARKER}"))["instance_uid"]) or None
    except (OSError, KeyError, ValueError, TypeError):
        return None


def owner_of(root: str) -> str | None:
    """The uid of the instance that owns `root` according to its markers, if any."""
    try:
        marker = marker_read(root)
    except (OSError, ValueError):
        marker = None
    if marker is not None and marker.get("uid"):
        return str(marker["uid"])
    return storage_marker_owner(root)


def refuse_owned_root(root: str, marker: dict | None) -> None:
    """`init` of a new instance on a root another instance owns: StorageAlreadyManaged."""
    owner = str(marker["uid"]) if marker is not None and marker.get("uid") else None
    name = f"{marker.get('owner')}/{marker.get('name')}" if marker is not None else None
    owner = owner or storage_marker_owner(root)
    if owner is None:
        return
    who = f"instance {name} (uid {owner})" if name else f"the instance with uid {owner}"
    raise StorageAlreadyManaged(
        f"Storage location {root} is already marked with uid {owner}, meaning that it is "
        f"managed by another LaminDB instance: {who}. Its files belong to that instance and "
        "a new instance cannot own them. Create the new instance with another --storage; to "
        f"read this location's files from it, register it there as shared storage with "
        f"ln.Storage(root='{root}').save() (read-only: new artifacts go to the new "
        "instance's own storage)."
    )


def claim_root(root: str, settings: Any) -> None:
    """Write the instance marker of a new instance, refusing if one appeared meanwhile
    (two `init`s on one local folder at once: one wins, the other is refused)."""
    if is_remote(root):
        marker_write(root, settings)
        return
    path = Path(root) / MARKER
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        refuse_owned_root(root, marker_read(root))
        raise
    with os.fdopen(fd, "w") as out:
        out.write(_marker_text(settings))


def release_root(root: str, settings: Any) -> None:
    """Take back the marker `claim_root` wrote (the instance could not be created)."""
    try:
        marker = marker_read(root)
    except (OSError, ValueError):
        return
    if marker is None or marker.get("uid") != settings.uid:
        return
    if not is_remote(root):
        (Path(root) / MARKER).unlink(missing_ok=True)
        return
    fs, base = _fs_and_path(root)
    fs.rm_file(f"{base}/{MARKER}")
