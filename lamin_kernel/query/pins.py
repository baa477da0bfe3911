"""Input versions pinned in ``lamin rerun``'s process: a record of a pinned version family that
a query returns and that is newer than the version the original run read becomes that version
(older versions stay: they existed when the original ran), so the rerun's queries see each
input family as the original did.

``tracking.rerun_pins`` registers a ``PINNED_VERSION`` hook (``(registry, uid) -> uid | None``)
only in a rerun's process; elsewhere this costs one empty lookup per fetch. Records are
mapped after the SELECT (``QuerySet._fetch``, which ``get``, ``one``, ``first``, ``last``,
slices and iteration share) and repeats dropped, so ``filter(key=k).one()`` finds the pinned
version even when newer versions of ``k`` exist.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .. import runtime

PINNED_VERSION = "pinned_version"


def pinned_uid(registry: str, uid: str) -> str | None:
    """The uid a rerun pins for the family of ``uid``, or None."""
    for hook in runtime.hooks(PINNED_VERSION):
        pinned = hook(registry, uid)
        if pinned is not None:
            return pinned
    return None


def with_pins(session: Any, model: type, records: list[Any]) -> list[Any]:
    """``records`` with each one of a pinned family that is newer than its pinned version
    replaced by that version (repeats dropped)."""
    if not records or not runtime.hooks(PINNED_VERSION):
        return records
    if not getattr(model, "__lk_versioned__", False):
        return records
    wanted = {r.uid: pinned_uid(model.__name__, r.uid) for r in records}
    missing = {u for u in wanted.values() if u is not None} - {r.uid for r in records}
    found = {r.uid: r for r in records}
    if missing:
        rows = session.scalars(select(model).where(model.uid.in_(sorted(missing))))
        found.update({r.uid: r for r in rows})
    result, seen = [], set()
    for record in records:
        pinned = found.get(wanted[record.uid] or record.uid, record)
        if pinned.id > record.id:
            pinned = record  # an older version: it existed when the original ran
        if pinned.uid not in seen:
            seen.add(pinned.uid)
            result.append(pinned)
    return result
