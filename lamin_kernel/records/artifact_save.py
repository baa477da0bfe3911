"""Saving a new artifact: bytes into place first, then the row, and neither on failure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from .. import log
from ..db import bootstrap, statistics
from ..db.locks import share_placement
from ..errors import IntegrityError, StorageError
from ..setup.session import connection, current_user_id, pooled_connection, write_transaction
from ..setup.storage_roots import storage_type
from ..storage import replacing, transfer
from ..storage.paths import is_remote, join
from ..storage.progress import progress_bar
from . import run_links, shared_stores, versions
from .orm_internals import column_values_before, forget_inserted
from .pending import clear_pending
from .persist import check_text_values, fill_defaults, insert_new_records, save_context
from .registered import registered
from .registry import model_info

ARTIFACTS_PER_TRANSACTION = 1000  # bounds how long ln.save(list) holds the write lock


@dataclass
class ArtifactPending:
    """What an unsaved artifact still has to do on save().

    `local_path` is where its bytes are now (load() and cache() of the unsaved artifact read
    them there); `memory` the object it was made from; `managed_uid` the uid whose place in
    `.lamindb/` the bytes were written to (Artifact.from_lazy); `features` the values to set
    once the row exists.
    """

    storage_id: int | None
    staged: transfer.Staged | None = None
    local_source: str | None = None
    new_storage_root: str | None = None
    revises: Any | None = None
    in_place: bool = False
    temp_files: list[str] = field(default_factory=list)
    local_path: str | None = None
    memory: Any | None = None
    managed_uid: str | None = None
    features: dict[str, Any] | None = None
    schema: Any | None = None

    def save(self, record: Any) -> None:
        save_new_artifacts([(record, self)])

    @staticmethod
    def save_all(items: list[tuple[Any, ArtifactPending]]) -> None:
        """``ln.save(artifacts)``: many new artifacts, a transaction per chunk."""
        for start in range(0, len(items), ARTIFACTS_PER_TRANSACTION):
            save_new_artifacts(items[start : start + ARTIFACTS_PER_TRANSACTION])


def managed_key(record: Any) -> str:
    """Where the bytes of an artifact with a virtual key live inside its storage root: its
    uid, or the uid's stem when all versions share one store (overwrite_versions)."""
    uid = record.uid[:16] if getattr(record, "overwrite_versions", False) else record.uid
    return f".lamindb/{uid}{record.suffix or ''}"


@dataclass
class Placement:
    """Bytes this save put at their final name, and how to take them back.

    `intent` is the intent record of replacing the content of a store that versions
    share (its previous content was set aside, ``storage/replacing.py``); `written_at` where
    from_lazy bytes were before they moved.
    """

    record: Any
    pending: ArtifactPending
    location: str
    intent: replacing.Replacing | None = None
    written_at: str | None = None

    def undo(self) -> None:
        """The row did not commit: remove what this save placed (and only that), and give a
        shared store its previous content back."""
        completed = False
        try:
            if self.pending.staged is not None:
                self.pending.staged.unplace()
            elif self.written_at is not None:  # from_lazy: back where it was written
                transfer.move(self.location, self.written_at)
                self.pending.local_path = self.written_at
            else:
                transfer.remove(self.location)
            if self.intent is not None:
                replacing.put_back(self.intent)
            completed = True
        finally:
            if self.intent is not None:  # not completed: the next save or check settles it
                self.intent.close(completed)

    def done(self) -> None:
        """The row committed: the staging name, if any, and the superseded content of a
        shared store are no longer needed."""
        if self.pending.staged is not None:
            self.pending.staged.release()
        if self.intent is not None:
            completed = False
            try:
                transfer.remove(self.intent.aside)
                completed = True
            finally:
                self.intent.close(completed)


def _place_bytes(
    session: Any, record: Any, pending: ArtifactPending, root: str
) -> Placement | None:
    """Put the bytes at their final place, never over anything there: the previous content
    of a store all versions share is set aside first, until the row commits."""
    if pending.in_place:
        return _move_managed(session, record, pending, root)
    if record.key_is_virtual:
        final = join(root, managed_key(record))
    else:  # the key is the real path inside the storage
        final = join(root, record.key)
        if transfer.exists(final):
            raise StorageError(
                f"cannot save artifact '{record.key}' with key_is_virtual=False: {final} "
                "exists already and is not overwritten"
            )
    intent = _begin_replacing(session, record, root, final)
    try:
        if intent is not None:
            replacing.set_aside(intent)
        if pending.staged is not None:
            pending.staged.place(final)
        elif pending.local_source is not None:
            with progress_bar(record.size or 0, f"uploading {record.key or record.uid}") as go:
                transfer.upload(pending.local_source, final, go)
    except BaseException:
        try:
            if pending.staged is not None:  # an interrupt after the link: it goes again
                pending.staged.unplace()
        finally:
            _give_back(intent)
        raise
    return Placement(record, pending, final, intent=intent)


def _begin_replacing(
    session: Any, record: Any, root: str, final: str
) -> replacing.Replacing | None:
    """For a store that versions share: settle an earlier replacement of it that was
    interrupted for good (its writer died), then write the intent record of this one."""
    if not versions.shares_store(record):
        return None
    shared_stores.settle_abandoned(session, root, final)
    stem = record.uid[: versions.stem_length(type(record))]
    return replacing.begin(root, final, stem, record.uid, record.hash)


def _give_back(intent: replacing.Replacing | None) -> None:
    """Placing failed: the store's previous content returns and the record is finished."""
    if intent is None:
        return
    completed = False
    try:
        replacing.put_back(intent)
        completed = True
    finally:
        intent.close(completed)


def _move_managed(
    session: Any, record: Any, pending: ArtifactPending, root: str
) -> Placement | None:
    """Bytes written into `.lamindb/` first (from_lazy): moved if versioning gave the
    artifact another uid than the one they were written under."""
    if pending.managed_uid is None or pending.local_path is None:
        return None
    final = join(root, managed_key(record))
    written_at = pending.local_path
    if not transfer.exists(written_at):
        raise StorageError(
            f"the bytes of artifact '{record.key or record.uid}' written to "
            f"{written_at} before saving are gone (`lamin check --fix` removes files "
            "in storage that have had no row for longer than its grace period)"
        )
    if final == written_at:
        return None
    intent = _begin_replacing(session, record, root, final)
    try:
        if intent is not None:
            replacing.set_aside(intent)
        transfer.move(written_at, final)
    except BaseException:
        _give_back(intent)
        raise
    pending.local_path = final
    return Placement(record, pending, final, intent=intent, written_at=written_at)


def _storage_root(session: Any, storage: type, storage_id: int) -> str:
    """The root of a storage; the default one is known without a query."""
    extras = connection().extras
    if storage_id == extras["storage_id"]:
        return str(extras["storage_root"])
    return str(session.get(storage, storage_id).root)


@dataclass
class SaveBatch:
    """New artifacts saved in one transaction, and what the save did to them so far."""

    items: list[tuple[Any, ArtifactPending]]
    before: list[dict[str, Any]]  # each record's column values before the transaction
    assigned: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # uid, hash
    placed: list[Placement] = field(default_factory=list)

    @property
    def model(self) -> type:
        return type(self.items[0][0])


def save_new_artifacts(items: list[tuple[Any, ArtifactPending]]) -> None:
    """Insert the rows of new artifacts in the transaction that places their bytes.

    One transaction for all of them: if it does not commit, no row stays, the bytes this save
    placed are taken back to staging and the records are new again. If the commit raised
    after the database committed (an interrupt at the wrong moment), the rows are there and
    so are their bytes: the failure handler asks the database before it removes anything.
    Rows go in with one INSERT at the end, except where a version needs the row before it (a
    key seen earlier in the batch, or demoting the versions it supersedes).
    """
    storage = registered.Storage
    ctx = save_context()
    for record, _pending in items:
        check_text_values(record)
        fill_defaults(record, ctx)
    records = [record for record, _ in items]
    batch = SaveBatch(items, column_values_before(records, model_info(type(records[0])).columns))
    site = run_links.output_call_site()
    try:
        with write_transaction() as session:
            _insert_batch(session, storage, batch)
            run_links.add_outputs(session, "artifact", records, site)
    except BaseException as exc:
        try:
            _after_failed_save(batch)
        finally:
            _let_go(batch.placed)
        if isinstance(exc, SAIntegrityError):
            keys = ", ".join(str(record.key or record.uid) for record in records[:3])
            raise IntegrityError(f"could not save artifact {keys}: {exc.orig}") from exc
        raise
    _finish_committed(batch.placed)
    for record, pending in items:
        clear_pending(record)
        for temp in pending.temp_files:
            transfer.remove(temp)
    for record, pending in items:
        if pending.features:
            _set_features(record, pending)


def _finish_committed(placed: list[Placement]) -> None:
    """The rows committed: drop the staging names and what their shared stores held
    before. An interrupt in here does not leave the rest undone (``done`` is idempotent)."""
    try:
        for placement in placed:
            placement.done()
    except BaseException:
        for placement in placed:
            try:
                placement.done()
            except Exception as exc:  # noqa: BLE001 - the interrupt is what propagates
                log.debug(f"could not finish placing {placement.location}: {exc}")
        raise
    finally:
        _let_go(placed)


def _let_go(placed: list[Placement]) -> None:
    """This save is over: a replacement of a shared store it did not finish (interrupted in
    its failure handler) is left to the next save of that store or `lamin check --fix`."""
    for placement in placed:
        if placement.intent is not None:
            placement.intent.close(completed=False)


def _set_features(record: Any, pending: ArtifactPending) -> None:
    """Artifact(..., features={...}): the values are set once the row exists; if they are
    refused, the artifact is deleted again (nothing half-saved)."""
    manager = record.features
    setter = getattr(manager, "set_values", None) or manager.add_values
    try:
        if pending.schema is not None and setter is not manager.add_values:
            setter(pending.features, schema=pending.schema)
        else:
            setter(pending.features)
    except BaseException:
        record.delete(permanent=True)
        raise


def _insert_batch(session: Any, storage: type, batch: SaveBatch) -> None:
    """Place each artifact's bytes and insert the rows, in the caller's transaction."""
    model = batch.model
    # a long ln.save() grows the table tenfold: the lookups below need fresh statistics
    statistics.refresh_if_stale_now_and_then(
        session.connection(),
        model.__table__.name,
        len(batch.items),
        connection().extras.setdefault("rows_since_statistics", {}),
    )
    share_placement(session.connection())  # `check --fix` waits until these rows commit
    keys = [record.key for record, _ in batch.items if record.key is not None]
    versions.lock_keys(session, model, keys)  # all keys first, in order: no deadlock
    with_latest = versions.keys_with_latest(session, model, keys)
    keys_in_batch: set[tuple[str, int | None]] = set()
    waiting: list[Any] = []  # placed, row not inserted yet
    for record, pending in batch.items:
        version_key = (record.key, pending.storage_id)
        if record.key is not None and version_key in keys_in_batch:
            _insert_waiting(session, waiting)  # the version this one supersedes
        key_is_new = version_key not in keys_in_batch and version_key not in with_latest
        keys_in_batch.add(version_key)
        previous = _place_artifact(session, storage, record, pending, batch, key_is_new)
        waiting.append(record)
        if previous is not None:
            _insert_waiting(session, waiting)
            versions.demote_others(session, record)
    _insert_waiting(session, waiting)


def _after_failed_save(batch: SaveBatch) -> None:
    """Undo what did not commit: bytes back to staging, records new again. Rows that did
    commit (the commit raised afterwards) keep their bytes and stay saved."""
    rows = committed_hashes(batch.model, [uid for uid, _ in batch.assigned.values()])
    if rows is None:  # the database cannot be asked: keep the bytes, never lose a row's
        log.warning(
            f"could not tell whether {len(batch.items)} artifact(s) were saved; their bytes "
            "stay where they are (`lamin check --fix` removes them later if no row has them)"
        )
        return
    saved = {
        key
        for key, (uid, file_hash) in batch.assigned.items()
        if uid in rows and rows[uid] == file_hash
    }
    unsaved = [
        (r, v) for (r, _), v in zip(batch.items, batch.before, strict=True) if id(r) not in saved
    ]
    forget_inserted([r for r, _ in unsaved], [v for _, v in unsaved])
    for placement in batch.placed:
        if id(placement.record) in saved:
            placement.done()
            clear_pending(placement.record)
        else:
            placement.undo()


def committed_hashes(model: type, uids: list[str]) -> dict[str, str | None] | None:
    """uid -> hash of the rows committed with these uids, asked on a connection of its own;
    None when the database cannot be asked."""
    if not uids:
        return {}
    table = model.__table__
    found: dict[str, str | None] = {}
    try:
        with pooled_connection(connection().engine) as db:
            for start in range(0, len(uids), 500):
                stmt = select(table.c.uid, table.c.hash).where(
                    table.c.uid.in_(uids[start : start + 500])
                )
                found.update({uid: hash_ for uid, hash_ in db.execute(stmt)})
    except Exception as exc:
        log.debug(f"could not ask which artifacts were saved: {exc}")
        return None
    return found


def _insert_waiting(session: Any, waiting: list[Any]) -> None:
    """Insert the rows of the artifacts placed so far (one executemany), then forget them."""
    if waiting:
        insert_new_records(session, type(waiting[0]), waiting)
        waiting.clear()


def _place_artifact(
    session: Any,
    storage: type,
    record: Any,
    pending: ArtifactPending,
    batch: SaveBatch,
    key_is_new: bool,
) -> Any | None:
    """Give one artifact its storage, uid and bytes in place (noted in `batch`); returns the
    version it supersedes. `key_is_new`: no version under its key exists (locked, asked)."""
    storage_known = pending.storage_id is not None
    if not storage_known:
        pending.storage_id = bootstrap.ensure_storage(
            session.connection(),
            pending.new_storage_root,
            storage_type(pending.new_storage_root),
            None,
            current_user_id(),
        )
    record.storage_id = pending.storage_id
    if pending.managed_uid is not None:  # bytes already at the place of this uid
        record.uid = pending.managed_uid
    # a storage registered by this save (pending.storage_id was None) may hold the key already
    known_new = key_is_new and storage_known and record.key is not None and pending.revises is None
    previous = versions.assign_uid(session, record, pending.revises, key_is_new=known_new)
    batch.assigned[id(record)] = (record.uid, record.hash)
    root = _storage_root(session, storage, record.storage_id)
    if previous is not None:
        log.info(f"creating new artifact version for key '{record.key}' in storage '{root}'")
    try:
        placement = _place_bytes(session, record, pending, root)
    except FileExistsError as exc:
        raise StorageError(
            f"could not save artifact '{record.key or record.uid}': {exc.filename} exists "
            "already in storage (uid collision); nothing was overwritten"
        ) from exc
    except OSError as exc:
        raise StorageError(
            f"could not put the bytes of artifact '{record.key or record.uid}' into {root}: {exc}"
        ) from exc
    if placement is not None:
        batch.placed.append(placement)
        if is_remote(root) and pending.local_source is not None:
            log.debug(f"uploaded to {placement.location}")
    return previous
