"""Set-based writes on a QuerySet: update() and bulk delete(), a few statements for any size.

`qs.update(**fields)` is one UPDATE. A bulk soft delete is one UPDATE to the trash, and the
versions it leaves without a latest one are promoted with one statement per branch (and
per 10,000 version families); a permanent delete is one DELETE. Registries whose records
carry more than a row set `__lk_delete_selected__` (artifacts and their bytes: deleted in
chunks by the records layer) or `__lk_delete_each__` (storage locations: one at a time).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, inspect, select, update
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from .. import log
from ..errors import FieldValidationError, IntegrityError, InvalidArgument
from ..records.deleted_records import forget_deleted
from ..setup.session import write_transaction

TRASH = -1
STEMS_PER_STATEMENT = 10_000


def update_values(model: type, fields: dict[str, Any]) -> dict[str, Any]:
    """Column values for `update(**fields)`: relations become their id columns."""
    mapper = inspect(model)
    columns = {attr.key for attr in mapper.column_attrs}
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in columns and name != "id":
            if hasattr(value, "__table__"):
                value = value.id
            if isinstance(value, str) and "\x00" in value:
                raise InvalidArgument(f"{model.__name__}.{name} contains a NUL character (\\x00)")
            values[name] = value
            continue
        relation = mapper.relationships.get(name)
        if relation is not None and not relation.uselist and len(relation.local_columns) == 1:
            local = next(iter(relation.local_columns))
            key = mapper.get_property_by_column(local).key
            if value is not None and getattr(value, "id", None) is None:
                raise InvalidArgument(f"update({name}=...) needs a saved record; call .save()")
            values[key] = None if value is None else value.id
            continue
        raise FieldValidationError(
            f"cannot update unknown field '{name}' of {model.__name__}; "
            f"fields: {', '.join(sorted(columns - {'id'}))}"
        )
    return values


def update_rows(qs: Any, fields: dict[str, Any]) -> int:
    """One UPDATE of the selected rows; returns how many rows changed."""
    model = qs.model
    values = update_values(model, fields)
    if not values:
        return 0
    stmt = update(model).where(*qs.where_for_write()).values(**values)
    stmt = stmt.execution_options(synchronize_session=False)
    try:
        with write_transaction() as session:
            return int(session.execute(stmt).rowcount or 0)
    except SAIntegrityError as exc:
        raise IntegrityError(f"could not update {model.__name__} records: {exc.orig}") from exc


def delete_rows(qs: Any, permanent: bool | None, storage: bool | None = None) -> None:
    """Delete the selected records: to the trash, or for good (permanent=True); `storage`
    (artifacts only) as in `artifact.delete()`."""
    model = qs.model
    delete_selected = getattr(model, "__lk_delete_selected__", None)
    if delete_selected is not None:
        delete_selected(qs, permanent, storage)
        return
    if storage is not None:
        raise InvalidArgument(
            f"delete() of {model.__name__} records takes no storage argument (artifacts only)"
        )
    if getattr(model, "__lk_delete_each__", False) or hasattr(
        model, "__lk_before_permanent_delete__"
    ):
        for record in list(qs):
            record.delete(permanent=permanent)
        return
    has_branch = "branch_id" in inspect(model).columns
    if permanent is False and not has_branch:
        raise InvalidArgument(
            f"Soft delete is not possible for {model.__name__}, "
            "use 'permanent=True' for permanent deletion."
        )
    versioned = getattr(model, "__lk_versioned__", False)
    with write_transaction() as session:
        heads = _latest_rows(session, qs) if versioned else []
        if has_branch and not permanent:
            session.execute(
                update(model)
                .where(*qs.where_for_write())
                .values(branch_id=TRASH)
                .execution_options(synchronize_session=False)
            )
            _promote_successors(session, model, heads, demote_trashed=True)
            log.info(f"moved {model.__name__} records to trash (branch_id = -1)")
            return
        try:
            session.execute(
                delete(model)
                .where(*qs.where_for_write())
                .execution_options(synchronize_session=False)
            )
        except SAIntegrityError as exc:
            raise IntegrityError(
                f"cannot delete these {model.__name__} records: other records refer to them "
                f"({exc.orig})"
            ) from exc
        _promote_successors(session, model, heads, demote_trashed=False)
    forget_deleted(model, also=qs.cached_records())


def _latest_rows(session: Any, qs: Any) -> list[tuple[int, str, int]]:
    """(id, uid, branch_id) of the selected records that are the latest of their versions."""
    model = qs.model
    stmt = select(model.id, model.uid, model.branch_id).where(
        *qs.where_for_write(), model.is_latest.is_(True)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(stmt)]


def _promote_successors(
    session: Any, model: type, heads: list[tuple[int, str, int]], demote_trashed: bool
) -> None:
    """Make the newest remaining version on the same branch the latest one; a trashed head
    that got a successor stops being the latest."""
    if not heads:
        return
    stem_length = int(model.__lk_uid_length__) - 4
    stem = func.substr(model.uid, 1, stem_length)
    by_branch: dict[int, dict[str, int]] = {}
    for record_id, uid, branch_id in heads:
        by_branch.setdefault(branch_id, {})[uid[:stem_length]] = record_id
    promoted: list[int] = []
    superseded: list[int] = []
    for branch_id, heads_by_stem in by_branch.items():
        for chunk in _chunks(list(heads_by_stem), STEMS_PER_STATEMENT):
            stmt = (
                select(stem, func.max(model.id))
                .where(model.branch_id == branch_id, stem.in_(chunk))
                .group_by(stem)
            )
            for family, newest in session.execute(stmt):
                promoted.append(newest)
                superseded.append(heads_by_stem[family])
    set_latest(session, model, promoted, True)
    if demote_trashed:
        set_latest(session, model, superseded, False)


def set_latest(session: Any, model: type, ids: list[int], value: bool) -> None:
    """Set `is_latest` of these rows, a statement per chunk of ids (the bulk deletes' share)."""
    for chunk in _chunks(ids, STEMS_PER_STATEMENT):
        session.execute(
            update(model)
            .where(model.id.in_(chunk))
            .values(is_latest=value)
            .execution_options(synchronize_session=False)
        )


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
