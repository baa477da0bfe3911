"""Saving, deleting and restoring records, one at a time or in bulk."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.exc import IntegrityError as SAIntegrityError
from sqlalchemy.orm import make_transient_to_detached

from .. import log, runtime
from ..db.uid import base62, encode_counter
from ..errors import IntegrityError, InvalidArgument
from ..setup.session import current_branch_id, current_user_id, write_transaction
from . import versions
from .display import record_repr
from .pending import get_pending
from .registry import has_column

TRASH = -1


def fill_defaults(record: Any) -> None:
    """uid, creator, run and branch of a record that is about to be inserted."""
    model = type(record)
    if has_column(model, "uid") and not record.uid:
        length = model.__lk_uid_length__
        record.uid = (
            (base62(length - 4) + encode_counter(0)) if model.__lk_versioned__ else base62(length)
        )
    if has_column(model, "created_by_id") and record.created_by_id is None:
        record.created_by_id = current_user_id()
    if has_column(model, "run_id") and record.run_id is None:
        run = runtime.current_run()
        if run is not None and run is not record:
            record.run_id = run.id
    if has_column(model, "branch_id") and record.branch_id == 1:
        record.branch_id = current_branch_id()
    if has_column(model, "created_on_id") and record.created_on_id == 1:
        record.created_on_id = record.branch_id if record.branch_id > 0 else current_branch_id()


def check_text_values(record: Any) -> None:
    """Refuse NUL characters in text fields: PostgreSQL cannot store them, so no backend does."""
    for attr in inspect(type(record)).column_attrs:
        value = getattr(record, attr.key)
        if isinstance(value, str) and "\x00" in value:
            raise InvalidArgument(
                f"{type(record).__name__}.{attr.key} contains a NUL character (\\x00); remove it"
            )


def is_new(record: Any) -> bool:
    return inspect(record).persistent is False and getattr(record, "id", None) is None


def save_record(record: Any, *args: Any, **kwargs: Any) -> None:
    """Insert or update one record; artifacts also move their bytes into place."""
    if args or kwargs:
        raise InvalidArgument(f"save() takes no arguments, got {args or ''}{kwargs or ''}")
    pending = get_pending(record)
    if pending is not None:
        pending.save(record)
        return
    check_text_values(record)
    new = is_new(record)
    if new:
        fill_defaults(record)
    try:
        with write_transaction() as session:
            if (
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
                session.add(record)
    except SAIntegrityError as exc:
        raise IntegrityError(f"could not save {type(record).__name__}: {exc.orig}") from exc


def save_records(records: Iterable[Any]) -> list[Any]:
    """Insert many new records of one or more registries in bulk; update the others."""
    records = list(records)
    by_model: dict[type, list[Any]] = {}
    for record in records:
        if get_pending(record) is not None or not is_new(record):
            save_record(record)
        else:
            by_model.setdefault(type(record), []).append(record)
    for model, group in by_model.items():
        _bulk_insert(model, group)
    return records


def _bulk_insert(model: type, group: list[Any]) -> None:
    for record in group:
        check_text_values(record)
        fill_defaults(record)
    columns = [a.key for a in inspect(model).column_attrs if a.key != "id"]
    rows = [{c: getattr(r, c) for c in columns} for r in group]
    table_columns = {a.key: a.columns[0].name for a in inspect(model).column_attrs}
    rows = [{table_columns[k]: v for k, v in row.items()} for row in rows]
    try:
        with write_transaction() as session:
            result = session.execute(
                insert(model.__table__).returning(
                    model.__table__.c.id, sort_by_parameter_order=True
                ),
                rows,
            )
            ids = [row[0] for row in result]
    except SAIntegrityError as exc:
        raise IntegrityError(
            f"could not save {len(group)} {model.__name__} records: {exc.orig}"
        ) from exc
    for record, rid in zip(group, ids, strict=True):
        record.id = rid
        make_transient_to_detached(record)
        session.add(record)


def delete_record(record: Any, permanent: bool | None = None) -> None:
    """To trash first; for good when permanent=True or already in trash."""
    model = type(record)
    if is_new(record):
        raise InvalidArgument(
            f"cannot delete an unsaved {model.__name__}; it is not in the registry"
        )
    in_trash = has_column(model, "branch_id") and record.branch_id == TRASH
    if permanent is False and in_trash:
        return
    if has_column(model, "branch_id") and not permanent and not in_trash:
        with write_transaction() as session:
            record.branch_id = TRASH
            session.add(record)
            if getattr(model, "__lk_versioned__", False) and record.is_latest:
                session.flush()
                versions.promote_previous(session, record)
        log.info(f"moved record to trash: {record_repr(record)}")
        return
    before = getattr(model, "__lk_before_permanent_delete__", None)
    after = before(record) if before is not None else None
    with write_transaction() as session:
        if getattr(model, "__lk_versioned__", False) and getattr(record, "is_latest", False):
            versions.promote_previous(session, record)
        session.delete(record)
    if after is not None:
        after()
    log.info(f"permanently deleted {model.__name__} {getattr(record, 'uid', record.id)}")


def restore_record(record: Any) -> None:
    """Back from trash to the current branch; the newest version becomes the latest again."""
    model = type(record)
    if not has_column(model, "branch_id"):
        raise InvalidArgument(f"{model.__name__} records have no trash to restore from")
    with write_transaction() as session:
        record.branch_id = current_branch_id()
        session.add(record)
        if getattr(model, "__lk_versioned__", False):
            session.flush()
            if _is_newest(session, record):
                record.is_latest = True
                session.flush()
                versions.demote_others(session, record)
    log.info(f"restored {model.__name__} {getattr(record, 'uid', record.id)}")


def _is_newest(session: Any, record: Any) -> bool:
    model = type(record)
    stem = record.uid[: versions.stem_length(model)]
    newest = session.execute(
        select(func.max(model.id)).where(
            model.uid.startswith(stem, autoescape=True), model.branch_id >= 0
        )
    ).scalar()
    return bool(newest == record.id)
