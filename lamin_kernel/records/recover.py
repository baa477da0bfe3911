"""A new record whose uid is already in the registry: it stands for that row.

As in LaminDB: if the row is on main it is returned as it is; if it is elsewhere (the trash,
another branch) it takes the new record's fields and comes back to the current branch.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import make_transient, make_transient_to_detached

from .. import log
from ..setup.session import read_session, write_transaction
from .registry import has_column, model_info

KEPT = ("id", "created_at", "created_on_id")


def row_with_uid(model: type, uid: str) -> tuple[int, int] | None:
    """(id, branch_id) of the row with this uid, in any branch."""
    table = model.__table__
    with read_session() as session:
        row = session.execute(
            select(table.c.id, table.c.branch_id).where(table.c.uid == uid)
        ).first()
    return None if row is None else (int(row[0]), int(row[1]))


def adopt_same_uid(record: Any) -> bool:
    """After an insert failed on the uid: make `record` the row with its uid (True), or leave
    it as it is (False) when the uid is not what failed."""
    model = type(record)
    uid = record.__dict__.get("uid")
    if not uid or not has_column(model, "branch_id"):
        return False
    found = row_with_uid(model, uid)
    if found is None:
        return False
    record_id, branch_id = found
    if inspect(record).session is not None:
        make_transient(record)
    if branch_id == 1:
        log.warning(f"returning {model.__name__} record with same uid: '{uid}'")
    else:
        info = model_info(model)
        values = {
            info.db_names[key]: record.__dict__[key]
            for key in info.columns
            if key not in KEPT and key in record.__dict__
        }
        with write_transaction() as session:
            table = model.__table__
            session.execute(update(table).where(table.c.id == record_id).values(**values))
        log.info(f"restored {model.__name__} '{uid}' with the new fields from branch {branch_id}")
    _attach(record, record_id)
    return True


def _attach(record: Any, record_id: int) -> None:
    """Make an unsaved record stand for the registry's row `record_id`."""
    model = type(record)
    with read_session() as session:
        row = session.get(model, record_id, populate_existing=True)
        for attr in inspect(model).column_attrs:
            record.__dict__[attr.key] = getattr(row, attr.key)
        session.expunge(row)
        make_transient_to_detached(record)
        session.add(record)
