"""Many-to-many relations as managers: artifact.ulabels.add(label), .remove, .set, .all()."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm.collections import collection

from ..errors import InvalidArgument
from ..query.queryset import QuerySet
from ..setup import other_instances
from ..setup.session import write_transaction
from .record_list import SQLRecordList


class RelatedList(list):
    """The records linked through one relation; changes are saved at once, as in LaminDB."""

    @collection.internally_instrumented
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._owner_record: Any = None

    def __setattr__(self, name: str, value: Any) -> None:
        # SQLAlchemy links a collection to its owner by setting `_sa_adapter`, and holds the
        # owner weakly; `ln.ULabel.get(...).artifacts.all()` needs the owner alive.
        if name == "_sa_adapter":
            owner = value.owner_state.obj() if value is not None else None
            object.__setattr__(self, "_owner_record", owner)
        super().__setattr__(name, value)

    def _owner(self) -> Any:
        adapter = getattr(self, "_sa_adapter", None)
        owner = adapter.owner_state.obj() if adapter is not None else None
        owner = owner if owner is not None else getattr(self, "_owner_record", None)
        if owner is None:
            raise InvalidArgument("this relation is not attached to a record")
        return owner

    def _target_type(self) -> type:
        owner_type = type(self._owner())
        return inspect(owner_type).relationships[self._sa_adapter.attr.key].mapper.class_

    def _persist(self) -> None:
        with write_transaction() as session:
            session.add(self._owner())

    def _check(self, records: tuple) -> list[Any]:
        """The records to link or unlink, checked before anything changes (the owner too)."""
        owner = self._owner()
        if owner.id is None:
            raise InvalidArgument(
                "You are trying to access the many-to-many relationships of an unsaved "
                f"{type(owner).__name__} object. Please save it first using '.save()'."
            )
        items = [
            r
            for group in records
            for r in (
                group if isinstance(group, list | tuple | QuerySet | SQLRecordList) else [group]
            )
        ]
        target = self._target_type()
        for item in items:
            if not isinstance(item, target):
                raise InvalidArgument(
                    f"expected {target.__name__} records, got {type(item).__name__}"
                )
            if item.id is None:
                raise InvalidArgument(f"save the {target.__name__} '{item}' before linking it")
        return items

    @collection.internally_instrumented
    def add(self, *records: Any) -> None:
        """Link records (a record, several, or a list); already linked ones are skipped."""
        present = {r.id for r in self}
        for item in self._check(records):
            if item.id not in present:
                self.append(item)
                present.add(item.id)
        self._persist()

    @collection.remover
    def _remove_for_orm(self, item: Any) -> None:
        # SQLAlchemy's own remover (a backref unlinking this side): no save, unlike remove()
        list.remove(self, item)

    @collection.internally_instrumented
    def remove(self, *records: Any) -> None:  # type: ignore[override]
        """Unlink records."""
        ids = {r.id for r in self._check(records)}
        for index in reversed([i for i, r in enumerate(self) if r.id in ids]):
            del self[index]
        self._persist()

    @collection.internally_instrumented
    def set(self, records: Any) -> None:
        """Link exactly these records."""
        items = self._check((records,))
        for index in reversed(range(len(self))):
            del self[index]
        for item in items:
            self.append(item)
        self._persist()

    def all(self) -> QuerySet:
        # a record read from another instance: its linked records are queried there
        db = other_instances.connection_of(self._owner())
        return QuerySet(self._target_type(), db).filter(id__in=[r.id for r in self])

    def filter(self, *queries: Any, **expressions: Any) -> QuerySet:
        return self.all().filter(*queries, **expressions)

    def get(self, idlike: int | str | None = None, **expressions: Any) -> Any:
        """Exactly one of the linked records, by id, uid or lookups."""
        return self.all().get(idlike, **expressions)

    def to_dataframe(self, **kwargs: Any) -> Any:
        return self.all().to_dataframe(**kwargs)

    def to_list(self, field: str | None = None) -> list[Any]:
        """The linked records, or one field's values of them."""
        return self.all().to_list(field)

    def count(self) -> int:  # type: ignore[override]
        return len(self)

    def first(self) -> Any | None:
        return self[0] if self else None

    def last(self) -> Any | None:
        return self[-1] if self else None

    @property
    def through(self) -> type:
        """The link table's class (LaminDB's `artifact.schemas.through`)."""
        mapper = inspect(type(self._owner()))
        table = mapper.relationships[self._sa_adapter.attr.key].secondary
        for candidate in mapper.registry.mappers:
            if candidate.local_table is table:
                return candidate.class_
        raise AttributeError(f"no link class for {table}")
