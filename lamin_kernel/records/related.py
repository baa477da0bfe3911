"""Many-to-many relations as managers: artifact.ulabels.add(label), .remove, .set, .all().

A relation is never loaded as a whole to be read or changed. `all()`, `filter()`, `count()`
and `to_dataframe()` are QuerySets of the related registry restricted to the ids in the link
table; `add`, `remove` and `set` write link rows with one statement per chunk of records and
look in the link table only for the records they are given. Linking 1,000 records costs the
same whether 10 or 1,000,000 are linked already.

The manager is SQLAlchemy's dynamic relationship (`lazy="dynamic"`, declared with
`linked()`), so records made in memory can still be given their links before they are saved
(`Collection(artifacts=[...])`) and the unit of work inserts those links at the flush.
Iterating a manager, `len()`, `in` and indexing read every linked record (of any branch) in
the order they were linked, as a list would.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import delete, func, insert, inspect, select
from sqlalchemy.orm import AppenderQuery, attributes

from .. import runtime
from ..errors import InvalidArgument
from ..query.pins import with_pins
from ..query.queryset import QuerySet
from ..query.relations import LinkTable, link_table
from ..setup import other_instances
from ..setup.session import read_session, write_transaction
from . import check_annotations, deleted_records
from .orm_internals import announce_inserted, has_insert_listeners
from .record_list import SQLRecordList
from .related_django import DjangoRelatedMethods

CHUNK = 500  # ids per IN list: well below SQLite's and PostgreSQL's bound-parameter limits


def linked(**options: Any) -> dict[str, Any]:
    """`sa_relationship_kwargs` of a many-to-many relation read and changed as a manager.

    Deleting a record leaves its link rows to the database (their foreign keys cascade),
    rather than loading every linked record to delete them one by one.
    """
    return {"lazy": "dynamic", "query_class": RelatedManager, "passive_deletes": True, **options}


class LinkedTo:
    """filter() condition: records linked to one owner record through a link table."""

    def __init__(self, link: LinkTable, owner_id: int) -> None:
        self.link, self.owner_id = link, owner_id

    def to_condition(self, model: type) -> Any:
        return model.id.in_(self.link.linked_ids(self.owner_id))

    def __repr__(self) -> str:
        return f"LinkedTo({self.link.table.name}, {self.owner_id})"


class RelatedManager(DjangoRelatedMethods, AppenderQuery):
    """The records linked to one record through one relation; changes are saved at once."""

    # -- what it is about ---------------------------------------------------------------
    def _target_type(self) -> type:
        return self.attr.target_mapper.class_

    def _link(self) -> LinkTable:
        rel = inspect(type(self.instance)).relationships[self.attr.key]
        link = link_table(rel)
        if link is None:
            raise InvalidArgument(f"'{self.attr.key}' is not a many-to-many relation")
        return link

    def _owner_id(self) -> int | None:
        """The owner's id once it is saved (None before); refused once deleted for good."""
        deleted_records.refuse_deleted(self.instance, f"use the '{self.attr.key}' relation of")
        return self.instance.id if inspect(self.instance).key is not None else None

    def _saved_owner_id(self) -> int:
        owner_id = self._owner_id()
        if owner_id is None:
            raise InvalidArgument(
                "You are trying to access the many-to-many relationships of an unsaved "
                f"{type(self.instance).__name__} object. Please save it first using '.save()'."
            )
        return owner_id

    def _db(self) -> runtime.Connection | None:
        """The instance the owner was read from (None: the connected one)."""
        return other_instances.connection_of(self.instance)

    def _in_db(self) -> AbstractContextManager[None]:
        """The block in which this relation's SQL runs: against the owner's instance."""
        return runtime.using_connection(self._db())

    @property
    def through(self) -> type:
        """The link table's class (LaminDB's `artifact.schemas.through`)."""
        model = _mapped_class_of(self._link().table)
        if model is None:
            raise AttributeError(f"no link class for {self._link().table.name}")
        return model

    def _pending(self) -> list[Any]:
        """Records given to an unsaved owner's relation (inserted when it is saved)."""
        history = attributes.get_history(
            self.instance, self.attr.key, passive=attributes.PASSIVE_NO_INITIALIZE
        )
        return list(history.added or ())

    # -- reading: QuerySets ---------------------------------------------------------------
    def all(self) -> QuerySet:  # type: ignore[override]
        """The linked records as a QuerySet (of the branches in view)."""
        owner_id = self._owner_id()
        target = QuerySet(self._target_type(), self._db())
        if owner_id is None:
            return target.filter(id__in=[r.id for r in self._pending() if r.id is not None])
        return target.filter(LinkedTo(self._link(), owner_id))

    def filter(self, *queries: Any, **expressions: Any) -> QuerySet:  # type: ignore[override]
        return self.all().filter(*queries, **expressions)

    def exclude(self, *queries: Any, **expressions: Any) -> QuerySet:
        return self.all().exclude(*queries, **expressions)

    def order_by(self, *fields: str) -> QuerySet:  # type: ignore[override]
        return self.all().order_by(*fields)

    def get(self, idlike: Any = None, **expressions: Any) -> Any:  # type: ignore[override]
        return self.all().get(idlike, **expressions)

    def count(self) -> int:
        return self.all().count()

    def exists(self) -> bool:  # type: ignore[override]
        return self.all().exists()

    def first(self) -> Any | None:
        return self.all().first()

    def last(self) -> Any | None:
        return self.all().last()

    def one(self) -> Any:
        return self.all().one()

    def one_or_none(self) -> Any | None:
        return self.all().one_or_none()

    def to_list(self, field: str | None = None) -> list[Any]:
        return self.all().to_list(field)

    list = to_list

    def values_list(self, *fields: str, flat: bool = False, named: bool = False) -> list[Any]:
        return self.all().values_list(*fields, flat=flat, named=named)

    def to_dataframe(self, **kwargs: Any) -> Any:
        return self.all().to_dataframe(**kwargs)

    df = to_dataframe

    def search(self, string: str, **kwargs: Any) -> QuerySet:
        return self.all().search(string, **kwargs)

    def lookup(self, field: str | None = None) -> Any:
        return self.all().lookup(field)

    # -- reading: list-like (every linked record, in link order) --------------------------
    def _linked_statement(self, owner_id: int) -> Any:
        link, target = self._link(), self._target_type()
        return (  # from the link table: a module's guard answers it as a link read
            select(target)
            .select_from(link.table)
            .join(target, link.target_column == target.id)
            .where(link.owner_column == owner_id)
            .order_by(*link.table.primary_key.columns)
        )

    def _read(self, stmt: Any) -> list[Any]:
        return list(self._execute(stmt, records=True))

    def _execute(self, stmt: Any, records: bool = False) -> Any:
        """Run a SELECT against the owner's instance: its rows (records, with records=True, as a
        rerun pins them: ``query.pins``, like a QuerySet's)."""
        with self._in_db(), read_session() as session:
            if not records:
                return session.execute(stmt).all()
            found = list(session.scalars(stmt).unique().all())
            if self._db() is not None:  # another instance: not pinned (rerun_pins)
                return found
            return with_pins(session, self._target_type(), found)

    def __iter__(self) -> Iterator[Any]:
        owner_id = self._owner_id()
        if owner_id is None:
            return iter(self._pending())
        return iter(self._read(self._linked_statement(owner_id)))

    def __len__(self) -> int:
        owner_id = self._owner_id()
        if owner_id is None:
            return len(self._pending())
        link = self._link()
        stmt = select(func.count(link.target_column.distinct())).where(
            link.owner_column == owner_id
        )
        rows = self._execute(stmt)
        return int(rows[0][0]) if rows else 0

    def __bool__(self) -> bool:
        owner_id = self._owner_id()
        if owner_id is None:
            return bool(self._pending())
        link = self._link()
        stmt = select(link.target_column).where(link.owner_column == owner_id).limit(1)
        return bool(self._execute(stmt))

    def __contains__(self, item: Any) -> bool:
        owner_id = self._owner_id()
        if owner_id is None or getattr(item, "id", None) is None:
            return any(r is item for r in self._pending())
        link = self._link()
        stmt = select(link.target_column).where(
            link.owner_column == owner_id, link.target_column == item.id
        )
        return bool(self._execute(stmt.limit(1)))

    def __getitem__(self, index: int | slice) -> Any:  # type: ignore[override]
        owner_id = self._owner_id()
        if owner_id is None:
            return self._pending()[index]
        if isinstance(index, slice):
            if (index.start or 0) < 0 or (index.stop or 0) < 0 or index.step:
                raise InvalidArgument("slices of a relation take non-negative start and stop")
            stmt = self._linked_statement(owner_id).offset(index.start or 0)
            if index.stop is not None:
                stmt = stmt.limit(max(index.stop - (index.start or 0), 0))
            return self._read(stmt)
        if not isinstance(index, int) or index < 0:
            raise InvalidArgument("a relation's index must be a non-negative integer")
        rows = self._read(self._linked_statement(owner_id).offset(index).limit(1))
        if not rows:
            raise IndexError(f"{self.attr.key}[{index}] is out of range")
        return rows[0]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        records = self[0:11]
        inner = ", ".join(repr(r) for r in records[:10]) + (", ..." if len(records) > 10 else "")
        return f"[{inner}]"

    # -- changing --------------------------------------------------------------------------
    def _owner_still_there(self, session: Any) -> None:
        """The owner's id still holds its row (another process may have deleted it)."""
        deleted_records.refuse_if_replaced(
            session, self.instance, f"change the '{self.attr.key}' relation of"
        )

    def _ids_to_link(self, records: tuple) -> list[int]:
        """The ids of the records given (records, lists, QuerySets), checked before any change."""
        target = self._target_type()
        ids: list[int] = []
        for group in records:
            if isinstance(group, QuerySet):
                if group.model is not target:
                    raise InvalidArgument(
                        f"expected {target.__name__} records, got a QuerySet of "
                        f"{group.model.__name__}"
                    )
                ids.extend(group.to_list("id"))
                continue
            items = group if isinstance(group, list | tuple | SQLRecordList) else [group]
            for item in items:
                if not isinstance(item, target):
                    raise InvalidArgument(
                        f"expected {target.__name__} records, got {type(item).__name__}"
                    )
                deleted_records.refuse_deleted(item, "link")
                if item.id is None:
                    raise InvalidArgument(f"save the {target.__name__} '{item}' before linking it")
                ids.append(item.id)
        return list(dict.fromkeys(ids))

    def _captured(self, op: str, records: tuple) -> bool:
        """In a dry-run check the change is captured for the comparison, not written."""
        if not check_annotations.active():
            return False
        labels = check_annotations.label_records(records)
        check_annotations.capture_annotation(self.instance, self.attr.key, op, labels)
        return True

    def add(self, *records: Any) -> None:  # type: ignore[override]
        """Link records (a record, several, a list or a QuerySet); linked ones are skipped."""
        if self._captured("add", records):
            return
        owner_id = self._saved_owner_id()
        ids = self._ids_to_link(records)
        link = self._link()
        with self._in_db(), write_transaction() as session:
            self._owner_still_there(session)
            present: set[int] = set()
            for chunk in _chunks(ids):
                stmt = select(link.target_column).where(
                    link.owner_column == owner_id, link.target_column.in_(chunk)
                )
                present.update(session.execute(stmt).scalars())
            _insert_links(session, link, owner_id, [i for i in ids if i not in present])

    def remove(self, *records: Any, bulk: bool = True) -> None:  # type: ignore[override]
        """Unlink records (always in one statement per chunk: `bulk` is Django's choice
        between that and one save per record, which link rows do not need)."""
        if self._captured("remove", records):
            return
        owner_id = self._saved_owner_id()
        ids = self._ids_to_link(records)
        link = self._link()
        with self._in_db(), write_transaction() as session:
            self._owner_still_there(session)
            for chunk in _chunks(ids):
                session.execute(
                    delete(link.table).where(
                        link.owner_column == owner_id, link.target_column.in_(chunk)
                    )
                )

    def set(self, objs: Any, *, bulk: bool = True, clear: bool = False) -> None:
        """Link exactly these records: unlink the others and link the new ones, or with
        clear=True unlink all and link them all again (`bulk` as in `remove`)."""
        if self._captured("set", (objs,)):
            return
        owner_id = self._saved_owner_id()
        ids = self._ids_to_link((objs,))
        link = self._link()
        with self._in_db(), write_transaction() as session:
            self._owner_still_there(session)
            if clear:
                session.execute(delete(link.table).where(link.owner_column == owner_id))
                current: set[int] = set()
            else:
                current = set(session.execute(link.linked_ids(owner_id)).scalars())
            wanted = set(ids)
            for chunk in _chunks(sorted(current - wanted)):
                session.execute(
                    delete(link.table).where(
                        link.owner_column == owner_id, link.target_column.in_(chunk)
                    )
                )
            _insert_links(session, link, owner_id, [i for i in ids if i not in current])

    def clear(self) -> None:
        """Unlink every record."""
        if self._captured("clear", ()):
            return
        owner_id = self._saved_owner_id()
        link = self._link()
        with self._in_db(), write_transaction() as session:
            self._owner_still_there(session)
            session.execute(delete(link.table).where(link.owner_column == owner_id))


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _insert_links(session: Any, link: LinkTable, owner_id: int, ids: list[int]) -> None:
    """Insert link rows with one executemany; listeners of the link's mapped class (the
    tracked run's input count) hear of them as of rows the ORM inserted."""
    if not ids:
        return
    owner_key, target_key = link.owner_column.key, link.target_column.key
    rows = [{owner_key: owner_id, target_key: i} for i in ids]
    session.execute(insert(link.table), rows)
    model = _mapped_class_of(link.table)
    if model is not None and has_insert_listeners(model):
        announce_inserted(session, model, [model(**row) for row in rows])


def _mapped_class_of(table: Any) -> type | None:
    """The class mapped to a link table (SQLModel's link_model), if any."""
    from sqlmodel.main import default_registry

    for mapper in default_registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    return None
