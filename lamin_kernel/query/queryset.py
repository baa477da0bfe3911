"""QuerySet: a lazy, chainable selection of records of one registry."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from sqlalchemy import and_, false, func, inspect, not_, select
from sqlalchemy.sql.elements import ColumnElement

from .. import runtime
from ..db.hints import in_subquery, unindexed
from ..errors import DoesNotExist, FieldValidationError, InvalidArgument, MultipleResultsFound
from ..records import can_curate
from ..setup.session import read_session, visible_branch_ids
from . import writes
from .dataframe import queryset_dataframe, without_record_metadata
from .lookups import build_condition, order_clause
from .pins import with_pins
from .q import FilterExpression
from .queryset_django import DjangoQuerySetMethods
from .search import DEFAULT_LIMIT, id_order, lookup_records, search_records

BRANCH_FIELDS = ("branch", "branch_id")
# hook: func(registry name, uid) -> the uid get() returns instead (tracking/rerun.py), or None
# as in LaminDB: a query by id, uid or hash sees every branch, the trash included
ANY_BRANCH_FIELDS = {"id", "uid", "hash", "id__in", "uid__in", "hash__in", "pk"}


# registry class -> the QuerySet subclass its queries are made of (register_queryset_class)
QUERYSET_CLASSES: dict[type, type[QuerySet]] = {}


def register_queryset_class(model: type, queryset_class: type[QuerySet]) -> None:
    """Make `QuerySet(model)` (and every QuerySet derived from it) a `queryset_class`."""
    if not issubclass(queryset_class, QuerySet):
        raise TypeError(f"{queryset_class.__name__} is not a QuerySet")
    QUERYSET_CLASSES[model] = queryset_class


class QuerySet(DjangoQuerySetMethods):
    """Records of `model` matching the filters; evaluated when iterated, counted or listed.

    `db` is the instance it reads (another one for `ln.DB("other").Artifact`); by default
    the instance in use where the QuerySet is made. A registry whose QuerySets have methods
    of their own (Record's sheets and exports) registers its subclass with
    `register_queryset_class`; `QuerySet(model)` then makes one of those.
    """

    def __new__(cls, model: type | None = None, db: runtime.Connection | None = None) -> QuerySet:
        own = QUERYSET_CLASSES.get(model, cls) if cls is QuerySet and model is not None else cls
        return object.__new__(own)

    def __init__(self, model: type, db: runtime.Connection | None = None) -> None:
        self.model = model
        self._db = db if db is not None else runtime.connection_in_use()
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
        clone = QuerySet(self.model, self._db)
        clone._where = list(self._where)
        clone._order = list(self._order)
        clone._order_exprs = list(self._order_exprs)
        clone._distinct = self._distinct
        clone._offset, clone._limit = self._offset, self._limit
        clone._branch_given = self._branch_given
        return clone

    def _in_db(self) -> AbstractContextManager[None]:
        """The block in which this QuerySet's SQL runs: against its instance."""
        return runtime.using_connection(self._db) if self._db is not None else nullcontext()

    def _conditions(self, queries: tuple, expressions: dict) -> list[ColumnElement]:
        conditions = []
        with self._in_db():
            for query in queries:
                if not isinstance(query, FilterExpression):
                    raise InvalidArgument(
                        "filter() takes Q objects, feature predicates (feature > 3) and keyword "
                        f"lookups, got {type(query).__name__}"
                    )
                conditions.append(query.to_condition(self.model))
            for expression, value in expressions.items():
                conditions.append(build_condition(self.model, expression, value))
        return conditions

    def _mentions_branch(self, queries: tuple, expressions: dict) -> bool:
        if any(e in ANY_BRANCH_FIELDS for e in expressions):
            return True
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
        """Leave out records matching all the given lookups.

        A row whose field is NULL does not match `field=value`, so it stays (as in Django):
        the condition counts as false where SQL would make it unknown.
        """
        clone = self._clone()
        conditions = self._conditions(queries, expressions)
        if conditions:
            clone._where.append(not_(func.coalesce(and_(*conditions), false())))
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
            with self._in_db():
                branches = visible_branch_ids()
            conditions.append(self._visibility(branches))
        return conditions

    def _visibility(self, branches: list[int]) -> ColumnElement:
        """The branch condition. Main + the current branch hold most rows: never a reason to
        walk branch_id's index, unless every filter picks ids from a subquery (a label, a
        feature value): then SQLite checks each picked id in the (branch_id, id) index, which
        holds both, instead of reading every picked row (40x faster for a count)."""
        column = self.model.branch_id
        own_id = self.model.__table__.c.id
        if len(branches) == 1 and self._where and all(_picks_ids(c, own_id) for c in self._where):
            return column == branches[0]
        return unindexed(column).in_(branches)

    def conditions(self) -> list[ColumnElement]:
        """The WHERE conditions of this QuerySet (filters and branch visibility), for queries
        that select from its registry in their own way (search)."""
        return self._where_clause()

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

    def filters_beyond_visibility(self) -> bool:
        """Whether this QuerySet narrows the registry by more than the branches in view."""
        return bool(self._where or self._offset or self._limit is not None)

    def id_subquery(self) -> Any:
        """A subquery of the matching ids, to nest in another query."""
        return (
            self.statement(self.model.id).scalar_subquery()
            if self._limit is not None
            else (select(self.model.id).where(*self._where_clause()))
        )

    def where_for_write(self) -> list[ColumnElement]:
        """The conditions an UPDATE or DELETE of exactly these rows uses."""
        if self._limit is None and not self._offset:
            return self._where_clause()
        return [self.model.id.in_(self.statement(self.model.id).scalar_subquery())]

    def _execute(self, stmt: Any) -> Any:
        """Run a SELECT against this QuerySet's instance; returns the buffered result."""
        with self._in_db(), read_session() as session:
            return session.execute(stmt).all()

    def _fetch(self) -> list[Any]:
        with self._in_db():
            stmt = self.statement().execution_options(populate_existing=True)
            with read_session() as session:
                records = list(session.scalars(stmt).unique())
                if self._db is not None:  # another instance: not pinned (rerun_pins)
                    return records
                return with_pins(session, self.model, records)

    def cached_records(self) -> list[Any]:
        """The records this QuerySet has fetched so far (none if it was not evaluated)."""
        return list(self._cache or [])

    # -- evaluation --------------------------------------------------------------------
    def _column(self, field: str) -> Any:
        names = {a.key for a in inspect(self.model).column_attrs}
        if field == "pk":
            field = "id"
        if field not in names:
            raise FieldValidationError(f"unknown field '{field}' for {self.model.__name__}")
        return getattr(self.model, field)

    def to_list(self, field: str | None = None) -> list[Any]:
        """The records, or one field's values."""
        if field is None:
            return list(self)
        return [row[0] for row in self._execute(self.statement(self._column(field)))]

    list = to_list

    def values_list(self, *fields: str, flat: bool = False, named: bool = False) -> list[Any]:
        """Field values per record: tuples, named tuples with named=True, or plain values
        with flat=True and one field."""
        if flat and len(fields) != 1:
            raise InvalidArgument("values_list(flat=True) takes exactly one field")
        if flat and named:
            raise TypeError("'flat' and 'named' can't be used together.")
        names = fields or tuple(a.key for a in inspect(self.model).column_attrs)
        rows = self._execute(self.statement(*(self._column(f) for f in names)))
        if named:
            row_type = namedtuple("Row", [n.replace("__", "_") for n in names])  # type: ignore[misc]
            return [row_type(*row) for row in rows]
        return [row[0] for row in rows] if flat else [tuple(row) for row in rows]

    def values(self, *fields: str) -> list[dict[str, Any]]:
        """Field values per record as dicts."""
        names = fields or tuple(a.key for a in inspect(self.model).column_attrs)
        rows = self._execute(self.statement(*(self._column(f) for f in names)))
        return [dict(zip(names, row, strict=True)) for row in rows]

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
                if self._limit is not None:
                    clone._limit = min(clone._limit, max(self._limit - start, 0))
            elif self._limit is not None:
                clone._limit = max(self._limit - start, 0)
            return clone
        if not isinstance(item, int) or item < 0:
            raise InvalidArgument("QuerySet index must be a non-negative integer")
        rows = list(self[item : item + 1])
        if not rows:
            raise IndexError(f"QuerySet index {item} out of range")
        return rows[0]

    def count(self) -> int:
        inner = self.statement(self.model.id).order_by(None).subquery()
        return int(self._execute(select(func.count()).select_from(inner))[0][0])

    def exists(self) -> bool:
        return bool(self._execute(self.statement(self.model.id).limit(1)))

    def first(self) -> Any | None:
        """The first record (by id unless ordered), or None."""
        rows = list(self[0:1])
        return rows[0] if rows else None

    def last(self) -> Any | None:
        """The last record (by id unless ordered), or None."""
        orders = self._order or ["id"]  # search order is dropped: last of the ids
        flipped = [o[1:] if o.startswith("-") else f"-{o}" for o in orders]
        return self.order_by(*flipped).first()

    def latest(self, *fields: str) -> Any:
        """The record with the greatest value of `fields` (default `created_at`, then id);
        DoesNotExist when nothing matches."""
        found = self.order_by(*[f"-{f}" for f in fields or ("created_at",)], "-id").first()
        if found is None:
            raise DoesNotExist(f"no {self.model.__name__} matches the query")
        return found

    def earliest(self, *fields: str) -> Any:
        """The record with the smallest value of `fields` (default `created_at`, then id)."""
        found = self.order_by(*(fields or ("created_at",)), "id").first()
        if found is None:
            raise DoesNotExist(f"no {self.model.__name__} matches the query")
        return found

    def none(self) -> QuerySet:
        """A QuerySet of this registry that selects nothing."""
        clone = self._clone()
        clone._where.append(false())
        return clone

    def contains(self, obj: Any) -> bool:
        """Whether this QuerySet selects `obj` (a saved record of its registry)."""
        if not isinstance(obj, self.model) or getattr(obj, "id", None) is None:
            raise InvalidArgument(f"contains() takes a saved {self.model.__name__} record")
        return self.filter(id=obj.id).exists()

    def iterator(self, chunk_size: int | None = None) -> Iterator[Any]:
        """The records one by one, read `chunk_size` (default 2,000) at a time."""
        size = 2000 if chunk_size is None else chunk_size
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise InvalidArgument(f"chunk_size must be a positive integer, got {chunk_size!r}")
        ordered = self if self._order or self._order_exprs else self.order_by("id")
        start = 0
        while True:
            chunk = list(ordered[start : start + size])
            yield from chunk
            if len(chunk) < size:
                return
            start += size

    def one(self) -> Any:
        """Exactly one record; DoesNotExist or MultipleResultsFound otherwise."""
        rows = list(self[0:2])
        if not rows:
            raise DoesNotExist(f"no {self.model.__name__} matches the query")
        if len(rows) > 1:
            raise MultipleResultsFound(f"more than one {self.model.__name__} matches the query")
        return rows[0]

    def one_or_none(self) -> Any | None:
        """The one matching record or None; MultipleResultsFound if there are several."""
        try:
            return self.one()
        except DoesNotExist:
            return None

    def get(self, idlike: int | str | None = None, **expressions: Any) -> Any:
        """Exactly one record: by id, by uid or uid prefix (a versioned registry's stem gives
        its latest version), or by lookups (the latest version unless is_latest is given)."""
        if isinstance(idlike, bool):
            raise InvalidArgument("get() takes an id, a uid or lookups, not a bool")
        if isinstance(idlike, int):
            return self.filter(id=idlike, **expressions).one()
        if isinstance(idlike, str):
            return self._get_by_uid(idlike, expressions)
        if idlike is not None:
            raise InvalidArgument(f"get() takes an id or a uid, got {type(idlike).__name__}")
        return self._get_by_lookups(expressions)

    def _get_by_uid(self, uid: str, expressions: dict[str, Any]) -> Any:
        model = self.model
        name_field = getattr(model, "__lk_name_field__", None) or "name"
        missing = (
            f"No record found with uid '{uid}'. Did you forget a keyword as in "
            f"{model.__name__}.get({name_field}='{uid}')?"
        )
        qs = self.filter(**expressions) if expressions else self
        stem_length = int(getattr(model, "__lk_uid_length__", 0)) - 4
        if getattr(model, "__lk_versioned__", False) and len(uid) <= stem_length:
            latest = qs.filter(uid__startswith=uid, is_latest=True).first()
            if latest is None:
                latest = qs.filter(uid__startswith=uid).order_by("-id").first()
            if latest is None:
                raise DoesNotExist(missing)
            return latest
        full_length = len(uid) == int(getattr(model, "__lk_uid_length__", 0))
        # a whole uid is an equality (any index serves it); a prefix needs a range of the index
        rows = list((qs.filter(uid=uid) if full_length else qs.filter(uid__startswith=uid))[0:2])
        if not rows:
            raise DoesNotExist(missing)
        if len(rows) > 1:
            raise MultipleResultsFound(f"uid prefix '{uid}' matches several {model.__name__}")
        return rows[0]

    def _get_by_lookups(self, expressions: dict[str, Any]) -> Any:
        model = self.model
        what = ", ".join(f"{k}={v!r}" for k, v in expressions.items())
        if getattr(model, "__lk_versioned__", False) and "is_latest" not in expressions:
            rows = list(self.filter(is_latest=True, **expressions)[0:2])
            if len(rows) > 1:
                raise MultipleResultsFound(
                    f"{len(rows)} {model.__name__} records match {what}; use filter() or a uid"
                )
            found = rows[0] if rows else None
            if found is None:  # only older versions match: the newest of them
                found = self.filter(**expressions).order_by("-created_at", "-id").first()
        else:
            rows = list(self.filter(**expressions)[0:2])
            if len(rows) > 1:
                raise MultipleResultsFound(
                    f"{len(rows)} {model.__name__} records match {what}; use filter() or a uid"
                )
            found = rows[0] if rows else None
        if found is None:
            raise DoesNotExist(f"{model.__name__} matching {what or 'the query'} does not exist")
        return found

    # -- writing -----------------------------------------------------------------------
    def update(self, **fields: Any) -> int:
        """Set fields on every selected record with one UPDATE; returns the number of rows."""
        with self._in_db():
            return writes.update_rows(self, fields)

    def delete(self, permanent: bool | None = None, storage: bool | None = None) -> None:
        """Delete every selected record: to the trash, or for good with permanent=True;
        for artifacts, `storage` as in `artifact.delete()` (False: the rows only, True: also
        bytes registered in place).

        The latest version of a record that leaves its branch hands over to the newest
        remaining version on that branch.
        """
        with self._in_db():
            writes.delete_rows(self, permanent, storage)

    # -- output ------------------------------------------------------------------------
    def to_dataframe(
        self,
        limit: int | None = None,
        include: Any = None,
        features: Any = None,
        order_by: str | None = None,
        announce: bool = False,
        *,
        record_metadata: bool = True,
    ) -> Any:
        """A pandas DataFrame of the selected rows, indexed by id (all rows unless limit).

        `record_metadata=False`: with `features`, only the records' names and the feature
        columns (no uid, no id index); without, the id is a column instead of the index."""
        qs = self.order_by(order_by) if order_by and not self._order else self
        with self._in_db():
            frame = queryset_dataframe(
                qs, limit=limit, include=include, features=features, announce=announce
            )
        return frame if record_metadata else without_record_metadata(frame, self.model, features)

    df = to_dataframe

    # -- validation against these records (LaminDB's QuerySet.validate/inspect/standardize) --
    def validate(self, values: Any, field: Any = None, **kwargs: Any) -> Any:
        """Which values are in the field of these records (a bool array); as Registry.validate."""
        scope = can_curate.scope_of(self.model, self, values, field, *_source_args(kwargs))
        return can_curate.validate(scope, values, field, mute=kwargs.get("mute", False))

    def inspect(self, values: Any, field: Any = None, **kwargs: Any) -> Any:
        """Which values validate among these records; as Registry.inspect."""
        scope = can_curate.scope_of(self.model, self, values, field, *_source_args(kwargs))
        return can_curate.inspect(
            scope, values, field, kwargs.get("mute", False), kwargs.get("from_source", True)
        )

    def standardize(self, values: Any, field: Any = None, **kwargs: Any) -> Any:
        """Synonyms and other casings mapped to these records' values; as Registry.standardize."""
        scope = can_curate.scope_of(self.model, self, values, field, *_source_args(kwargs))
        names = ("return_field", "return_mapper", "case_sensitive", "mute", "from_source")
        names += ("keep", "synonyms_field")
        options = can_curate.StandardizeOptions(**{k: kwargs[k] for k in names if k in kwargs})
        return can_curate.standardize(scope, values, field, options)

    def search(
        self,
        string: str,
        *,
        field: Any = None,
        limit: int | None = DEFAULT_LIMIT,
        case_sensitive: bool = False,
    ) -> QuerySet:
        """The best matches among these records: exact > prefix > word > substring > fuzzy."""
        with self._in_db():
            return search_records(
                self, string, field=field, limit=limit, case_sensitive=case_sensitive
            )

    def lookup(self, field: str | None = None) -> Any:
        with self._in_db():
            return lookup_records(self, field=field)

    def __repr__(self) -> str:
        rows = list(self[0:21])
        inner = ",\n ".join(repr(r) for r in rows[:20]) + (",\n ..." if len(rows) > 20 else "")
        return f"<QuerySet [{inner}]>"


def _picks_ids(condition: Any, own_id: Any) -> bool:
    """Whether a condition is `<own id> IN (SELECT ...)` (query/relations, db/hints)."""
    if not isinstance(condition, in_subquery):
        return False
    column = next(iter(condition.clauses), None)
    return column is not None and column.compare(own_id)


def _source_args(kwargs: dict[str, Any]) -> tuple[Any, Any, bool]:
    """organism, source, strict_source of a validate/inspect/standardize call."""
    return kwargs.get("organism"), kwargs.get("source"), kwargs.get("strict_source", False)
