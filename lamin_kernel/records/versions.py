"""Versions: records that share a uid stem; one of them is the latest.

A new version's uid is allocated under a lock on its key and on its stem (``db.locks``),
held until the write transaction ends: two writers of one key never make two version
families, two records with one uid, or two latest versions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, update

from ..db.hints import unindexed
from ..db.locks import lock_for_transaction, lock_many_for_transaction
from ..db.prefix_indexes import starts_with
from ..db.uid import base62, decode_counter, encode_counter
from ..query.queryset import QuerySet
from ..setup.session import visible_branch_ids
from .lookup import newest_with


def stem_length(model: type) -> int:
    return int(model.__lk_uid_length__) - 4


def latest_with_key(
    session: Any, model: type, key: str, storage_id: int | None = None
) -> Any | None:
    """The latest version under `key` that this branch sees (in that storage, for artifacts).

    No ORDER BY ... LIMIT 1: for a new key SQLite could walk the whole table backwards by id;
    the few rows of one key are compared here instead.
    """
    values: dict[str, Any] = {"key": key, "is_latest": True}
    if storage_id is not None and hasattr(model, "storage_id"):
        values["storage_id"] = storage_id
    return newest_with(session, model, visible_branch_ids(), **values)


def lock_key(session: Any, model: type, key: str) -> None:
    """Keep other writers of versions under `key` out until this transaction ends."""
    lock_for_transaction(session.connection(), model.__tablename__, f"key:{key}")


def lock_keys(session: Any, model: type, keys: Iterable[str]) -> None:
    """`lock_key` of each key, in sorted order (no two writers wait on each other crosswise);
    one statement on PostgreSQL."""
    names = [f"key:{key}" for key in sorted(set(keys))]
    lock_many_for_transaction(session.connection(), model.__tablename__, names)


KEYS_PER_QUERY = 500


def keys_with_latest(session: Any, model: type, keys: Iterable[str]) -> set[tuple[str, Any]]:
    """(key, storage id) of the latest versions under these keys that this branch sees (the
    storage id is None for registries without storage); a key not in it starts a new
    version family. One query per 500 keys instead of one per key."""
    unique = sorted(set(keys))
    table = model.__table__
    storage = table.c.storage_id if "storage_id" in table.c else None
    selected = [table.c.key] if storage is None else [table.c.key, storage]
    found: set[tuple[str, Any]] = set()
    for start in range(0, len(unique), KEYS_PER_QUERY):
        stmt = select(*selected).where(
            table.c.key.in_(unique[start : start + KEYS_PER_QUERY]),
            table.c.is_latest.is_(True),
            unindexed(table.c.branch_id).in_(visible_branch_ids()),
        )
        found.update(
            (row[0], row[1] if storage is not None else None)
            for row in session.connection().execute(stmt)
        )
    return found


def next_counter(session: Any, model: type, stem: str) -> int:
    """One more than the highest version counter used by this stem (trash included); the
    stem stays locked until the transaction ends, so no one else takes that counter."""
    lock_for_transaction(session.connection(), model.__tablename__, f"stem:{stem}")
    uids = session.scalars(select(model.uid).where(starts_with(model.uid, stem)))
    counters = [decode_counter(u[len(stem) :]) for u in uids if u and len(u) == len(stem) + 4]
    return max(counters, default=-1) + 1


def assign_uid(
    session: Any, record: Any, revises: Any | None, *, key_is_new: bool = False
) -> Any | None:
    """Give a new versioned record its uid; returns the record it supersedes, if any.

    `key_is_new`: the caller holds the key's lock and found no latest version under it
    (`keys_with_latest`), so none is looked up."""
    model = type(record)
    previous = revises
    key = getattr(record, "key", None) or getattr(revises, "key", None)
    if key and not key_is_new:
        lock_key(session, model, key)
    if previous is None and getattr(record, "key", None) and not key_is_new:
        previous = latest_with_key(session, model, record.key, getattr(record, "storage_id", None))
    if previous is None:
        record.uid = record.uid or base62(stem_length(model)) + encode_counter(0)
        return None
    stem = previous.uid[: stem_length(model)]
    record.uid = stem + encode_counter(next_counter(session, model, stem))
    if record.key is None:
        record.key = previous.key
    return previous


def shares_store(record: Any) -> bool:
    """Whether the record's versions share one store (LaminDB's `_overwrite_versions`).

    Such a store holds the bytes of one version only, the latest of the whole family on any
    branch, trash included: `is_latest` names the owner of the bytes, and is kept so (a new
    version demotes every other one, trashing the latest promotes none, a restored older
    version does not become the latest).
    """
    return bool(getattr(record, "overwrite_versions", False)) and bool(
        getattr(record, "key_is_virtual", True)
    )


def demote_others(session: Any, record: Any) -> None:
    """Make `record` the only latest version of its stem on its branch.

    On main, versions in trash and archive are demoted too; a contribution branch leaves
    main's latest version alone until it is merged, unless the versions share one store:
    its new content replaced what every branch's latest held.
    """
    model = type(record)
    stem = record.uid[: stem_length(model)]
    condition = [starts_with(model.uid, stem), model.id != record.id]
    if not shares_store(record):
        branches = [record.branch_id] if record.branch_id > 1 else [1, 0, -1]
        condition.append(model.branch_id.in_(branches))
    session.execute(update(model).where(*condition).values(is_latest=False))


def promote_previous(session: Any, record: Any, branch_id: int | None = None) -> bool:
    """After the latest version leaves its branch, the newest remaining version on that
    branch becomes the latest; returns whether there was one."""
    model = type(record)
    stem = record.uid[: stem_length(model)]
    branch = record.branch_id if branch_id is None else branch_id
    newest = session.execute(
        select(func.max(model.id)).where(
            starts_with(model.uid, stem),
            model.id != record.id,
            model.branch_id == branch,
        )
    ).scalar()
    if newest is None:
        return False
    session.execute(update(model).where(model.id == newest).values(is_latest=True))
    return True


def versions_of(record: Any) -> QuerySet:
    """All versions of a record, newest first."""
    model = type(record)
    return QuerySet(model).filter(uid__startswith=record.uid[: stem_length(model)]).order_by("-id")
