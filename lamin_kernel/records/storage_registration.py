"""Registering storage locations: `ln.Storage(root=...)` for a folder or a bucket.

A location is managed by at most one instance. Registering one this instance can write to
marks it (`.lamindb/lamin_kernel_storage.json`) and makes it managed here; a location that
another instance marked stays managed by that one, and one that cannot be written to is
referenced read-only (`instance_uid` None). Only managed locations take new bytes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import log
from ..errors import InvalidArgument, StorageError
from ..setup.session import connection
from ..setup.storage_roots import STORAGE_MARKER, normalize_root, owner_of, storage_type
from ..storage import transfer
from ..storage.paths import filesystem, is_remote
from .registered import registered

MANAGED_FOLDER = ".lamindb"


@dataclass(frozen=True)
class Location:
    """What registering a root found out: its normal form, type, region and managing
    instance."""

    root: str
    type: str
    region: str | None
    instance_uid: str | None


def normalized_root(root: Any) -> str:
    if not isinstance(root, str | Path) and not hasattr(root, "fs"):
        raise InvalidArgument(f"root must be a path or URL, got {type(root).__name__}")
    text = root.as_posix() if hasattr(root, "as_posix") and hasattr(root, "fs") else str(root)
    if ".lamindb" in text:
        raise InvalidArgument('Please pass a folder name that does not end or contain ".lamindb"')
    return normalize_root(text)


def check_host(root: str, host: str | None) -> None:
    if host is not None and storage_type(root) != "local":
        raise InvalidArgument("host is for local storage locations; this root is not local")


def inspect_location(root: str, storage_uid: str, host: str | None) -> Location:
    """Type, region and managing instance of a root; marks it if this instance may manage it."""
    kind = storage_type(root)
    region = host if kind == "local" else _bucket_region(root)
    current = connection().settings.uid
    owner = owner_of(root)
    if owner is not None:
        if owner != current:
            log.warning(
                f"storage location {root} is already marked with an instance ({owner}), "
                "meaning that it is managed by another instance"
            )
        return Location(root, kind, region, owner)
    try:
        _write_marker(root, storage_uid, current)
    except OSError:
        log.info(
            f"due to lack of write access, lamin_kernel won't manage this storage location: {root}"
        )
        return Location(root, kind, region, None)
    return Location(root, kind, region, current)


def _write_marker(root: str, storage_uid: str, instance_uid: str) -> None:
    data = json.dumps({"storage_uid": storage_uid, "instance_uid": instance_uid}).encode()
    if not is_remote(root):
        folder = Path(root) / MANAGED_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise PermissionError(f"{folder} is not writable")
        (Path(root) / STORAGE_MARKER).write_bytes(data)
        return
    fs, base = filesystem(root)
    try:
        fs.pipe_file(f"{base}/{STORAGE_MARKER}", data)
    except Exception as exc:  # noqa: BLE001 - any refusal of the bucket means no write access
        raise PermissionError(str(exc)) from exc


def _bucket_region(root: str) -> str | None:
    """The region of an S3 bucket: asked of the server, else the configured one."""
    if storage_type(root) != "s3":
        return None
    bucket = root.split("://", 1)[1].split("/", 1)[0]
    try:
        fs, _ = filesystem(root)
        answer = fs.call_s3("get_bucket_location", Bucket=bucket)
        return answer.get("LocationConstraint") or "us-east-1"
    except Exception:  # noqa: BLE001 - offline or not allowed: fall back to the configuration
        return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")


def check_deletable(storage: Any) -> None:
    """A storage row goes only when no artifact uses it; a managed one also only when empty
    and not the default storage."""
    artifact = registered.Artifact
    in_use = artifact.filter(storage_id=storage.id, branch_id__gte=-1).count()
    if in_use:
        raise InvalidArgument(
            f"Cannot delete storage with artifacts in current instance. {storage.root} holds "
            f"{in_use} artifact(s) (trash included); delete them first"
        )
    if storage.instance_uid != connection().settings.uid:
        return
    if storage.root == connection().extras["storage_root"]:
        raise InvalidArgument("Cannot delete the current storage location, switch to another.")
    if not _is_empty(storage.root):
        raise StorageError(
            f"storage location {storage.root} is not empty; remove its files before deleting it"
        )


def unmark(storage: Any) -> None:
    """Remove this instance's mark from a managed location whose row was deleted."""
    if storage.instance_uid == connection().settings.uid:
        transfer.remove(f"{storage.root.rstrip('/')}/{STORAGE_MARKER}")


def _is_empty(root: str) -> bool:
    fs, base = filesystem(root)
    if not fs.exists(base):
        return True
    files = [f for f in fs.find(base) if f"/{MANAGED_FOLDER}/" not in f"/{f[len(base) :]}"]
    return not files
