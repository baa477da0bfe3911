"""`lamin check`: every artifact's stored bytes against its hash; orphans in storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..errors import InvalidArgument, StorageError
from ..setup.session import connection, read_session
from ..storage import transfer
from ..storage.hashing import LEGACY_HASH_TYPE
from ..storage.paths import filesystem, is_remote, join
from ..storage.progress import progress_bar
from ..storage.transfer import staging_owner_alive
from .artifact_save import managed_key
from .registry import registry_class

STAGING = ".lamindb/_staging"


@dataclass
class CheckReport:
    """What `lamin check` found."""

    checked: int = 0
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.altered or self.orphans)

    def lines(self) -> list[str]:
        out = [f"checked {self.checked} artifacts"]
        out += [f"missing: {m}" for m in self.missing]
        out += [f"altered: {a}" for a in self.altered]
        out += [f"orphan: {o}" for o in self.orphans if o not in self.removed]
        out += [f"removed orphan: {r}" for r in self.removed]
        return out


def _rows() -> list[Any]:
    artifact = registry_class("Artifact")
    storage = registry_class("Storage")
    with read_session() as session:
        stmt = select(
            artifact.uid,
            artifact.suffix,
            artifact.hash,
            artifact.hash_type,
            artifact.size,
            artifact.key_is_virtual,
            artifact.real_key,
            artifact.overwrite_versions,
            artifact.is_latest,
            artifact.key,
            storage.root,
            storage.instance_uid,
        ).join(storage, artifact.storage_id == storage.id)
        return list(session.execute(stmt))


def check_instance(fix: bool = False) -> CheckReport:
    """Verify bytes of every artifact; find files in managed storage with no row (fix removes them)."""
    report = CheckReport()
    rows = _rows()
    total = sum(r.size or 0 for r in rows)
    expected: dict[str, set[str]] = {}
    with progress_bar(max(total, 1), "checking artifacts") as advance:
        for row in rows:
            report.checked += 1
            location = join(
                row.root, managed_key(row) if row.key_is_virtual else (row.real_key or row.key)
            )
            if row.key_is_virtual:
                expected.setdefault(row.root, set()).add(location)
            if not transfer.exists(location):
                report.missing.append(f"{row.uid} at {location}")
                continue
            if row.overwrite_versions and not row.is_latest:
                continue  # its store holds the latest version's bytes now
            actual_hash, size = _hash_as_stored(location, row.hash_type)
            if advance:
                advance(size)
            if actual_hash != row.hash:
                report.altered.append(f"{row.uid} at {location}")
    own_roots = {r.root for r in rows if r.instance_uid == connection().settings.uid}
    own_roots.add(connection().settings.storage_root)
    for root in own_roots:
        for orphan in _orphans(root, expected.get(root, set())):
            report.orphans.append(orphan)
            if fix:
                transfer.remove(orphan)
                report.removed.append(orphan)
    return report


def _hash_as_stored(location: str, hash_type: str | None) -> tuple[str | None, int]:
    """(hash, size) of the bytes at `location`, with the algorithm their row was hashed with.

    Rows without a type predate typed hashes (blake3); an unknown type gives no hash.
    """
    try:
        actual_hash, _, size, _ = transfer.hash_path(location, hash_type or LEGACY_HASH_TYPE)
    except (StorageError, InvalidArgument):  # unreadable, or a folder holding a link
        return None, 0
    return actual_hash, size


def _orphans(root: str, expected: set[str]) -> list[str]:
    """Files in <root>/.lamindb that no artifact row accounts for (staging leftovers included)."""
    fs, inner = filesystem(join(root, ".lamindb"))
    if not fs.exists(inner):
        return []
    found = []
    for entry in fs.ls(inner, detail=False):
        name = entry.rstrip("/").rsplit("/", 1)[-1]
        if name.startswith("lamin"):  # the SQLite files and the instance marker
            continue
        location = join(root, ".lamindb", name)
        if name == "_staging":
            found += [
                join(root, STAGING, Path(p).name)
                for p in fs.ls(entry, detail=False)
                if not staging_owner_alive(Path(p).name)
            ]
        elif location not in expected:
            found.append(location if is_remote(root) else str(Path(location)))
    return found
