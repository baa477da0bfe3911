"""Storage roots: normalising them and the marker file that says which instance owns one."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import InvalidArgument

MARKER = ".lamindb/lamin_kernel_instance.json"


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


def marker_write(root: str, settings: Any) -> None:
    """Record which instance owns this storage root (the db URL's password is left out)."""
    data = asdict(settings)
    if "@" in data["db_url"]:
        data["db_url"] = ""
    text = json.dumps(data, indent=2)
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
