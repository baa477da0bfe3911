"""Facts about the installed packages, cached on disk until something is installed or removed.

Reading every distribution's metadata takes 0.1–0.2 s, more than the rest of ``track()``.
The answers only change when a ``sys.path`` folder changes (installing or removing a
package adds or removes an entry there, which moves the folder's mtime), so they are kept
in ``$LAMIN_CACHE_DIR/tracking/<name>.json`` under a fingerprint of those folders.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..setup.paths import cache_dir


def fingerprint() -> str:
    """The interpreter, and every package folder on ``sys.path`` with its mtime."""
    parts = [sys.executable, sys.version]
    # sys.path[0] is the script's folder (or ''): outputs written there must not count
    for entry in sys.path[1:]:
        try:
            parts.append(f"{entry}:{os.stat(entry or '.').st_mtime_ns}")
        except OSError:
            parts.append(f"{entry}:-")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cached(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``'s JSON-able answer, from the cache when the fingerprint still matches."""
    file = cache_dir() / "tracking" / f"{name}.json"
    key = fingerprint()
    try:
        payload = json.loads(file.read_text(encoding="utf-8"))
        if payload.get("fingerprint") == key:
            return payload["value"]
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    value = compute()
    _write(file, {"fingerprint": key, "value": value})
    return value


def _write(file: Path, payload: dict) -> None:
    """Atomic, and silent on failure: a cache that cannot be written is only slower."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh)
        os.replace(tmp, file)
    except OSError:
        pass
