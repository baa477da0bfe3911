"""The one place that reaches past SQLAlchemy's and SQLModel's public API, for speed.

Saving 100,000 records through the ORM's unit of work, and constructing them through
SQLModel's per-field validation, costs several times what the database needs. The fast
routes below use internals that these libraries do not promise to keep:

- ``attach_persistent``: the session's ``_update_impl`` and an instance state's ``key``,
  ``_commit_all``, ``committed_state``, ``modified``/``expired`` flags (SQLAlchemy);
- ``announce_inserted``: the mapper's event ``dispatch`` (SQLAlchemy);
- ``fill_new_record`` / ``new_blank_record``: the instance's ``__dict__``, the class
  manager's ``new_instance`` and pydantic's ``__pydantic_fields_set__``/``_extra__``/
  ``_private__`` slots (SQLModel over pydantic 2);
- ``collection_owner`` / ``collection_key``: a collection's ``_sa_adapter`` (SQLAlchemy).

Each was checked against the versions in ``VERIFIED``; ``tests/unit/test_orm_internals.py``
pins them (it fails on a version outside the range) and compares every fast route with the
public one it replaces. Outside the range the public routes are taken where there is one.
No other module touches a ``_private`` ORM attribute.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib.metadata import version
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import make_transient, make_transient_to_detached, object_session
from sqlalchemy.orm.attributes import instance_state

from ..errors import InvalidArgument
from .display import record_repr

# (lowest verified, first unverified) release of each library the fast routes rely on
VERIFIED: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "sqlalchemy": ((2, 0), (2, 2)),
    "sqlmodel": ((0, 0, 22), (0, 1)),
}


def release(package: str) -> tuple[int, ...]:
    """The installed release of a package as numbers ('2.1.9' -> (2, 1, 9))."""
    numbers = []
    for part in version(package).split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        if not digits:
            break
        numbers.append(int(digits))
        if digits != part:
            break
    return tuple(numbers)


@functools.cache
def fast_routes_verified() -> bool:
    """Whether the installed SQLAlchemy and SQLModel are releases the fast routes were
    checked against."""
    return all(low <= release(name) < high for name, (low, high) in VERIFIED.items())


# -- mapped classes -------------------------------------------------------------------------


def mapped_classes() -> list[type]:
    """Every class mapped by SQLModel's registry (public: ``registry.mappers``)."""
    from sqlmodel.main import default_registry

    return [mapper.class_ for mapper in default_registry.mappers]


# -- constructing records -------------------------------------------------------------------


def fill_new_record(
    record: Any, values: dict[str, Any], fields_set: Iterable[str], pydantic_slots: bool = True
) -> None:
    """Put column values straight into a new record, as SQLModel's constructor would leave
    them, without its per-field attribute events (no history is needed before an insert).
    `pydantic_slots=False` leaves pydantic's extra/private slots alone (set the field set only)."""
    record.__dict__.update(values)
    object.__setattr__(record, "__pydantic_fields_set__", set(fields_set))
    if pydantic_slots:
        object.__setattr__(record, "__pydantic_extra__", None)
        object.__setattr__(record, "__pydantic_private__", None)


def new_blank_record(model: type) -> Any:
    """A new instance of a mapped class with its ORM state and nothing else (no __init__)."""
    return inspect(model).class_manager.new_instance()


# -- bulk-inserted records join the session ---------------------------------------------------


def attach_persistent(session: Any, model: type, records: list[Any]) -> None:
    """Make freshly inserted records persistent in the session, as if loaded from the database.

    The public route (``make_transient_to_detached`` + ``add_all``) costs ~15 us a record,
    half of it cascading ``save-update`` over every relationship of every record; the records
    were inserted by foreign-key ids, so there is nothing to cascade. Every column must be in
    each record's ``__dict__`` (``insert_new_records`` sees to it).
    """
    update_impl = getattr(session, "_update_impl", None)
    if update_impl is None or not fast_routes_verified():
        attach_persistent_public(session, records)
        return
    for record in records:
        state = instance_state(record)
        if state.key:
            raise InvalidArgument(f"{record_repr(record)} is already saved")
        if state.session_id:  # added to a session but never flushed: it is inserted now
            object_session(record).expunge(record)
        values = state.dict
        state.key = (state.mapper._identity_class, (values["id"],), None)
        if state.expired_attributes or "_pending_mutations" in state.__dict__:
            state._commit_all(values)
        else:  # what _commit_all does for a record that was never loaded
            state.committed_state.clear()
            state.modified = state.expired = False
        update_impl(state)


def attach_persistent_public(session: Any, records: list[Any]) -> None:
    """The public route of ``attach_persistent`` (slower: cascades over relationships)."""
    for record in records:
        if object_session(record) is not None:
            object_session(record).expunge(record)
        if instance_state(record).key is None:
            make_transient_to_detached(record)
    session.add_all(records)


def has_insert_listeners(model: type) -> bool:
    """Whether anything listens to the mapper's ``after_insert`` event."""
    return bool(inspect(model).dispatch.after_insert)


def announce_inserted(session: Any, model: type, records: list[Any]) -> None:
    """Fire the mapper's ``after_insert`` event, as the ORM's flush would have, so listeners
    (the tracked run's output count) see rows inserted with Core like any other insert."""
    mapper = inspect(model)
    if not mapper.dispatch.after_insert:
        return
    connection = session.connection()
    for record in records:
        mapper.dispatch.after_insert(mapper, connection, instance_state(record))


def is_attached(record: Any) -> bool:
    """Whether the record has an identity (was inserted or loaded), in a session or not."""
    return instance_state(record).key is not None


def forget_inserted(records: Iterable[Any], before: Iterable[dict[str, Any]] | None = None) -> None:
    """After a rollback: records inserted in that transaction are new again (no id, no
    session). The ORM does this only for rows its own flush inserted; and its rollback expired
    their values, which ``before`` (from ``column_values_before``) puts back."""
    snapshots = iter(before) if before is not None else None
    for record in records:
        values = next(snapshots) if snapshots is not None else None
        state = instance_state(record)
        if state.key is not None:
            make_transient(record)
            record.__dict__.pop("id", None)
        elif state.transient:  # the ORM's own flush inserted it; its rollback kept the id
            record.__dict__.pop("id", None)
        if values is not None:
            record.__dict__.update(values)


def column_values_before(records: Iterable[Any], columns: Iterable[str]) -> list[dict[str, Any]]:
    """Each record's column values as they are now (for ``forget_inserted``)."""
    names = tuple(columns)
    out = []
    for record in records:
        current = record.__dict__
        out.append({name: current[name] for name in names if name in current and name != "id"})
    return out


def loaded_values_before(records: Iterable[Any]) -> list[dict[str, Any]]:
    """Each new record's column values and to-one relations (``type``) as they are now: a
    rollback expires both, and a relation may not have reached its column yet."""
    out = []
    for record in records:
        mapper = instance_state(record).mapper
        names = [c.key for c in mapper.column_attrs if c.key != "id"]
        names += [r.key for r in mapper.relationships if not r.uselist]
        current = record.__dict__
        out.append({name: current[name] for name in names if name in current})
    return out


def restore_new_records(records: Iterable[Any], before: Iterable[dict[str, Any]]) -> None:
    """After a rollback: records inserted in that transaction are new again, with the
    values of ``loaded_values_before`` set as a user sets them (so that a relation set
    there is written on the next save)."""
    records = list(records)
    forget_inserted(records)
    for record, values in zip(records, before, strict=True):
        current = record.__dict__
        for name, value in values.items():
            current.pop(name, None)
            setattr(record, name, value)


# -- many-to-many collections -----------------------------------------------------------------


ADAPTER_ATTRIBUTE = "_sa_adapter"  # set on a collection when SQLAlchemy starts managing it


def adapter_owner(adapter: Any | None) -> Any | None:
    """The record whose collection this adapter (the value of ADAPTER_ATTRIBUTE) manages."""
    return adapter.owner_state.obj() if adapter is not None else None


def collection_owner(collection: Any) -> Any | None:
    """The record a relationship collection belongs to, if SQLAlchemy still manages it."""
    return adapter_owner(getattr(collection, ADAPTER_ATTRIBUTE, None))


def collection_key(collection: Any) -> str:
    """The name of the relationship attribute a managed collection is the value of."""
    return str(getattr(collection, ADAPTER_ATTRIBUTE).attr.key)
