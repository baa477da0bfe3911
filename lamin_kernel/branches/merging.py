"""`lamin merge NAME`: move a branch's records to main, each version becoming main's newest."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import case, update

from .. import log
from ..db.branch_state import hold_branch, refusal_to_write
from ..errors import InvalidArgument, StorageError
from ..records.artifact_save import managed_key
from ..records.registered import registered
from ..setup.session import read_session, write_transaction
from ..storage import transfer
from ..storage.paths import filesystem, is_remote, join
from .switching import current_branch, record_counts, resolve_branch
from .tables import MAIN, branch_tables
from .versions_on_main import NewVersion, reconcile_versions

MERGED = "merged"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass
class MergeReport:
    """What a merge did: records moved per registry, and records that became new versions."""

    branch: str
    moved: dict[str, int] = field(default_factory=dict)
    new_versions: list[NewVersion] = field(default_factory=list)
    target: str = "main"

    def lines(self) -> list[str]:
        total = sum(self.moved.values())
        listed = ", ".join(f"{name}: {n}" for name, n in sorted(self.moved.items()))
        head = f"merged branch '{self.branch}' into {self.target}: {plural(total, 'record')}"
        lines = [head + (f" ({listed})" if listed else "")]
        for v in self.new_versions:
            lines.append(
                f"{v.registry} '{v.key or v.old_uid}' is a new version on {self.target}: "
                f"{v.old_uid} -> {v.new_uid}"
            )
        return lines

    def __repr__(self) -> str:
        return "\n".join(self.lines())


def merge(branch: Any, target: Any = None) -> MergeReport | None:
    """Move every record of `branch` to `target` (default: the current branch).

    Both are a name, a uid or a Branch. The source is then marked merged. Merging a branch
    into itself does nothing (None).
    """
    source = resolve_branch(branch)
    into = current_branch() if target is None else resolve_branch(target)
    if into.id == source.id:
        log.info("source and target branch are identical, nothing to merge")
        return None
    if source.id <= MAIN:
        raise InvalidArgument(
            f"'{source.name}' is a built-in branch; merge a contribution branch into main"
        )
    if into.id < MAIN:
        raise InvalidArgument(f"cannot merge into '{into.name}': records go there by deleting")
    report = _move_records(source, int(into.id))
    report.target = into.name
    _refresh_loaded_records()
    first, *rest = report.lines()
    log.success(first)
    for line in rest:
        log.info(line)
    return report


def _move_records(source: Any, target_id: int) -> MergeReport:
    """In one transaction: new versions renumbered, rows moved, the source marked merged."""
    report = MergeReport(branch=source.name)
    copies: list[tuple[str, str]] = []
    try:
        with write_transaction(to_branch=False) as session:
            _close_for_merge(session, source)
            report.moved = record_counts().get(int(source.id), {})  # writers are done now
            report.new_versions = reconcile_versions(session, int(source.id), target_id)
            copies = _copy_renamed_bytes(report.new_versions)
            db = session.connection()
            for tbl in branch_tables(db):
                values: dict[str, Any] = {"branch_id": target_id}
                if "created_on_id" in tbl.c:
                    values["created_on_id"] = case(
                        (tbl.c.created_on_id == MAIN, source.id), else_=tbl.c.created_on_id
                    )
                db.execute(update(tbl).where(tbl.c.branch_id == source.id).values(**values))
            source.status = MERGED
            session.add(source)
    except BaseException:
        for _, new in copies:
            transfer.remove(new)
        raise
    for old, _ in copies:
        transfer.remove(old)
    return report


def _close_for_merge(session: Any, source: Any) -> None:
    """Wait for the branch's writers to commit and keep new ones out until the merge commits
    (they then find it merged); refuse a branch merged meanwhile by another process."""
    db = session.connection()
    hold_branch(db, int(source.id))
    why = refusal_to_write(db, int(source.id))
    if why is not None:
        raise InvalidArgument(f"cannot merge: {why}")


def _copy_renamed_bytes(renamed: list[NewVersion]) -> list[tuple[str, str]]:
    """Artifacts whose uid changed keep their bytes under the new uid (copied before commit)."""
    copies: list[tuple[str, str]] = []
    try:
        for version in renamed:
            record = version.record
            if not isinstance(record, registered.Artifact) or not record.key_is_virtual:
                continue
            root = record.storage.root
            old = join(root, f".lamindb/{version.old_uid}{record.suffix or ''}")
            new = join(root, managed_key(record))
            _copy(old, new)
            copies.append((old, new))
    except BaseException:
        for _, new in copies:
            transfer.remove(new)
        raise
    return copies


def _copy(old: str, new: str) -> None:
    try:
        if not is_remote(old):
            if Path(old).is_dir():
                shutil.copytree(old, new)
            else:
                try:
                    os.link(old, new)  # same file system: no second copy of the bytes
                except OSError:
                    shutil.copy2(old, new)
            return
        fs, old_inner = filesystem(old)
        _, new_inner = filesystem(new)
        fs.copy(old_inner, new_inner, recursive=fs.isdir(old_inner))
    except FileNotFoundError as exc:
        raise StorageError(f"the bytes of {old} are missing; run `lamin check`") from exc
    except OSError as exc:
        raise StorageError(f"could not copy {old} to {new}: {exc}") from exc


def _refresh_loaded_records() -> None:
    """Records loaded in this process re-read the columns the merge changed."""
    names = ("branch_id", "created_on_id", "uid", "is_latest")
    with read_session() as session:
        for record in list(session.identity_map.values()):
            present = [n for n in names if hasattr(type(record), n)]
            if present and "branch_id" in present:
                session.expire(record, present)
