"""`ln.setup.settings.paths`: where a cloud file lives in the local cache, and fetching it.

The cache layout is the one artifacts use (`<cache>/<scheme>/<bucket>/<key>`), so the path of
a stored artifact's file and `cloud_to_local(artifact.path)` are the same file. Local paths
are their own local path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import InvalidArgument
from .paths import cache_dir


def _url(filepath: Any) -> str:
    text = filepath.as_posix() if isinstance(filepath, Path) else str(filepath)
    if not text:
        raise InvalidArgument("filepath is empty")
    return text


def is_local(url: str) -> bool:
    return "://" not in url or url.startswith("file://")


def cache_location(url: str, cache_key: str | None = None) -> Path:
    """The cache file of a cloud url (or of `cache_key`, a path inside the cache)."""
    if cache_key is not None:
        root = cache_dir().resolve()
        location = (root / cache_key).resolve()
        if not location.is_relative_to(root):
            raise InvalidArgument(f"cache key {cache_key!r} resolves outside the cache directory")
        return location
    scheme, rest = url.split("://", 1)
    safe = re.sub(r"[^A-Za-z0-9._/-]", "_", rest)
    return cache_dir() / scheme / safe


class SetupPaths:
    """Cloud paths to local (cache) paths, as LaminDB's `settings.paths`."""

    @staticmethod
    def cloud_to_local_no_update(filepath: Any, cache_key: str | None = None) -> Any:
        """The local path of `filepath` (its cache file for a cloud path), nothing fetched."""
        url = _url(filepath)
        if is_local(url):
            return Path(url.removeprefix("file://"))
        return cache_location(url, cache_key)

    @staticmethod
    def cloud_to_local(filepath: Any, cache_key: str | None = None, **kwargs: Any) -> Any:
        """The local path of `filepath`; a cloud file is fetched into the cache when the cache
        has no copy or an older one than the cloud's (`kwargs` go to fsspec's `get`)."""
        url = _url(filepath)
        local = SetupPaths.cloud_to_local_no_update(url, cache_key)
        if is_local(url):
            return local
        import fsspec

        fs, path = fsspec.core.url_to_fs(url)
        info = fs.info(path)
        if _is_current(local, info):
            return local
        local.parent.mkdir(parents=True, exist_ok=True)
        partial = local.with_name(local.name + ".partial")
        fs.get(path, str(partial), recursive=info.get("type") == "directory", **kwargs)
        partial.replace(local)
        return local


def _is_current(local: Path, info: dict[str, Any]) -> bool:
    """The cached copy has the cloud file's size and is not older than it."""
    if not local.exists() or info.get("type") == "directory":
        return False
    if info.get("size") is not None and local.stat().st_size != info["size"]:
        return False
    modified = info.get("LastModified") or info.get("mtime") or info.get("last_modified")
    stamp = getattr(modified, "timestamp", None)
    when = stamp() if callable(stamp) else modified
    return not isinstance(when, int | float) or local.stat().st_mtime >= when


paths = SetupPaths()
