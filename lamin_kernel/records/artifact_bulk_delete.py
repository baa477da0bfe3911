"""`Artifact.filter(...).delete(permanent=..., storage=...)`: many artifacts at once, in chunks.

Each artifact follows the rules of `artifact.delete()` (LaminDB's: the query set deletes its
artifacts one by one): one outside the trash goes to the trash unless `permanent=True`; one
in the trash, or any with `permanent=True`, is deleted for good with its bytes (a virtual key's
store; bytes at a real path stay; the latest of versions sharing one store takes every
version and the store with it; an older one of those leaves the store alone). Artifacts in a
storage this instance does not manage are refused before anything is written.

The work goes in chunks of `ARTIFACTS_PER_TRANSACTION`, each one write transaction; bytes are
removed only after the transaction that deleted their rows committed. An interrupt or a
failure leaves the chunks before it done, the chunk it hit undone (rows and bytes as they
were), and at worst files whose rows are gone (removed by `lamin check --fix`), never a row
without its bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, inspect, select, update
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from .. import log
from ..db.locks import lock_for_transaction
from ..errors import IntegrityError
from ..query.writes import set_latest
from ..setup.session import connection, read_session, write_transaction
from ..storage import transfer
from ..storage.paths import join
from ..storage.progress import count_progress
from . import versions
from .artifact_save import managed_key
from .deleted_records import forget_deleted
from .registered import registered

ARTIFACTS_PER_TRANSACTION = 1000
TRASH = -1


@dataclass(frozen=True)
class Selected:
    """The values of one selected artifact that deciding and doing its deletion needs."""

    id: int
    uid: str
    key: str | None
    suffix: str | None
    branch_id: int
    is_latest: bool
    overwrite_versions: bool
    key_is_virtual: bool
    real_key: str | None
    storage_id: int
    root: str
    managed: bool

    @property
    def shares_store(self) -> bool:
        return self.overwrite_versions and self.key_is_virtual

    @property
    def stem(self) -> str:
        return self.uid[:16]

    @property
    def store(self) -> str:
        """Where its bytes are (a virtual key's store), or None for bytes at a real path."""
        return join(self.root, managed_key(self))


def delete_selected(qs: Any, permanent: bool | None, storage: bool | None = None) -> None:
    """Delete the artifacts a QuerySet selects (see the module's docstring); `storage` as in
    `artifact.delete()`: False deletes the rows only, True also removes bytes at a real path."""
    selected = _selected(qs)
    for_good = [a for a in selected if _goes_for_good(a, permanent)]
    to_trash = [a for a in selected if not _goes_for_good(a, permanent) and a.branch_id != TRASH]
    if storage is not False:
        _refuse_unmanaged(for_good)
    with count_progress(len(to_trash) + len(for_good), "deleting artifacts") as advance:
        for chunk in _chunks(to_trash):
            _trash(chunk)
            advance(len(chunk))
        for chunk in _chunks(for_good):
            removals = _delete_for_good(chunk, storage)
            for location in removals:  # the rows are gone: their bytes go now
                transfer.remove(location)
            advance(len(chunk))
    if to_trash:
        log.info(f"moved {len(to_trash)} artifact(s) to trash (branch_id = -1)")
    if for_good:
        log.info(f"permanently deleted {len(for_good)} artifact(s)")
    _forget(qs, {a.id for a in for_good})


def _goes_for_good(artifact: Selected, permanent: bool | None) -> bool:
    """As `artifact.delete(permanent=...)`: for good when asked, or when in the trash already
    and not told to only trash it."""
    return permanent is True or (permanent is None and artifact.branch_id == TRASH)


def _selected(qs: Any) -> list[Selected]:
    artifact = qs.model
    storage = registered.Storage
    stmt = (
        select(
            artifact.id,
            artifact.uid,
            artifact.key,
            artifact.suffix,
            artifact.branch_id,
            artifact.is_latest,
            artifact.overwrite_versions,
            artifact.key_is_virtual,
            artifact.real_key,
            artifact.storage_id,
            storage.root,
            storage.instance_uid,
        )
        .join(storage, artifact.storage_id == storage.id)
        .where(*qs.where_for_write())
        .order_by(artifact.id)
    )
    ours = connection().settings.uid
    with read_session() as session:
        rows = session.execute(stmt).all()
    return [
        Selected(*row[:11], managed=row[11] == ours)  # type: ignore[call-arg]
        for row in rows
    ]


def _refuse_unmanaged(for_good: list[Selected]) -> None:
    """Bytes in a storage another instance manages are not this instance's to delete."""
    foreign = [a for a in for_good if not a.managed]
    if foreign:
        shown = ", ".join(a.uid for a in foreign[:5])
        raise IntegrityError(
            "Cannot simply delete artifacts outside of this instance's managed storage "
            f"locations ({len(foreign)}: {shown}); delete them one by one with "
            "`artifact.delete(storage=False)` to remove only their records. Nothing was deleted."
        )


def _trash(chunk: list[Selected]) -> None:
    """To the trash in one transaction; the newest remaining version on each branch takes
    over as the latest (not of versions sharing one store: that holds the trashed bytes)."""
    model = registered.Artifact
    ids = [a.id for a in chunk]
    with write_transaction(to_branch=False) as session:
        session.execute(
            update(model)
            .where(model.id.in_(ids))
            .values(branch_id=TRASH)
            .execution_options(synchronize_session=False)
        )
        heads = [a for a in chunk if a.is_latest and not a.shares_store]
        if heads:
            promoted = _promote(session, model, heads)
            set_latest(session, model, [a.id for a in heads if a.stem in promoted], False)


def _delete_for_good(chunk: list[Selected], storage: bool | None) -> list[str]:
    """Delete the rows (and link rows) in one transaction; the stores to remove after it."""
    model = registered.Artifact
    families = sorted({a.stem for a in chunk if a.shares_store and a.is_latest})
    try:
        with write_transaction(to_branch=False) as session:
            for key in sorted({a.key for a in chunk if a.key and a.stem in families}):
                versions.lock_key(session, model, key)  # no new version joins meanwhile
            ids = {a.id for a in chunk} | _family_ids(session, model, families)
            _delete_links(session, model, sorted(ids))
            for part in _chunks(sorted(ids)):
                session.execute(
                    delete(model)
                    .where(model.id.in_(part))
                    .execution_options(synchronize_session=False)
                )
            heads = [a for a in chunk if a.is_latest and a.stem not in families]
            _promote(session, model, heads)
            removals = [] if storage is False else _stores_to_remove(chunk, families, storage)
    except SAIntegrityError as exc:
        raise IntegrityError(
            f"Cannot delete some instances of model 'Artifact' because they are referenced "
            f"through protected foreign keys: {exc.orig}"
        ) from exc
    return removals


def _family_ids(session: Any, model: type, stems: list[str]) -> set[int]:
    """Every version (trash included) of the families whose shared store goes."""
    found: set[int] = set()
    for stem in stems:
        lock_for_transaction(session.connection(), model.__tablename__, f"stem:{stem}")
        found |= set(
            session.scalars(select(model.id).where(model.uid.startswith(stem, autoescape=True)))
        )
    return found


def _stores_to_remove(
    chunk: list[Selected], families: list[str], storage: bool | None
) -> list[str]:
    """The stores no remaining row points at: a virtual key's own store, a shared store whose
    family went; bytes at a real path only with `storage=True`; never a store an older
    version shares."""
    removals = []
    in_place = [a for a in chunk if not a.key_is_virtual]
    if storage is True:
        removals += [join(a.root, a.real_key or a.key or "") for a in in_place if a.key]
    elif in_place:
        shown = join(in_place[0].root, in_place[0].real_key or in_place[0].key or "")
        log.info(
            f"{len(in_place)} file(s)/folder(s) registered in place remain where they are "
            f"(e.g. {shown}); delete an artifact with storage=True to remove its bytes"
        )
    for a in chunk:
        if not a.key_is_virtual:
            continue
        if a.shares_store and a.stem not in families:
            continue  # an older version: the store holds the latest one's bytes
        removals.append(a.store)
    return sorted(set(removals))


def _promote(session: Any, model: type, heads: list[Selected]) -> set[str]:
    """The newest remaining version on the head's branch becomes the latest; the stems that
    got one."""
    if not heads:
        return set()
    stem = func.substr(model.uid, 1, 16)
    promoted_ids: list[int] = []
    stems: set[str] = set()
    by_branch: dict[int, set[str]] = {}
    for head in heads:
        by_branch.setdefault(head.branch_id, set()).add(head.stem)
    for branch_id, family in by_branch.items():
        for part in _chunks(sorted(family)):
            stmt = (
                select(stem, func.max(model.id))
                .where(model.branch_id == branch_id, stem.in_(part))
                .group_by(stem)
            )
            for found_stem, newest in session.execute(stmt):
                if newest is not None:
                    promoted_ids.append(newest)
                    stems.add(found_stem)
    set_latest(session, model, promoted_ids, True)
    return stems


def _delete_links(session: Any, model: type, ids: list[int]) -> None:
    """The artifacts' rows in many-to-many link tables, one statement per table and chunk."""
    mapper = inspect(model)
    modules = connection().extras.get("modules")
    for rel in mapper.relationships:
        if rel.secondary is None or rel.viewonly:
            continue
        module = getattr(rel.mapper.class_, "__lk_module__", "core")
        if modules is not None and module not in {"core", *modules}:
            continue
        for local, remote in rel.synchronize_pairs:
            if local.name != "id":
                continue
            for part in _chunks(ids):
                session.execute(delete(rel.secondary).where(remote.in_(part)))


def _forget(qs: Any, deleted: set[int]) -> None:
    """The QuerySet's loaded records: those deleted for good leave the session, the trashed
    ones reload their values on next access."""
    for record in qs.cached_records():
        state = inspect(record)
        if state.session is not None and record.id not in deleted:
            state.session.expire(record)
    forget_deleted(qs.model, deleted, also=qs.cached_records())  # every object held


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    size = ARTIFACTS_PER_TRANSACTION
    for start in range(0, len(items), size):
        yield items[start : start + size]
