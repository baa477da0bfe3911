"""A digest of a file's or folder's content, computed by the tests themselves (not the
project's hashing), to hold stored bytes to what was saved."""

from __future__ import annotations

import hashlib
from pathlib import Path


def content_digest(path: Path) -> str:
    """sha256 over a file's bytes, or over a folder's sorted (relative path, bytes) pairs."""
    digest = hashlib.sha256()
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(child.relative_to(path).as_posix().encode() + b"\0")
            digest.update(child.read_bytes())
    else:
        digest.update(path.read_bytes())
    return digest.hexdigest()
