"""Objects of rows deleted for good never touch the row that takes their id later.

On SQLite a deleted row's id is given again to the next insert when it was the table's
highest (no AUTOINCREMENT): an object still held for the deleted row would update, delete
or link that other record. So:

- a bulk permanent delete (``QuerySet.delete(permanent=True)``) leaves every object this
  thread holds for a deleted row as ``record.delete(permanent=True)`` leaves its own: out of
  the session and marked deleted (``forget_deleted``). Its ``save()`` inserts it again with
  its id, as Django does, refused (``IntegrityError``) if another record holds that id now
  (an artifact's is refused: its bytes went with it); its ``delete()``, and reading or
  changing its many-to-many relations, raise ``DoesNotExist`` naming it;
- an update, a delete and a link change of a record held in any process first check, in
  their write transaction, that its id still holds its uid (``refuse_if_replaced``): a row
  deleted by another process, or whose id went to another record, is ``DoesNotExist``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select

from .. import log
from ..errors import DoesNotExist
from ..setup.session import read_session, records_held
from .display import record_repr

DELETED = "lamin_kernel_deleted_for_good"  # an instance state's info: its row is gone


def is_deleted(record: Any) -> bool:
    """Whether the record's row was deleted for good by this process (by any delete)."""
    state = inspect(record)
    return bool(state.was_deleted or state.info.get(DELETED))


def deleted_already(record: Any) -> bool:
    """Whether this process deleted the record's row for good already. Deleting it again does
    nothing (as in LaminDB, where the second delete finds no row) and so never reaches the
    record that may hold its id by now; a warning says so."""
    if not is_deleted(record):
        return False
    log.warning(f"{record_repr(record)} was deleted for good already: nothing to delete")
    return True


def refuse_deleted(record: Any, action: str) -> None:
    """DoesNotExist naming the record when its row was deleted for good (here, or by another
    process once a rollback made the record reload its fields)."""
    if is_deleted(record):
        raise DoesNotExist(deleted_message(record, action))
    state = inspect(record)
    if state.expired_attributes and state.identity is not None:  # a rollback expired it
        model = type(record)
        with read_session() as session:
            found = session.execute(select(model.id).where(model.id == state.identity[0])).first()
        if found is None:
            held = Identity(model.__name__, None, state.identity[0], None)
            raise DoesNotExist(deleted_message(held, action))


@dataclass(frozen=True)
class Identity:
    """What names a record in an error, read before a rollback may expire its fields."""

    registry: str
    uid: str | None
    id: int | None
    name: str | None

    @staticmethod
    def of(record: Any) -> Identity:
        values = record.__dict__
        name = values.get("name") or values.get("key")
        return Identity(type(record).__name__, values.get("uid"), values.get("id"), name)

    def __str__(self) -> str:
        named = f" '{self.name}'" if self.name else ""
        return f"{self.registry}{named} ({f'uid {self.uid}' if self.uid else f'id {self.id}'})"


def deleted_message(record: Any, action: str) -> str:
    """`record`: a record, or its Identity taken before a rollback."""
    held = record if isinstance(record, Identity) else None
    what = str(held) if held else record_repr(record)
    record_id = held.id if held else record.__dict__.get("id")
    return (
        f"cannot {action} {what}: its row was deleted for good (its id {record_id} may "
        "belong to another record by now)"
    )


def forget_deleted(
    model: type, deleted_ids: Iterable[int] | None = None, also: Iterable[Any] = ()
) -> None:
    """After a bulk permanent delete committed: this thread's objects of `model` whose rows
    went (`deleted_ids`, or asked of the database when None), and those of `also` (the
    QuerySet's own), leave the session, marked deleted."""
    held = list(
        {
            id(obj): obj
            for obj in [*records_held(), *also]
            if isinstance(obj, model) and obj.__dict__.get("id") is not None
        }.values()
    )
    if not held:
        return
    if deleted_ids is None:
        ids = [obj.id for obj in held]
        with read_session() as reader:
            present = set(reader.execute(select(model.id).where(model.id.in_(ids))).scalars())
        gone = {i for i in ids if i not in present}
    else:
        gone = set(deleted_ids)
    for obj in held:
        if obj.id in gone:
            state = inspect(obj)
            if state.session is not None:
                state.session.expunge(obj)
            state.info[DELETED] = True


def refuse_if_replaced(session: Any, record: Any, action: str) -> None:
    """Inside a write transaction: DoesNotExist unless the record's id still holds its uid
    (its row was not deleted, by this or another process, nor its id given to another)."""
    model = type(record)
    record_id = record.__dict__.get("id")
    if record_id is None or "uid" not in model.__table__.c or "uid" not in record.__dict__:
        return
    changed = inspect(record).attrs.uid.history.deleted  # the uid as saved, if changed since
    uid = changed[0] if changed else record.__dict__["uid"]
    found = session.execute(select(model.uid).where(model.id == record_id)).scalar()
    if found != uid:
        raise DoesNotExist(deleted_message(record, action))


def id_taken(record: Any) -> bool:
    """Whether another row holds the id of this record (deleted for good, saved again)."""
    model = type(record)
    with read_session() as reader:
        found = reader.execute(select(model.id).where(model.id == record.id)).first()
    return found is not None


def id_taken_message(record: Any) -> str:
    return (
        f"cannot save {record_repr(record)} again: it was deleted for good and its id "
        f"{record.id} belongs to another record now; make a new record instead"
    )
