"""The methods of a relation's manager (`artifact.ulabels`, `project.records`, ...) that
LaminDB's RelatedManager has from Django's managers, with their meaning for a relation:

- reads (`contains`, `latest`, `earliest`, `in_bulk`, `iterator`, `none`, `reverse` and the
  loading hints) ask the QuerySet of the linked records (`get_queryset()`);
- `create` makes a record of the related registry, saves it and links it;
  `get_or_create` / `update_or_create` look among the linked records first, and a record
  they create is linked;
- `bulk_create` / `bulk_update` save records of the related registry in bulk without linking
  them, as Django's managers of many-to-many relations do (link them with `add`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..query.queryset import QuerySet
from ..query.queryset_django import get_or_create_in, update_or_create_in

if TYPE_CHECKING:
    from .related import RelatedManager


class DjangoRelatedMethods:
    """Mixed into RelatedManager; `self` is a RelatedManager."""

    def get_queryset(self: RelatedManager) -> QuerySet:
        """The linked records as a QuerySet (`all()`)."""
        return self.all()

    # -- reading -------------------------------------------------------------------------
    def contains(self: RelatedManager, obj: Any) -> bool:
        """Whether `obj` (a saved record of the related registry) is linked."""
        return self.all().contains(obj)

    def latest(self: RelatedManager, *fields: str) -> Any:
        return self.all().latest(*fields)

    def earliest(self: RelatedManager, *fields: str) -> Any:
        return self.all().earliest(*fields)

    def in_bulk(
        self: RelatedManager, id_list: list[Any] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, Any]:
        return self.all().in_bulk(id_list, field_name=field_name)

    def iterator(self: RelatedManager, chunk_size: int | None = None) -> Iterator[Any]:
        return self.all().iterator(chunk_size)

    def none(self: RelatedManager) -> QuerySet:
        return self.all().none()

    def reverse(self: RelatedManager) -> QuerySet:
        return self.all().reverse()

    def only(self: RelatedManager, *fields: str) -> QuerySet:
        return self.all().only(*fields)

    def defer(self: RelatedManager, *fields: str) -> QuerySet:
        return self.all().defer(*fields)

    def select_related(self: RelatedManager, *fields: str) -> QuerySet:
        return self.all().select_related(*fields)

    def prefetch_related(self: RelatedManager, *lookups: str) -> QuerySet:
        return self.all().prefetch_related(*lookups)

    # -- writing ---------------------------------------------------------------------------
    def create(self: RelatedManager, **kwargs: Any) -> Any:
        """A new record of the related registry, saved and linked."""
        self._saved_owner_id()  # refuse before anything is saved
        record = self._target_type()(**kwargs).save()
        self.add(record)
        return record

    def get_or_create(
        self: RelatedManager, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[Any, bool]:
        """(record, created): the linked record matching `kwargs`, else a new one made from
        `kwargs` and `defaults`, saved and linked."""
        return get_or_create_in(self.all(), self.create, defaults, kwargs)

    def update_or_create(
        self: RelatedManager,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> tuple[Any, bool]:
        """(record, created): the linked record matching `kwargs` with `defaults` set and
        saved, else a new one from `kwargs` and `create_defaults` (or `defaults`), linked."""
        return update_or_create_in(self.all(), self.create, defaults, create_defaults, kwargs)

    def bulk_create(
        self: RelatedManager,
        objs: list[Any],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: list[str] | None = None,
        unique_fields: list[str] | None = None,
    ) -> list[Any]:
        """Save new records of the related registry in bulk; they are not linked."""
        return QuerySet(self._target_type(), self._db()).bulk_create(
            objs,
            batch_size=batch_size,
            ignore_conflicts=ignore_conflicts,
            update_conflicts=update_conflicts,
            update_fields=update_fields,
            unique_fields=unique_fields,
        )

    def bulk_update(
        self: RelatedManager, objs: list[Any], fields: list[str], batch_size: int | None = None
    ) -> int:
        """Save the changes of saved records of the related registry."""
        return QuerySet(self._target_type(), self._db()).bulk_update(objs, fields, batch_size)
