"""QuerySet: a lazy, chainable selection of records of one registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import and_, func, inspect, not_, select
from sqlalchemy.sql.elements import ColumnElement

from ..db.hints import unindexed
from ..errors import DoesNotExist, FieldValidationError, InvalidArgument, MultipleResultsFound
from ..setup.session import end_read, get_session, visible_branch_ids
from .dataframe import queryset_dataframe
from .lookups import build_condition, order_clause
from .q import Q
from .search import id_order, lookup_records, search_records

BRANCH_FIELDS = ("branch", "branch_id")


class QuerySet:
    """Records of `model` matching the filters; evaluated when iterated, counted or listed."""

    def __init__(self, model: type) -> None:
        self.model = model
        self._where: list[ColumnElement] = []
        self._order: list[str] = []
        self._order_exprs: list[Any] = []
        self._distinct = False
        self._offset: int | None = None
        self._limit: int | None = None
        self._branch_given = False
        self._cache: list[Any] | None = None

    # -- building ----------------------------------------------------------------------
    def _clone(self) -> QuerySet:
        clone = QuerySet(self.model)
        clone._where = list(self._where)
        clone._order = list(self._order)
        clone._order_exprs = list(self._order_exprs)
        clone._distinct = self._distinct
        clone._offset, clone._limit = self._offset, self._limit
        clone._branch_given = self._branch_given
        return clone

    def _conditions(self, queries: tuple, expressions: dict) -> list[ColumnElement]:
        conditions = []
        for query in queries:
            if not isinstance(query, Q):
                raise InvalidArgument(
                    f"filter() takes Q objects and keyword lookups, got {type(query).__name__}"
                )
            conditions.append(query.to_condition(self.model))
        for expression, value in expressions.items():
            conditions.append(build_condition(self.model, expression, value))
        return conditions

    def _mentions_branch(self, queries: tuple, expressions: dict) -> bool:
        names = [e.split("__", 1)[0] for e in expressions]
        names += [repr(q) for q in queries]
        return any(b in n for n in names for b in BRANCH_FIELDS)

    def filter(self, *queries: Any, **expressions: Any) -> QuerySet:
        """Narrow down by lookups (`key__startswith="a/"`) and Q objects."""
        clone = self._clone()
        clone._where += self._conditions(queries, expressions)
        clone._branch_given |= self._mentions_branch(queries, expressions)
        return clone

    def exclude(self, *queries: Any, **expressions: Any) -> QuerySet:
        """Leave out records matching all the given lookups."""
        clone = self._clone()
        conditions = self._conditions(queries, expressions)
        if conditions:
            clone._where.append(not_(and_(*conditions)))
        return clone

    def order_by(self, *fields: str) -> QuerySet:
        for spec in fields:
            order_clause(self.model, spec)  # validates the name now, not at evaluation
        clone = self._clone()
        clone._order = list(fields)
        clone._order_exprs = []
        return clone

    def in_id_order(self, ids: list[int]) -> QuerySet:
        """These ids only, in this order (search results keep their ranking)."""
        clone = self._clone()
        clone._where.append(self.model.id.in_(ids))
        clone._order_exprs = [id_order(self.model, ids)] if ids else []
        return clone

    def distinct(self) -> QuerySet:
        clone = self._clone()
        clone._distinct = True
        return clone

    def all(self) -> QuerySet:
        return self._clone()

    # -- SQL ---------------------------------------------------------------------------
    def _where_clause(self) -> list[ColumnElement]:
        conditions = list(self._where)
        if not self._branch_given and "branch_id" in inspect(self.model).columns:
            # main + the current branch hold most rows: never a reason to walk branch_id's index
            conditions.append(unindexed(self.model.branch_id).in_(visible_branch_ids()))
        return conditions

    def statement(self, *columns: Any) -> Any:
        """The SELECT for this QuerySet (of records, or of the given columns)."""
        stmt = select(*columns) if columns else select(self.model)
        stmt = stmt.where(*self._where_clause())
        orders = self._order_exprs + [order_clause(self.model, o) for o in self._order]
        orders = orders or [self.model.id.asc()]
        stmt = stmt.order_by(*orders)
        if self._distinct:
            stmt = stmt.distinct()
        if self._offset:
            stmt = stmt.offset(self._offset)
        if self._limit is not None:
            stmt = stmt.limit(self._limit)
        return stmt

    def id_subquery(self) -> Any:
        """A subquery of the matching ids, to nest in another query."""
        return (
            self.statement(self.model.id).scalar_subquery()
            if self._limit is not None
            else (select(self.model.id).where(*self._where_clause()))
        )

    def _fetch(self) -> list[Any]:
        session = get_session()
        stmt = self.statement().execution_options(populate_existing=True)
        try:
            return list(session.scalars(stmt).unique())
        finally:
            end_read(session)

    # -- evaluation --------------------------------------------------------------------
    def to_list(self, field: str | None = None) -> list[Any]:
        """The records, or one field's values."""
        if field is None:
            return list(self)
        if field not in inspect(self.model).columns and field not in {
            a.key for a in inspect(self.model).column_attrs
        }:
            raise FieldValidationError(f"unknown field '{field}' for {self.model.__name__}")
        session = get_session()
        try:
            return list(session.scalars(self.statement(getattr(self.model, field))))
        finally:
            end_read(session)

    list = to_list

    def __iter__(self) -> Iterator[Any]:
        if self._cache is None:
            self._cache = self._fetch()
        return iter(self._cache)

    def __len__(self) -> int:
        return len(list(iter(self)))

    def __bool__(self) -> bool:
        return self.exists()

    def __getitem__(self, item: int | slice) -> Any:
        if isinstance(item, slice):
            if (item.start or 0) < 0 or (item.stop is not None and item.stop < 0) or item.step:
                raise InvalidArgument("QuerySet slices take non-negative start and stop, no step")
            clone = self._clone()
            start = item.start or 0
            clone._offset = (self._offset or 0) + start
            if item.stop is not None:
                clone._limit = max(item.stop - start, 0)
            return clone
        if not isinstance(item, int) or item < 0:
            raise InvalidArgument("QuerySet index must be a non-negative integer")
        rows = list(self[item : item + 1])
        if not rows:
            raise IndexError(f"QuerySet index {item} out of range")
        return rows[0]

    def count(self) -> int:
        session = get_session()
        inner = self.statement(self.model.id).order_by(None).subquery()
        try:
            return int(session.execute(select(func.count()).select_from(inner)).scalar_one())
        finally:
            end_read(session)

    def exists(self) -> bool:
        return bool(list(self[0:1]))

    def first(self) -> Any | None:
        rows = list(self[0:1])
        return rows[0] if rows else None

    def last(self) -> Any | None:
        orders = self._order or ["id"]  # search order is dropped: last of the ids
        flipped = [o[1:] if o.startswith("-") else f"-{o}" for o in orders]
        return self.order_by(*flipped).first()

    def one(self) -> Any:
        rows = list(self[0:2])
        if not rows:
            raise DoesNotExist(f"no {self.model.__name__} matches the query")
        if len(rows) > 1:
            raise MultipleResultsFound(f"more than one {self.model.__name__} matches the query")
        return rows[0]

    def one_or_none(self) -> Any | None:
        try:
            return self.one()
        except DoesNotExist:
            return None

    def get(self, idlike: int | str | None = None, **expressions: Any) -> Any:
        """Exactly one record, by id, uid, uid stem (latest version) or lookups."""
        qs = self
        if isinstance(idlike, bool):
            raise InvalidArgument("get() takes an id, a uid or lookups, not a bool")
        if isinstance(idlike, int):
            qs = qs.filter(id=idlike)
        elif isinstance(idlike, str):
            qs = (
                qs.filter(uid__startswith=idlike)
                if _is_stem(self.model, idlike)
                else qs.filter(uid=idlike)
            )
        elif idlike is not None:
            raise InvalidArgument(f"get() takes an id or a uid, got {type(idlike).__name__}")
        qs = qs.filter(**expressions) if expressions else qs
        rows = list(qs[0:2]) if not getattr(self.model, "__lk_versioned__", False) else list(qs)
        if not rows:
            what = ", ".join(f"{k}={v!r}" for k, v in expressions.items()) or repr(idlike)
            raise DoesNotExist(f"{self.model.__name__} matching {what} does not exist")
        if len(rows) > 1:
            latest = _latest_of_one_family(rows)
            if latest is None:
                raise MultipleResultsFound(
                    f"{len(rows)} {self.model.__name__} records match; use filter() or a uid"
                )
            return latest
        return rows[0]

    def delete(self, permanent: bool | None = None) -> None:
        """Delete every selected record (to trash unless permanent)."""
        for record in list(self):
            record.delete(permanent=permanent)

    def to_dataframe(
        self, limit: int | None = None, include: Any = None, announce: bool = False
    ) -> Any:
        """A pandas DataFrame of the selected rows, indexed by id."""
        return queryset_dataframe(self, limit=limit, include=include, announce=announce)

    df = to_dataframe

    def search(self, string: str, **kwargs: Any) -> QuerySet:
        return search_records(self, string, **kwargs)

    def lookup(self, field: str | None = None) -> Any:
        return lookup_records(self, field=field)

    def __repr__(self) -> str:
        rows = list(self[0:21])
        inner = ",\n ".join(repr(r) for r in rows[:20]) + (",\n ..." if len(rows) > 20 else "")
        return f"<QuerySet [{inner}]>"


def _is_stem(model: type, uid: str) -> bool:
    length = getattr(model, "__lk_uid_length__", 0)
    return getattr(model, "__lk_versioned__", False) and len(uid) == length - 4


def _latest_of_one_family(rows: list[Any]) -> Any | None:
    stems = {(r.uid or "")[:-4] for r in rows}
    if len(stems) != 1:
        return None
    latest = [r for r in rows if getattr(r, "is_latest", False)]
    return latest[0] if latest else max(rows, key=lambda r: r.id)
