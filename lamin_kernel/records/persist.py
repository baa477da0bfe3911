"""Saving, deleting and restoring records, one at a time or in bulk."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError as SAIntegrityError
from sqlalchemy.orm import make_transient
from sqlalchemy.orm.exc import StaleDataError

from .. import log, runtime
from ..db import statistics
from ..db.prefix_indexes import starts_with
from ..db.search_index import merge_pending_entries
from ..errors import DoesNotExist, IntegrityError, InvalidArgument
from ..setup import other_instances
from ..setup.session import (
    connection,
    current_branch_id,
    current_space_id,
    current_user_id,
    write_transaction,
)
from . import check_capture, deleted_records, instance_transfer, recover, unique_names, versions
from .construct import new_uid
from .display import record_repr
from .orm_internals import (
    announce_inserted,
    attach_persistent,
    column_values_before,
    forget_inserted,
)
from .pending import get_pending, without_run
from .registry import has_column, model_info

TRASH = -1
ANALYZE_AFTER_ROWS = 5000
# Called with a saved record before its changes are written (curation warns there when a
# rename leaves datasets behind); registered by the layers above, each catches its errors.
BEFORE_UPDATE: list[Callable[[Any], None]] = []


def register_before_update(func: Callable[[Any], None]) -> None:
    if func not in BEFORE_UPDATE:
        BEFORE_UPDATE.append(func)


@dataclass(frozen=True)
class SaveContext:
    """Who saves, in which run and on which branch: looked up once per save."""

    user_id: int
    run_id: int | None
    branch_id: int
    space_id: int = 1


def save_context() -> SaveContext:
    # the tracked run lives in the connected instance: records saved into another one
    # (save(using=...)) carry no lineage, as in LaminDB
    run_id = runtime.current_run_id() if runtime.connection_in_use() is None else None
    return SaveContext(current_user_id(), run_id, current_branch_id(), current_space_id())


def default_values(record: Any, ctx: SaveContext) -> dict[str, Any]:
    """The fields a new record gets filled in: uid, creator, run, branch (by attribute name)."""
    model = type(record)
    columns = model_info(model).db_names
    current = record.__dict__
    values: dict[str, Any] = {}
    if "uid" in columns and not current.get("uid"):
        values["uid"] = new_uid(model)
    if "created_by_id" in columns and current.get("created_by_id") is None:
        values["created_by_id"] = ctx.user_id
    if (
        "run_id" in columns
        and current.get("run_id") is None
        and ctx.run_id is not None
        and not without_run(record)
    ):
        values["run_id"] = ctx.run_id
    branch_id = current.get("branch_id", 1)
    if "branch_id" in columns and branch_id == 1:
        branch_id = values["branch_id"] = ctx.branch_id
    if "space_id" in columns and current.get("space_id", 1) == 1 and ctx.space_id != 1:
        values["space_id"] = ctx.space_id
    if "created_on_id" in columns and current.get("created_on_id", 1) == 1:
        values["created_on_id"] = branch_id if branch_id > 0 else ctx.branch_id
    return values


def fill_defaults(record: Any, ctx: SaveContext | None = None) -> None:
    """uid, creator, run and branch of a record that is about to be inserted (`ctx`: the
    save's context, when the caller fills many records)."""
    for key, value in default_values(record, ctx or save_context()).items():
        setattr(record, key, value)


def check_text_values(record: Any) -> None:
    """Refuse NUL characters in text fields: PostgreSQL cannot store them, so no backend does."""
    current = record.__dict__
    for key in model_info(type(record)).text_columns:
        value = current.get(key)
        if isinstance(value, str) and "\x00" in value:
            raise InvalidArgument(
                f"{type(record).__name__}.{key} contains a NUL character (\\x00); remove it"
            )


def is_new(record: Any) -> bool:
    return inspect(record).persistent is False and getattr(record, "id", None) is None


def save_record(
    record: Any,
    *args: Any,
    using: str | None = None,
    transfer: str | None = None,
    **kwargs: Any,
) -> None:
    """Insert or update one record; artifacts also move their bytes into place.

    `using` saves into another instance; a record read from another instance is
    transferred into the one in use (`transfer=` "sqlrecord" or "annotations").
    """
    if args or kwargs:
        raise InvalidArgument(f"save() takes no arguments, got {args or ''}{kwargs or ''}")
    if runtime.check_folder() is not None:
        check_capture.capture(record)  # a dry-run check writes nothing
        return
    if using is not None:
        with other_instances.using_instance(using):
            save_record(record, transfer=transfer)
        return
    source = other_instances.source_of(record)
    if source is not None:
        instance_transfer.transfer_record(record, source, transfer)
        return
    pending = get_pending(record)
    if pending is not None:
        pending.save(record)
        return
    check_text_values(record)
    held = deleted_records.Identity.of(record)  # for an error after a rollback expired it
    reinserted = deleted_records.is_deleted(record)
    if reinserted:
        # saving a record deleted for good inserts it again, with its id, as Django does
        # (not one whose delete removed more than its row: an artifact's bytes are gone)
        if hasattr(type(record), "__lk_before_permanent_delete__"):
            deleted_records.refuse_deleted(record, "save")
        make_transient(record)
        inspect(record).info.pop(deleted_records.DELETED, None)
    new = is_new(record)
    if new:
        fill_defaults(record)
    else:
        for hook in BEFORE_UPDATE:
            hook(record)
    # an update leaves the row where it is; only new rows go to the current branch
    to_branch = new and has_column(type(record), "branch_id")
    try:
        with write_transaction(to_branch=to_branch) as session:
            if new and unique_names.name_key(type(record)) is not None:
                unique_names.save_one(session, ROW_WRITER, record)
            elif (
                new
                and getattr(type(record), "__lk_versioned__", False)
                and has_column(type(record), "key")
            ):
                previous = versions.assign_uid(session, record, None) if record.key else None
                session.add(record)
                session.flush()
                if previous is not None:
                    versions.demote_others(session, record)
            else:
                if not reinserted:  # an update: of this record's own row only
                    deleted_records.refuse_if_replaced(session, record, "save")
                session.add(record)
    except DoesNotExist as exc:
        if isinstance(exc.__cause__, StaleDataError):  # its row went (another process)
            raise DoesNotExist(deleted_records.deleted_message(held, "save")) from exc
        raise
    except SAIntegrityError as exc:
        if reinserted and deleted_records.id_taken(record):
            raise IntegrityError(deleted_records.id_taken_message(record)) from exc
        if new and recover.adopt_same_uid(record):
            return
        if unique_names.is_name_violation(exc, record):
            raise IntegrityError(unique_names.name_taken(record, "save")) from exc
        raise IntegrityError(f"could not save {type(record).__name__}: {exc.orig}") from exc


def save_records(records: Iterable[Any]) -> list[Any]:
    """Insert many new records of one or more registries in bulk; update the others."""
    records = list(records)
    if runtime.check_folder() is not None:
        for record in records:
            check_capture.capture(record)  # a dry-run check writes nothing
        return records
    by_model: dict[type, list[Any]] = {}
    by_pending: dict[type, list[tuple[Any, Any]]] = {}
    for record in records:
        pending = get_pending(record)
        if pending is not None and hasattr(pending, "save_all"):
            by_pending.setdefault(type(pending), []).append((record, pending))
        elif pending is not None or not is_new(record):
            save_record(record)
        else:
            by_model.setdefault(type(record), []).append(record)
    for kind, items in by_pending.items():
        kind.save_all(items)  # e.g. artifacts: bytes placed and rows inserted per chunk
    for model, group in by_model.items():
        _bulk_insert(model, group)
    return records


def _bulk_insert(model: type, group: list[Any]) -> None:
    """One bulk INSERT for many new records, then the records become persistent."""
    info = model_info(model)
    to_branch = "branch_id" in info.db_names
    if "uid" not in info.db_names:
        with write_transaction(to_branch=to_branch) as session:
            session.add_all(group)
        return
    before = column_values_before(group, info.columns)
    try:
        with write_transaction(to_branch=to_branch) as session:
            if unique_names.name_key(model) is not None:
                unique_names.save_many(session, ROW_WRITER, model, group)
            else:
                insert_new_records(session, model, group)
    except BaseException as exc:
        forget_inserted(group, before)
        if isinstance(exc, SAIntegrityError):
            raise IntegrityError(
                f"could not save {len(group)} {model.__name__} records: {exc.orig}"
            ) from exc
        raise


def insert_new_records(session: Any, model: type, records: list[Any]) -> None:
    """INSERT new records of one registry in the session's transaction (in bulk), and
    make them persistent in the session: no unit-of-work flush, ~4x cheaper for one row."""
    info = model_info(model)
    ctx = save_context()
    names = [name for name in info.columns if name != "id"]
    columns = [info.db_names[name] for name in names]
    rows = []
    for record in records:
        check_text_values(record)
        current = record.__dict__
        current.update(default_values(record, ctx))
        _sync_foreign_keys(record, info.foreign_keys)
        rows.append(tuple([current.get(name) for name in names]))
    ids = _insert_rows(session, model, columns, rows)
    uid_at = columns.index("uid")
    for record, row in zip(records, rows, strict=True):
        current = record.__dict__
        for name in info.column_set.difference(current):  # inserted as NULL
            current[name] = None
        current["id"] = ids[row[uid_at]]
    attach_persistent(session, model, records)
    announce_inserted(session, model, records)


def _sync_foreign_keys(record: Any, foreign_keys: dict[str, str]) -> None:
    """``ULabel(type=kind)`` sets the relation; the bulk INSERT needs its id in ``type_id``."""
    current = record.__dict__
    for relation, column in foreign_keys.items():
        related = current.get(relation)
        if related is None or current.get(column) is not None:
            continue
        related_id = getattr(related, "id", None)
        if related_id is None:
            raise InvalidArgument(
                f"{record_repr(record)} refers to an unsaved {type(related).__name__} in "
                f"'{relation}'; save that first: {relation}.save()"
            )
        current[column] = related_id


def _insert_rows(
    session: Any, model: type, columns: list[str], rows: list[tuple]
) -> dict[str, int]:
    """Insert rows (values in the order of `columns`) and return uid -> id.

    SQLite: under the write lock an INTEGER PRIMARY KEY takes max(id)+1, +2, ... in order, so
    the ids follow from one SELECT, and the rows go to the driver in multi-row INSERTs with
    SQLAlchemy's own bind processors applied column by column (its per-row parameter
    handling was a third of a 100,000-label save). PostgreSQL: see _insert_postgres_rows.
    """
    table = model.__table__
    uid_at = columns.index("uid")
    sqlite = session.get_bind().dialect.name == "sqlite"
    if len(rows) == 1:
        params = dict(zip(columns, rows[0], strict=True))
        new_id = session.execute(insert(table).returning(table.c.id), params).scalar_one()
        return {rows[0][uid_at]: new_id}
    if sqlite:
        start = session.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        connection = session.connection()
        _insert_sqlite_rows(connection, table, columns, rows)
        ids = {row[uid_at]: start + i + 1 for i, row in enumerate(rows)}
    else:
        ids = _insert_postgres_rows(session.connection(), table, columns, rows, uid_at)
    if len(rows) >= ANALYZE_AFTER_ROWS:
        # Fresh planner statistics: without them SQLite sorts whole tables for a page of rows.
        if sqlite:
            statistics.refresh_if_stale(session.connection(), (table.name,))
        else:
            session.execute(text(f'ANALYZE "{table.name}"'))
            merge_pending_entries(session.connection(), table.name)
    return ids


def _insert_postgres_rows(
    connection: Any, table: Any, columns: list[str], rows: list[tuple], uid_at: int
) -> dict[str, int]:
    """One prepared INSERT executed for every row (psycopg pipelines them), then the new ids
    by uid. Not RETURNING: SQLAlchemy then inlines a thousand rows into one statement text,
    which psycopg parses placeholder by placeholder (half of a 1,000-artifact save)."""
    connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
    uids = [row[uid_at] for row in rows]
    ids: dict[str, int] = {}
    for begin in range(0, len(uids), UIDS_PER_QUERY):
        chunk = uids[begin : begin + UIDS_PER_QUERY]
        stmt = select(table.c.uid, table.c.id).where(table.c.uid.in_(chunk))
        ids.update({uid: rid for uid, rid in connection.execute(stmt)})
    return ids


UIDS_PER_QUERY = 1000


def _insert_sqlite_rows(connection: Any, table: Any, columns: list[str], rows: list[tuple]) -> None:
    """Multi-row INSERT statements of as many rows as SQLite's parameter limit allows.

    Not one executemany: a search index trigger writes an FTS5 table, and FTS5 flushes its
    pending terms at the end of every statement (25 us a row, against 3 us in batches).
    """
    bound = _bind(connection.dialect, table, columns, rows)
    raw = connection.connection.driver_connection
    per_statement = max(1, raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns))
    for begin in range(0, len(bound), per_statement):
        chunk = bound[begin : begin + per_statement]
        connection.exec_driver_sql(
            _sqlite_insert_sql(table, columns, len(chunk)), tuple(v for row in chunk for v in row)
        )


def _sqlite_insert_sql(table: Any, columns: list[str], n_rows: int) -> str:
    quoted = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join([f"({', '.join('?' * len(columns))})"] * n_rows)
    return f'INSERT INTO "{table.name}" ({quoted}) VALUES {values}'


def _bind(dialect: Any, table: Any, columns: list[str], rows: list[tuple]) -> list[tuple]:
    """Rows with each column's SQLAlchemy bind processor applied (datetimes to text, ...)."""
    processors = [
        (i, proc)
        for i, c in enumerate(columns)
        if (proc := table.c[c].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    if not processors:
        return rows
    bound = []
    for row in rows:
        values = list(row)
        for i, proc in processors:
            values[i] = proc(values[i])
        bound.append(tuple(values))
    return bound


def deleted_counts(model: type, count: int = 1) -> tuple[int, dict[str, int]]:
    """What a permanent delete returns, as LaminDB (Django) does: (count, {registry: count})."""
    module = getattr(model, "__lk_module__", "core")
    return count, {f"{'lamindb' if module == 'core' else module}.{model.__name__}": count}


ROW_WRITER = unique_names.RowWriter(
    insert=insert_new_records, forget=forget_inserted, attach=attach_persistent
)


def delete_record(
    record: Any, permanent: bool | None = None, after_delete: Any | None = None
) -> tuple[int, dict[str, int]] | None:
    """To trash first; for good when permanent=True or already in trash.

    Registries without a trash (User, Branch, Space, Storage) delete for good; asking them
    for a soft delete (permanent=False) is an error. An unsaved record is left as it is.
    `after_delete` runs once a permanent delete committed (an artifact's bytes removal);
    by default the registry's `__lk_before_permanent_delete__` plans it. A permanent delete
    returns (count, {registry: count}).
    """
    model = type(record)
    if deleted_records.deleted_already(record):
        return None
    deleted_records.refuse_deleted(record, "delete")
    if is_new(record):
        log.warning("record is not yet saved, delete has no effect")
        return None
    has_trash = has_column(model, "branch_id") and getattr(model, "__lk_has_trash__", True)
    if not has_trash and permanent is False:
        raise InvalidArgument(
            f"Soft delete is not possible for {model.__name__}, "
            "use 'permanent=True' or 'permanent=None' for permanent deletion."
        )
    in_trash = has_trash and record.branch_id == TRASH
    if permanent is False and in_trash:
        return None
    if has_trash and not permanent and not in_trash:
        with write_transaction(to_branch=False) as session:
            deleted_records.refuse_if_replaced(session, record, "delete")
            # the newest remaining version on this branch takes over as the latest (not of
            # versions sharing one store: it holds the trashed one's bytes, as in LaminDB)
            versioned = getattr(model, "__lk_versioned__", False)
            promotes = versioned and record.is_latest and not versions.shares_store(record)
            if promotes and versions.promote_previous(session, record):
                record.is_latest = False
            record.branch_id = TRASH
            session.add(record)
        log.info(f"moved record to trash: {record_repr(record)}")
        return None
    before = getattr(model, "__lk_before_permanent_delete__", None)
    after = after_delete or (before(record) if before is not None else None)
    try:
        with write_transaction(to_branch=False) as session:
            deleted_records.refuse_if_replaced(session, record, "delete")
            if getattr(model, "__lk_versioned__", False) and getattr(record, "is_latest", False):
                versions.promote_previous(session, record)
            _delete_links(session, record)
            session.delete(record)
    except SAIntegrityError as exc:  # other rows still point at it (a type's records, ...)
        raise IntegrityError(
            f"Cannot delete some instances of model '{model.__name__}' because they are "
            f"referenced through protected foreign keys: {exc.orig}"
        ) from exc
    if after is not None:
        after()
    log.info(f"permanently deleted {model.__name__} {getattr(record, 'uid', record.id)}")
    return deleted_counts(model)


def _delete_links(session: Any, record: Any) -> None:
    """Delete the record's rows in many-to-many link tables first, with one statement each.

    A record can be linked to another one several times (a label as the value of two
    features); the ORM would delete one link row per related record and find more.
    """
    state = inspect(record)
    modules = connection().extras.get("modules")
    relations = [
        r
        for r in state.mapper.relationships
        if r.secondary is not None
        and (
            modules is None
            or getattr(r.mapper.class_, "__lk_module__", "core") in {"core", *modules}
        )
    ]
    for rel in relations:
        if rel.viewonly:
            continue
        for local, remote in rel.synchronize_pairs:
            session.execute(
                delete(rel.secondary).where(
                    remote == getattr(record, state.mapper.get_property_by_column(local).key)
                )
            )
    if relations:
        session.expire(record, [r.key for r in relations])


def restore_record(record: Any) -> None:
    """Back from trash to the current branch; the newest version there becomes the latest
    again."""
    model = type(record)
    if not has_column(model, "branch_id"):
        raise InvalidArgument(f"{model.__name__} records have no trash to restore from")
    try:
        with write_transaction() as session:
            record.branch_id = current_branch_id()
            session.add(record)
            session.flush()
            if getattr(model, "__lk_versioned__", False) and _is_newest(session, record):
                record.is_latest = True
                session.flush()
                versions.demote_others(session, record)
    except SAIntegrityError as exc:
        if unique_names.is_name_violation(exc, record):
            raise IntegrityError(unique_names.name_taken(record, "restore")) from exc
        raise IntegrityError(f"could not restore {record_repr(record)}: {exc.orig}") from exc
    log.info(f"restored {model.__name__} {getattr(record, 'uid', record.id)}")


def _is_newest(session: Any, record: Any) -> bool:
    """The newest version on its branch; of versions sharing one store, on any branch (only
    the newest one's bytes are in the store)."""
    model = type(record)
    stem = record.uid[: versions.stem_length(model)]
    condition = [starts_with(model.uid, stem)]
    if not versions.shares_store(record):
        condition.append(model.branch_id == record.branch_id)
    newest = session.execute(select(func.max(model.id)).where(*condition)).scalar()
    return bool(newest == record.id)
