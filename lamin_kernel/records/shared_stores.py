"""Interrupted replacements of a store that versions share, found and settled.

A save that replaces a shared store's content writes an intent record first
(``storage/replacing.py``). One whose writer is gone (SIGKILL, power loss, an interrupt
inside its failure handler) is settled by the next save of that store and by
`lamin check --fix`, both under a lock that keeps every other writer of the store out: the
store must hold the bytes of the version that owns it (the family's latest version, the
row that committed), which the store or the aside holds; `lamin check` reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from .. import log
from ..db.prefix_indexes import starts_with
from ..storage import replacing
from ..storage.hashing import LEGACY_HASH_TYPE
from .registered import registered


@dataclass(frozen=True)
class Owner:
    """The version whose bytes a shared store must hold (None: the family is gone)."""

    uid: str | None
    hash: str | None
    hash_type: str | None
    key: str | None
    versions: int  # rows of the family, any branch


def owner_of(session: Any, stem: str) -> Owner:
    """The latest version of the family with this uid stem, on any branch (trash included),
    as committed, or as this transaction has it; for a whole uid, that artifact."""
    artifact = registered.Artifact
    family = starts_with(artifact.uid, stem)
    owner = artifact.is_latest.is_(True)
    if len(stem) == artifact.__lk_uid_length__:  # a store of one artifact's own (replace())
        family = owner = artifact.uid == stem
    latest = session.execute(
        select(artifact.uid, artifact.hash, artifact.hash_type, artifact.key)
        .where(family, owner)
        .order_by(artifact.id.desc())
        .limit(1)
    ).first()
    count = int(session.execute(select(func.count()).where(family)).scalar() or 0)
    if latest is None:
        return Owner(None, None, None, None, count)
    hash_type = latest.hash_type or LEGACY_HASH_TYPE
    return Owner(latest.uid, latest.hash, hash_type, latest.key, count)


def settle_abandoned(session: Any, root: str, location: str | None = None) -> list[str]:
    """Settle the abandoned replacements in `root` (of the store at `location` only, if
    given); the caller holds what keeps the store's writers out. Returns a line per record."""
    done = []
    for intent in replacing.records_in(root):
        if (location is not None and intent.location != location) or not replacing.abandoned(
            intent
        ):
            continue
        owner = owner_of(session, intent.stem)
        if owner.uid is None and owner.versions:
            outcome = "unresolved"  # versions without a latest one: nothing proves which
        else:
            outcome = replacing.settle(intent, owner.hash, owner.hash_type)
        line = describe(intent, owner, outcome)
        (log.warning if outcome == "unresolved" else log.info)(line)
        done.append(line)
    return done


def abandoned_in(roots: list[str]) -> list[replacing.Replacing]:
    """The abandoned replacements in these storage roots (for `lamin check`)."""
    return [
        intent
        for root in roots
        for intent in replacing.records_in(root)
        if replacing.abandoned(intent)
    ]


def describe(intent: replacing.Replacing, owner: Owner | None, outcome: str | None) -> str:
    """One line about an interrupted replacement, for the log and `lamin check`."""
    store = f"the store {intent.location} shared by the versions {intent.stem}*"
    if outcome == "restored":
        return (
            f"{store}: a replacement by {intent.uid} did not commit; the content of "
            f"{owner.uid if owner else 'its latest version'} was put back from {intent.aside}"
        )
    if outcome == "kept":
        return f"{store}: an interrupted replacement was finished; {intent.aside} was not needed"
    if outcome == "unresolved":
        return (
            f"{store}: an interrupted replacement by {intent.uid} left content that matches "
            f"no version's hash; kept {intent.aside} and {intent.record} for you to inspect"
        )
    return (
        f"{store}: a replacement by {intent.uid} was interrupted (its process is gone); the "
        f"latest version's content may be set aside at {intent.aside}: `lamin check --fix` "
        "(or the next save of that key) restores the store"
    )
