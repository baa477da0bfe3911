"""The base of every registry: fields shared by records and the methods users call.

Methods here are thin: they hand over to the generic layers below (records/, query/).
"""

from typing import Any, ClassVar, Self

from sqlalchemy.orm import declared_attr, relationship
from sqlmodel import SQLModel
from sqlmodel.main import SQLModelMetaclass

from .. import runtime
from ..errors import DoesNotExist, InvalidArgument, MultipleResultsFound
from ..query.queryset import QuerySet
from ..query.search import DEFAULT_LIMIT, lookup_records, search_records
from ..records import blocks, persist, refresh, versions
from ..records import describe as describe_mod
from ..records.construct import (
    check_init_kwargs,
    check_positional,
    construct_record,
)
from ..records.display import record_repr
from ..setup.other_instances import instance_of_arguments, open_instance
from ._fields import created_at_field, fk
from .can_curate import strict_classmethod


class class_or_instance_method:  # noqa: N801 - a descriptor used like a decorator
    """A method that receives the class when called on the class, the instance otherwise."""

    def __init__(self, func: Any) -> None:
        self.func = func

    def __get__(self, obj: Any, owner: type) -> Any:
        target = owner if obj is None else obj
        return lambda *args, **kwargs: self.func(target, *args, **kwargs)


class queryset_of_class:  # noqa: N801 - a descriptor used like a class attribute
    """`Registry.objects`: a QuerySet of the registry, as Django's manager gives."""

    def __get__(self, obj: Any, owner: type) -> QuerySet:
        return QuerySet(owner)


class BaseSQLRecord:
    """What every row class has, a registry (`SQLRecord`) or a link table (`IsLink`), as
    LaminDB's BaseSQLRecord: the queries on its table (`objects`, `filter`, `get`), `pk`,
    `describe()` and the errors `get()` raises."""

    objects = queryset_of_class()
    # `except ln.Artifact.DoesNotExist:` as with LaminDB's (Django's) models
    DoesNotExist: ClassVar[type[DoesNotExist]] = DoesNotExist
    MultipleObjectsReturned: ClassVar[type[MultipleResultsFound]] = MultipleResultsFound

    @property
    def pk(self) -> int | None:
        """The primary key (Django's name for `id`, which LaminDB code uses)."""
        return self.id  # type: ignore[attr-defined]

    @classmethod
    def filter(cls, *queries: Any, **expressions: Any) -> QuerySet:
        """Records matching Django-style lookups (`key__startswith=...`) and Q objects."""
        return QuerySet(cls).filter(*queries, **expressions)

    @classmethod
    def get(cls, idlike: int | str | None = None, **expressions: Any) -> Any:
        """Exactly one record, by id, uid (or uid stem: the latest version) or lookups."""
        return QuerySet(cls).get(idlike, **expressions)

    @class_or_instance_method
    def describe(target: Any, return_str: bool = False, include: str | None = None) -> Any:  # noqa: N805
        """A record's tree of fields and links; on the class, its simple and relational fields.

        include="comments" shows the comments attached to the record, besides its notes."""
        return describe_mod.describe(target, return_str=return_str, include=include)


class IsVersioned:
    """What versioned registries share (LaminDB's IsVersioned): a uid of a stem and a version
    counter (`...0000`, `...0001`), the versions under one stem, a version tag."""

    @property
    def stem_uid(self) -> str:
        """The part of the uid all versions share."""
        return (self.uid or "")[: versions.stem_length(type(self))]  # type: ignore[attr-defined]

    @property
    def versions(self) -> QuerySet:
        """All versions (same uid stem), newest first."""
        return versions.versions_of(self)

    @property
    def version(self) -> str:
        """The version tag if one was given, else the uid's version counter."""
        return self.version_tag or (self.uid or "")[-4:]  # type: ignore[attr-defined]


class RegistryMeta(SQLModelMetaclass):
    """Registries are built against the instance of the records they are given: a record
    that refers to a record of another instance (`ln.DB(...)`) is made there (its checks and
    lookups run there) and saved there with `save(using=...)`."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        other = instance_of_arguments(args, kwargs)
        if other is None:
            return super().__call__(*args, **kwargs)
        with runtime.using_connection(other):
            return super().__call__(*args, **kwargs)

    # LaminDB's Registry methods: `ln.models.Registry.filter(ln.ULabel, ...)` is
    # `ln.ULabel.filter(...)` (a registry's own classmethods take precedence over these), and
    # `ln.ULabel.connect("owner/name")` queries another instance, as `ln.DB(...).ULabel`.
    def connect(cls, instance: str | None, _instance_info: Any = None) -> QuerySet:
        """A QuerySet of this registry in another instance (None or "default": this one)."""
        if instance is None or instance == "default":
            return QuerySet(cls)
        if not isinstance(instance, str):
            raise InvalidArgument(f"instance is 'owner/name' or a name, got {instance!r}")
        return QuerySet(cls, open_instance(instance))

    def using(cls, instance: str | None) -> QuerySet:
        """Same as `connect(instance)`."""
        return RegistryMeta.connect(cls, instance)

    def filter(cls, *queries: Any, **expressions: Any) -> QuerySet:
        return QuerySet(cls).filter(*queries, **expressions)

    def get(cls, idlike: int | str | None = None, **expressions: Any) -> Any:
        return QuerySet(cls).get(idlike, **expressions)

    def search(
        cls,
        string: str,
        *,
        field: Any = None,
        limit: int | None = DEFAULT_LIMIT,
        case_sensitive: bool = False,
    ) -> QuerySet:
        search = SQLRecord.search.__func__  # type: ignore[attr-defined]
        return search(cls, string, field=field, limit=limit, case_sensitive=case_sensitive)

    def lookup(
        cls, field: str | None = None, return_field: str | None = None, keep: Any = "first"
    ) -> Any:
        """Auto-completing records (or their `return_field`); of records sharing a name, the
        `keep`="first" or "last" one."""
        return lookup_records(QuerySet(cls), field=field, return_field=return_field, keep=keep)

    def to_dataframe(
        cls,
        *,
        include: Any = None,
        features: Any = None,
        limit: int | None = 100,
        order_by: str | None = "-id",
    ) -> Any:
        to_dataframe = SQLRecord.to_dataframe.__func__  # type: ignore[attr-defined]
        return to_dataframe(cls, limit=limit, include=include, features=features, order_by=order_by)

    def df(
        cls,
        *,
        include: Any = None,
        features: Any = None,
        limit: int | None = 100,
        order_by: str | None = "-id",
    ) -> Any:
        return RegistryMeta.to_dataframe(
            cls, include=include, features=features, limit=limit, order_by=order_by
        )

    def describe(cls, return_str: bool = False) -> Any:
        """The registry's simple and relational fields."""
        return describe_mod.describe(cls, return_str=return_str)


class SQLRecord(BaseSQLRecord, SQLModel, metaclass=RegistryMeta):
    """Behaviour common to every registry; subclasses declare the table."""

    model_config = {  # type: ignore[assignment]
        "ignored_types": (class_or_instance_method, queryset_of_class, strict_classmethod),
        "defer_build": True,
    }

    __lk_uid_length__: ClassVar[int] = 12
    __lk_versioned__: ClassVar[bool] = False
    __lk_name_field__: ClassVar[str | None] = "name"
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("name", "description")
    __lk_module__: ClassVar[str] = "core"
    __lk_aliases__: ClassVar[dict[str, str]] = {}
    __lk_is_label__: ClassVar[bool] = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        check_positional(type(self), args)
        check_init_kwargs(type(self), kwargs)
        construct_record(self, kwargs)

    # -- persistence -------------------------------------------------------------------
    def save(self, *args: Any, **kwargs: Any) -> Self:
        """Insert or update this record (and what it needs, such as an artifact's bytes)."""
        persist.save_record(self, *args, **kwargs)
        return self

    def delete(self, permanent: bool | None = None, **kwargs: Any) -> Any:
        """Move to trash; delete for good with permanent=True (or when already in trash).

        A permanent delete returns (count, {registry: count}); an unsaved record is left as
        it is (a warning says so)."""
        if kwargs:
            raise InvalidArgument(f"delete() got unexpected arguments: {sorted(kwargs)}")
        return persist.delete_record(self, permanent=permanent)

    def refresh_from_db(self, fields: list[str] | None = None) -> None:
        """Read this record's fields (all, or `fields`) again from its row: changed by another
        process, a bulk update or a merge. Unsaved changes to them are dropped."""
        refresh.refresh_from_db(self, fields)

    @property
    def notes(self) -> str | None:
        """The content of the latest readme block attached to this record, or None."""
        return blocks.latest_readme(self)

    def restore(self) -> None:
        """Move back from trash to main."""
        persist.restore_record(self)

    # -- queries (filter, get: BaseSQLRecord) -------------------------------------------
    @classmethod
    def exclude(cls, *queries: Any, **expressions: Any) -> QuerySet:
        return QuerySet(cls).exclude(*queries, **expressions)

    @classmethod
    def first(cls) -> Self | None:
        """The first record by id, or None."""
        return QuerySet(cls).first()

    @classmethod
    def last(cls) -> Self | None:
        """The last record by id, or None."""
        return QuerySet(cls).last()

    @classmethod
    def one(cls) -> Self:
        """The registry's only record; DoesNotExist or MultipleResultsFound otherwise."""
        return QuerySet(cls).one()

    @classmethod
    def one_or_none(cls) -> Self | None:
        """The registry's only record, or None; MultipleResultsFound if it has several."""
        return QuerySet(cls).one_or_none()

    @classmethod
    def search(
        cls,
        string: str,
        *,
        field: Any = None,
        limit: int | None = DEFAULT_LIMIT,
        case_sensitive: bool = False,
    ) -> QuerySet:
        """Records ranked exact > prefix > word > substring > fuzzy over the search fields."""
        return search_records(
            QuerySet(cls), string, field=field, limit=limit, case_sensitive=case_sensitive
        )

    @classmethod
    def lookup(cls, field: str | None = None) -> Any:
        """An object whose attributes auto-complete to records."""
        return lookup_records(QuerySet(cls), field=field)

    @classmethod
    def to_dataframe(
        cls,
        limit: int | None = 100,
        include: Any = None,
        features: Any = None,
        order_by: str | None = "-id",
    ) -> Any:
        """The latest `limit` rows as a DataFrame (limit=None: all); says how many exist."""
        return QuerySet(cls).to_dataframe(
            limit=limit, include=include, features=features, order_by=order_by, announce=True
        )

    df = to_dataframe

    def _repr_html_(self) -> str:
        return describe_mod.describe_html(self)

    def __repr__(self) -> str:
        return record_repr(self)

    __str__ = __repr__


class TrackedFields(SQLModel):
    """Columns that every tracked registry has: branch, space, creator, run, lock, time.

    `branch` (where the record is now), `created_on` (the branch it was made on) and `space`
    are relationships each table class gets from here (`declared_attr`), as LaminDB's have.
    """

    model_config = {"ignored_types": (declared_attr,), "defer_build": True}  # type: ignore[assignment]

    is_locked: bool = False
    created_at: Any = created_at_field()
    branch_id: int = fk("lk_branch.id", default=1, nullable=False)
    created_on_id: int = fk("lk_branch.id", default=1, nullable=False, index=False)
    space_id: int = fk("lk_space.id", default=1, nullable=False)
    created_by_id: int | None = fk("lk_user.id")
    run_id: int | None = fk("lk_run.id")

    @declared_attr
    def branch(cls):  # noqa: ANN201, N805 - the table class; an annotation would map a column
        return relationship("Branch", foreign_keys=[cls.branch_id], lazy="select")

    @declared_attr
    def created_on(cls):  # noqa: ANN201, N805
        return relationship("Branch", foreign_keys=[cls.created_on_id], lazy="select")

    @declared_attr
    def space(cls):  # noqa: ANN201, N805
        return relationship("Space", foreign_keys=[cls.space_id], lazy="select")


class LinkQueries(BaseSQLRecord):
    """A row of a link table, as LaminDB's link models (`IsLink`): besides what every row
    has (`BaseSQLRecord`), a DataFrame of the table and `delete()`. Mixed into every link
    table class; who made a link and when are `link_columns`' columns, the rows it joins are
    relations added by `tracked_relations.add_foreign_key_relations`."""

    # pydantic's validation schema is built on first use, not when the class is defined (as
    # for SQLRecord): table models are constructed without validation, and building ~50 link
    # tables' schemas at definition was ~5% of the first query's process
    model_config: ClassVar[dict[str, Any]] = {"defer_build": True}

    @classmethod
    def to_dataframe(cls, limit: int | None = 100, **kwargs: Any) -> Any:
        return QuerySet(cls).to_dataframe(limit=limit, **kwargs)

    def delete(self, permanent: bool | None = None) -> None:
        """Delete this link row (links have no trash)."""
        QuerySet(type(self)).filter(id=self.id).delete(permanent=True)  # type: ignore[attr-defined]
