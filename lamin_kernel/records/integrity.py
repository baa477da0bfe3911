"""`lamin check`: every artifact's stored bytes against its hash; orphans in storage (see
`orphans.py` for what counts as one and when it is removed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..db.locks import hold_placement
from ..errors import InvalidArgument, StorageError
from ..setup.session import read_session, write_transaction
from ..storage import transfer
from ..storage.hashing import LEGACY_HASH_TYPE
from ..storage.paths import join
from ..storage.progress import progress_bar
from ..storage.replacing import Replacing
from . import shared_stores
from .artifact_save import managed_key
from .orphans import DEFAULT_GRACE_SECONDS, confirm_orphans, owned_roots, stored_files
from .registered import registered


@dataclass
class CheckReport:
    """What `lamin check` found."""

    checked: int = 0
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)  # replacements of shared stores
    settled: list[str] = field(default_factory=list)  # ... that `--fix` settled
    recent: list[str] = field(default_factory=list)  # no row yet, younger than the grace
    grace_seconds: float = DEFAULT_GRACE_SECONDS

    @property
    def ok(self) -> bool:
        return not (self.missing or self.altered or self.orphans or self.interrupted)

    def lines(self) -> list[str]:
        out = [f"checked {self.checked} artifacts"]
        out += [f"missing: {m}" for m in self.missing]
        out += [f"altered: {a}" for a in self.altered]
        out += [f"orphan: {o}" for o in self.orphans if o not in self.removed]
        out += [f"removed orphan: {r}" for r in self.removed]
        out += [f"interrupted replacement: {i}" for i in self.interrupted]
        out += [f"settled interrupted replacement: {s}" for s in self.settled]
        if self.recent:
            out.append(
                f"{len(self.recent)} file(s) without a row are younger than the grace period "
                f"({self.grace_seconds:g} s) and not judged: their rows may be on their way"
            )
        return out


def _rows(uids: list[str] | None = None) -> list[Any]:
    artifact = registered.Artifact
    storage = registered.Storage
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
    if uids is not None:
        stmt = stmt.where(artifact.uid.in_(uids))
    with read_session() as session:
        return list(session.execute(stmt))


def check_instance(fix: bool = False, grace_seconds: float = DEFAULT_GRACE_SECONDS) -> CheckReport:
    """Verify the bytes of every artifact; find files in this instance's own storage that no
    row accounts for and are older than `grace_seconds` (`fix` removes them).

    Storage is listed before the rows are read, so bytes whose row commits meanwhile are
    accounted for; a row deleted meanwhile is not reported missing.
    """
    report = CheckReport(grace_seconds=grace_seconds)
    roots = owned_roots()
    if fix:
        report.settled = settle_replacements(roots)
    interrupted = shared_stores.abandoned_in(roots)
    listed = {root: stored_files(root) for root in roots}
    rows = _rows()
    expected = _check_rows(rows, report)
    for root in roots:
        expected.setdefault(root, set())
    _explain_interrupted(report, interrupted, expected)
    if report.missing:
        still = {row.uid for row in _rows([m.split()[0] for m in report.missing])}
        report.missing = [m for m in report.missing if m.split()[0] in still]
    candidates = []
    for root, files in listed.items():
        for stored in files:
            if stored.location in expected.get(root, set()):
                continue
            if stored.age < grace_seconds:
                report.recent.append(stored.location)
            else:
                candidates.append(stored)
    if candidates:
        orphans = [o.location for o in confirm_orphans(candidates, grace_seconds, remove=fix)]
        report.orphans = orphans
        report.removed = orphans if fix else []
    return report


def settle_replacements(roots: list[str]) -> list[str]:
    """`--fix`: settle the abandoned replacements of shared stores, with every writer that
    places bytes kept out (the placement lock alone)."""
    settled: list[str] = []
    for root in roots:
        with write_transaction(to_branch=False) as session:
            hold_placement(session.connection())
            settled += shared_stores.settle_abandoned(session, root)
    return settled


def _explain_interrupted(
    report: CheckReport, interrupted: list[Replacing], expected: dict[str, set[str]]
) -> None:
    """An abandoned replacement is reported as such: its aside and record are not orphans,
    and the store it left without its latest version's content is not reported altered or
    missing (the line says where that content is)."""
    stores = {intent.location for intent in interrupted}
    report.interrupted = [shared_stores.describe(i, None, None) for i in interrupted]
    report.altered = [a for a in report.altered if a.split(" at ", 1)[1] not in stores]
    report.missing = [m for m in report.missing if m.split(" at ", 1)[1] not in stores]
    for intent in interrupted:
        for root, locations in expected.items():
            if intent.record.startswith(root.rstrip("/") + "/"):
                locations |= {intent.aside, intent.record}


def _check_rows(rows: list[Any], report: CheckReport) -> dict[str, set[str]]:
    """Hash every row's bytes (noting missing and altered ones); the managed locations the
    rows account for, by root."""
    expected: dict[str, set[str]] = {}
    total = sum(r.size or 0 for r in rows)
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
    return expected


def _hash_as_stored(location: str, hash_type: str | None) -> tuple[str | None, int]:
    """(hash, size) of the bytes at `location`, with the algorithm their row was hashed with.

    Rows without a type predate typed hashes (blake3); an unknown type gives no hash.
    """
    try:
        actual_hash, _, size, _ = transfer.hash_path(location, hash_type or LEGACY_HASH_TYPE)
    except (StorageError, InvalidArgument):  # unreadable, or a folder holding a link
        return None, 0
    return actual_hash, size
