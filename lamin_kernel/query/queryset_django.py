"""The QuerySet methods LaminDB users call that LaminDB inherits from Django's QuerySet:
`create`, `get_or_create`, `update_or_create`, `in_bulk`, `bulk_create`, `bulk_update`,
`reverse`, `ordered`, `describe`, and the loading hints `only`, `defer`,
`select_related`, `prefetch_related`.

The loading hints change how Django loads rows, never which records come back; here a
record is always read whole (its columns in one row, its relations when used), so the hints
give back an equal QuerySet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import IntegrityError, InvalidArgument

if TYPE_CHECKING:
    from .queryset import QuerySet


class DjangoQuerySetMethods:
    """Mixed into QuerySet; `self` is a QuerySet."""

    # -- writing through the selection's registry -------------------------------------
    def create(self: QuerySet, **kwargs: Any) -> Any:
        """A new record of the registry, saved (`Registry(**kwargs).save()`)."""
        return self.model(**kwargs).save()

    def get_or_create(self: QuerySet, defaults: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """(record, created): the one record matching `kwargs`, else a new saved one made
        from `kwargs` and `defaults`."""
        return get_or_create_in(self, self.create, defaults, kwargs)

    def update_or_create(
        self: QuerySet,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """(record, created): the record matching `kwargs` with `defaults` set and saved,
        else a new one from `kwargs` and `create_defaults` (or `defaults`)."""
        return update_or_create_in(self, self.create, defaults, create_defaults, kwargs)

    def bulk_create(
        self: QuerySet,
        objs: list[Any],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: list[str] | None = None,
        unique_fields: list[str] | None = None,
    ) -> list[Any]:
        """Save new records of this registry in bulk (as `ln.save`); returns them."""
        from ..records.persist import save_records

        if update_conflicts or update_fields or unique_fields:
            raise InvalidArgument(
                "bulk_create() does not update on conflict here; save the changed records"
            )
        records = _of_registry(self, objs, "bulk_create")
        size = batch_size or len(records) or 1
        for start in range(0, len(records), size):
            batch = records[start : start + size]
            try:
                save_records(batch)
            except IntegrityError:
                if not ignore_conflicts:
                    raise
                for record in batch:
                    _save_ignoring_conflict(record)
        return records

    def bulk_update(
        self: QuerySet, objs: list[Any], fields: list[str], batch_size: int | None = None
    ) -> int:
        """Save the changes of saved records; returns how many records were given."""
        from ..records.persist import save_records

        records = _of_registry(self, objs, "bulk_update")
        if not fields:
            raise ValueError("Field names must be given to bulk_update().")
        unknown = [name for name in fields if not hasattr(self.model, name)]
        if unknown:
            raise InvalidArgument(f"bulk_update(): {self.model.__name__} has no field {unknown}")
        if any(getattr(record, "id", None) is None for record in records):
            raise ValueError("All bulk_update() objects must have a primary key set.")
        size = batch_size or len(records) or 1
        for start in range(0, len(records), size):
            save_records(records[start : start + size])
        return len(records)

    # -- reading ---------------------------------------------------------------------------
    def in_bulk(
        self: QuerySet, id_list: list[Any] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, Any]:
        """{value of field_name: record} for the selected records (those in id_list)."""
        field = "id" if field_name == "pk" else field_name
        selected = self if id_list is None else self.filter(**{f"{field}__in": list(id_list)})
        if id_list is not None and not id_list:
            return {}
        return {getattr(record, field): record for record in selected}

    def reverse(self: QuerySet) -> QuerySet:
        """The same records in the opposite order (newest id first when unordered)."""
        clone = self._clone()
        order = clone._order or ["id"]
        clone._order = [spec[1:] if spec.startswith("-") else f"-{spec}" for spec in order]
        return clone

    @property
    def ordered(self: QuerySet) -> bool:
        """Whether an order was asked for (`order_by()`)."""
        return bool(self._order or self._order_exprs)

    def describe(self: QuerySet, return_str: bool = False) -> str | None:
        """The fields of the registry, as `Registry.describe()`."""
        return self.model.describe(return_str=return_str)

    # -- loading hints: the same records ---------------------------------------------------
    def only(self: QuerySet, *fields: str) -> QuerySet:
        _check_fields(self, fields)
        return self._clone()

    def defer(self: QuerySet, *fields: str) -> QuerySet:
        _check_fields(self, fields)
        return self._clone()

    def select_related(self: QuerySet, *fields: str) -> QuerySet:
        _check_fields(self, tuple(f.split("__")[0] for f in fields))
        return self._clone()

    def prefetch_related(self: QuerySet, *lookups: str) -> QuerySet:
        _check_fields(self, tuple(str(f).split("__")[0] for f in lookups))
        return self._clone()


def get_or_create_in(
    selection: QuerySet,
    create: Callable[..., Any],
    defaults: dict[str, Any] | None,
    kwargs: dict[str, Any],
) -> tuple[Any, bool]:
    """(record, created): the one record of `selection` matching `kwargs`, else
    `create(**kwargs, **defaults)` (a relation's manager creates and links)."""
    found = selection.filter(**kwargs).one_or_none()
    if found is not None:
        return found, False
    return create(**{**kwargs, **(defaults or {})}), True


def update_or_create_in(
    selection: QuerySet,
    create: Callable[..., Any],
    defaults: dict[str, Any] | None,
    create_defaults: dict[str, Any] | None,
    kwargs: dict[str, Any],
) -> tuple[Any, bool]:
    """(record, created): the record of `selection` matching `kwargs` with `defaults` set and
    saved, else `create(**kwargs, **(create_defaults or defaults))`."""
    found = selection.filter(**kwargs).one_or_none()
    if found is None:
        fields = create_defaults if create_defaults is not None else defaults
        return create(**{**kwargs, **(fields or {})}), True
    for name, value in (defaults or {}).items():
        setattr(found, name, value)
    return found.save(), False


def _check_fields(qs: QuerySet, fields: tuple[str, ...]) -> None:
    unknown = [name for name in fields if name is not None and not hasattr(qs.model, name)]
    if unknown:
        raise InvalidArgument(f"{qs.model.__name__} has no field {', '.join(unknown)}")


def _of_registry(qs: QuerySet, objs: Any, method: str) -> list[Any]:
    records = list(objs)
    for record in records:
        if not isinstance(record, qs.model):
            raise InvalidArgument(
                f"{method}() of {qs.model.__name__} got a {type(record).__name__}"
            )
    return records


def _save_ignoring_conflict(record: Any) -> None:
    """ignore_conflicts=True: a record that breaks a unique rule is left unsaved."""
    from ..records.persist import save_records

    try:
        save_records([record])
    except IntegrityError:
        return
