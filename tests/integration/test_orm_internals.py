"""The fast routes of records.orm_internals leave records as the public routes would."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_state

import lamin_kernel as ln
from lamin_kernel.records import orm_internals
from lamin_kernel.records.persist import insert_new_records
from lamin_kernel.setup.session import read_session, write_transaction


def state_of(record: Any) -> tuple:
    state = instance_state(record)
    return (
        state.persistent,
        state.key[0],
        len(state.key[1]),
        state.key[2],
        state.modified,
        dict(state.committed_state),
        sorted(state.expired_attributes),
    )


def test_the_private_attributes_the_fast_routes_use_exist(instance: dict) -> None:
    assert callable(getattr(Session, "_update_impl", None))
    label = ln.ULabel(name="fast route")
    state = instance_state(label)
    for name in ("key", "committed_state", "expired_attributes", "modified", "expired"):
        assert hasattr(state, name), name
    assert callable(state._commit_all)
    assert state.mapper._identity_class is ln.ULabel
    assert label.__pydantic_fields_set__ == {"name"}


def test_bulk_inserted_records_look_loaded(instance: dict) -> None:
    fast = [ln.ULabel(name=f"fast {i}") for i in range(3)]
    with write_transaction() as session:
        insert_new_records(session, ln.ULabel, fast)
        assert all(r in session and not session.is_modified(r) for r in fast)
    public = [ln.ULabel(name=f"public {i}") for i in range(3)]
    ln.save(public)
    for record in public:  # what the public route gives: a record loaded in a new session
        with read_session() as s:
            s.expunge(record)
            loaded = s.get(ln.ULabel, record.id)
        fast_record = fast[public.index(record)]
        assert state_of(fast_record)[:5] == state_of(loaded)[:5]
        assert state_of(fast_record)[5:] == ({}, [])
        columns = orm_internals.column_values_before([loaded], ["name", "uid", "is_type"])[0]
        assert set(columns) == {"name", "uid", "is_type"}


def test_the_public_route_gives_the_same_state(instance: dict) -> None:
    labels = [ln.ULabel(name=f"route {i}") for i in range(2)]
    ln.save(labels)
    other = [ln.ULabel(name=f"route public {i}") for i in range(2)]
    ln.save(other)
    with read_session() as session:
        for record in other:
            session.expunge(record)
        orm_internals.attach_persistent_public(session, other)
        assert all(r in session and inspect(r).persistent for r in other)
    assert [state_of(r) for r in labels] == [state_of(r) for r in other]


def test_rows_inserted_with_core_fire_after_insert(instance: dict) -> None:
    seen: list[str] = []

    def listener(_mapper: Any, _connection: Any, record: Any) -> None:
        seen.append(record.name)

    event.listen(ln.ULabel, "after_insert", listener)
    try:
        ln.save([ln.ULabel(name="announced 1"), ln.ULabel(name="announced 2")])
    finally:
        event.remove(ln.ULabel, "after_insert", listener)
    assert seen == ["announced 1", "announced 2"]


def test_mapped_classes_lists_the_registries(instance: dict) -> None:
    assert ln.Storage in orm_internals.mapped_classes()


def test_a_failed_bulk_insert_leaves_records_new_with_their_values(instance: dict) -> None:
    labels = [ln.ULabel(name="kept 1"), ln.ULabel(name="kept 2")]
    columns = [a.key for a in inspect(ln.ULabel).column_attrs]
    before = orm_internals.column_values_before(labels, columns)
    try:
        with write_transaction() as session:
            insert_new_records(session, ln.ULabel, labels)
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    orm_internals.forget_inserted(labels, before)
    assert [r.name for r in labels] == ["kept 1", "kept 2"]
    assert all(inspect(r).transient and r.id is None for r in labels)
    ln.save(labels)
    assert ln.ULabel.filter(name__startswith="kept").count() == 2
