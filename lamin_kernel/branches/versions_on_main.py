"""Versions across branches: where a branch's records land among the target's versions on merge.

A record merged from a branch becomes the newest version of its family on the target (main,
usually): when the target (or another branch) made a newer version meanwhile, or made one
under the same key with another uid stem, the merged record gets the next uid counter of the
target's family and is the latest. The target's own versions keep their uids and content;
only their is_latest flag changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update

from ..db.prefix_indexes import starts_with
from ..db.uid import decode_counter, encode_counter
from ..records.registry import has_column
from ..records.versions import next_counter, stem_length
from .tables import MAIN, versioned_registries


@dataclass
class NewVersion:
    """A merged record that became a new version on main under another uid."""

    registry: str
    key: str | None
    old_uid: str
    new_uid: str
    record: Any


def _family(model: type, stem: str) -> Any:
    return starts_with(model.uid, stem)


def stems_on_branch(session: Any, branch_id: int) -> dict[type, set[str]]:
    """The uid stems of the versioned records on a branch, per registry."""
    found: dict[type, set[str]] = {}
    for model in versioned_registries():
        n = stem_length(model)
        uids = session.scalars(select(model.uid).where(model.branch_id == branch_id))
        stems = {uid[:n] for uid in uids if uid}
        if stems:
            found[model] = stems
    return found


def ensure_latest_on_main(session: Any, stems: dict[type, set[str]]) -> None:
    """Families that lost their latest version on main get their newest main record back."""
    for model, family_stems in stems.items():
        for stem in family_stems:
            on_main = (_family(model, stem), model.branch_id == MAIN)
            has_latest = session.execute(
                select(model.id).where(*on_main, model.is_latest.is_(True)).limit(1)
            ).first()
            if has_latest is None:
                newest = session.execute(select(func.max(model.id)).where(*on_main)).scalar()
                if newest is not None:
                    session.execute(update(model).where(model.id == newest).values(is_latest=True))


def _target_stem(session: Any, model: type, record: Any, target_id: int) -> str:
    """The family on the target the record joins: its own, or the target's under the same key."""
    stem = record.uid[: stem_length(model)]
    own_on_target = session.execute(
        select(model.id).where(_family(model, stem), model.branch_id == target_id).limit(1)
    ).first()
    if own_on_target is not None or not record.key:
        return stem
    same_key = select(model.uid).where(model.key == record.key, model.branch_id == target_id)
    if has_column(model, "storage_id"):
        same_key = same_key.where(model.storage_id == record.storage_id)
    found = session.execute(same_key.order_by(model.is_latest.desc(), model.id.desc())).first()
    return found[0][: stem_length(model)] if found else stem


def _newer_elsewhere(session: Any, model: type, record: Any, stem: str, branch_id: int) -> bool:
    """Whether a record of the family outside the branch has a higher version counter."""
    uids = session.scalars(
        select(model.uid).where(_family(model, stem), model.branch_id != branch_id)
    )
    mine = decode_counter(record.uid[len(stem) :])
    return any(decode_counter(uid[len(stem) :]) > mine for uid in uids if uid)


def reconcile_versions(session: Any, branch_id: int, target_id: int = MAIN) -> list[NewVersion]:
    """Before a branch's records move to the target: renumber and flag them as its new versions."""
    renamed: list[NewVersion] = []
    for model in versioned_registries():
        records = session.scalars(
            select(model).where(model.branch_id == branch_id).order_by(model.id)
        ).all()
        newest_merged: dict[str, Any] = {}
        for record in records:
            if not record.uid:
                continue
            stem = _target_stem(session, model, record, target_id)
            if stem != record.uid[: len(stem)] or _newer_elsewhere(
                session, model, record, stem, branch_id
            ):
                old_uid = record.uid
                record.uid = stem + encode_counter(next_counter(session, model, stem))
                session.flush()
                renamed.append(NewVersion(model.__name__, record.key, old_uid, record.uid, record))
            newest_merged[stem] = record
        for stem, record in newest_merged.items():
            session.execute(
                update(model)
                .where(
                    _family(model, stem),
                    model.branch_id.in_([target_id, branch_id]),
                    model.id != record.id,
                )
                .values(is_latest=False)
            )
            record.is_latest = True
        session.flush()
    return renamed
