"""Features, schemas and feature values."""

from typing import TYPE_CHECKING, Any, ClassVar, Optional

from sqlalchemy import Float, Index
from sqlmodel import Field, Relationship

from ..curation import definitions, feature_query, schema_api, schema_describe
from ..curation import schema as schema_build
from ..curation.dtype_display import dtype_with_names
from ..errors import InvalidArgument
from ..records import describe as describe_mod
from ..records import type_tree
from ..records.display import format_value
from ..records.persist import register_before_update
from ..records.related import linked
from ._fields import fk, json_field, str_field, text_field, uid_field, updated_at_field
from .base import SQLRecord, TrackedFields, class_or_instance_method
from .can_curate import CanCurate, HasSynonyms
from .describe_order import FEATURE_DESCRIBE_RELATIONS
from .has_type import HasEmoji, HasType
from .links import ArtifactJsonValue, ArtifactSchema, FeatureProject, SchemaFeature, SchemaProject

if TYPE_CHECKING:
    from ..query.queryset import QuerySet
    from .artifact import Artifact
    from .labels import Project


FEATURE_REPR = (
    "uid",
    "is_type",
    "name",
    "_dtype_str",
    "unit",
    "description",
    "array_rank",
    "array_size",
    "array_shape",
    "synonyms",
    "default_value",
    "nullable",
    "coerce",
    "branch_id",
    "created_on_id",
    "space_id",
    "created_by_id",
    "run_id",
    "type_id",
    "created_at",
    "is_locked",
)
SCHEMA_REPR = (
    "uid",
    "is_type",
    "name",
    "description",
    "n_members",
    "coerce",
    "flexible",
    "itype",
    "otype",
    "hash",
    "minimal_set",
    "ordered_set",
    "maximal_set",
    "branch_id",
    "created_on_id",
    "space_id",
    "created_by_id",
    "run_id",
    "type_id",
    "created_at",
    "is_locked",
)


def _repr(record: Any, names: tuple[str, ...]) -> str:
    values = [(n, getattr(record, "dtype" if n == "_dtype_str" else n)) for n in names]
    return f"{type(record).__name__}({', '.join(f'{n}={format_value(v)}' for n, v in values)})"


class Feature(CanCurate, HasSynonyms, HasEmoji, HasType, TrackedFields, SQLRecord, table=True):
    """A measurement dimension with a dtype (str, float, cat[ULabel], cat[bionty.CellType]...).

    Compared with a value, a feature is a filter condition:
    `ln.Artifact.filter(temperature > 21, perturbation == "DMSO")`.
    """

    __tablename__ = "lk_feature"
    __lk_uid_length__: ClassVar[int] = 12
    # LaminDB's names of the dtype column in queries: filter(dtype_as_str="int")
    __lk_aliases__: ClassVar[dict[str, str]] = {"dtype_as_str": "dtype", "_dtype_str": "dtype"}
    # class-level describe(): LaminDB's relations in its order, its field kind of array_rank
    __lk_describe_relations__: ClassVar[dict[str, str | None]] = FEATURE_DESCRIBE_RELATIONS
    __lk_field_kinds__: ClassVar[dict[str, str]] = {"array_rank": "SmallIntegerField"}

    id: int | None = Field(default=None, primary_key=True)
    aux: Any = json_field(column="_aux")  # LaminDB's `_aux`: the emoji
    uid: str | None = uid_field(12)
    name: str = Field(index=True, max_length=150)
    dtype: str | None = str_field(255, index=True, column="_dtype_str")
    unit: str | None = str_field(30)
    description: str | None = text_field()
    array_rank: int = 0
    array_size: int = 0
    array_shape: Any = json_field()
    synonyms: str | None = text_field()
    default_value: Any = json_field()
    nullable: bool = True
    coerce: bool | None = None
    is_type: bool = Field(default=False, index=True)
    type_id: int | None = fk("lk_feature.id")
    updated_at: Any = updated_at_field()

    type: Optional["Feature"] = Relationship(
        sa_relationship_kwargs={"remote_side": "Feature.id", "foreign_keys": "[Feature.type_id]"}
    )
    schemas: list["Schema"] = Relationship(
        back_populates="features",
        link_model=SchemaFeature,
        sa_relationship_kwargs=linked(),
    )
    projects: list["Project"] = Relationship(
        back_populates="features",
        link_model=FeatureProject,
        sa_relationship_kwargs=linked(),
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> "Feature":
        if args:
            raise ValueError("Only keyword args allowed")
        existing = definitions.existing_for(cls, kwargs)
        return existing if existing is not None else super().__new__(cls)

    def __init__(self, **kwargs: Any) -> None:
        if schema_build.is_persistent(self):  # __new__ returned the saved feature
            return
        super().__init__(**definitions.feature_fields(kwargs))

    def __repr__(self) -> str:
        # LaminDB's order, with the dtype under its column name `_dtype_str`.
        return _repr(self, FEATURE_REPR)

    __str__ = __repr__

    # -- comparisons build filter conditions ---------------------------------------------
    def __eq__(self, other: object) -> Any:
        if feature_query.compares_to(self, other):
            return feature_query.predicate(self, "exact", other)
        return _same_record(self, other)

    def __ne__(self, other: object) -> Any:
        if feature_query.compares_to(self, other):
            return feature_query.predicate(self, "ne", other)
        return not _same_record(self, other)

    def __gt__(self, value: Any) -> Any:
        return feature_query.predicate(self, "gt", value)

    def __ge__(self, value: Any) -> Any:
        return feature_query.predicate(self, "gte", value)

    def __lt__(self, value: Any) -> Any:
        return feature_query.predicate(self, "lt", value)

    def __le__(self, value: Any) -> Any:
        return feature_query.predicate(self, "lte", value)

    def __hash__(self) -> int:
        return hash(("Feature", self.id)) if self.id is not None else id(self)

    def is_null(self, value: bool = True) -> Any:
        """A filter condition: records without (True) or with (False) a value of this feature."""
        return feature_query.is_null(self, value)

    # -- configuration and dtypes --------------------------------------------------------
    def with_config(self, optional: bool | None = None) -> tuple["Feature", dict[str, bool]]:
        """This feature with configuration for a Schema, e.g. `f.with_config(optional=True)`."""
        return self, ({} if optional is None else {"optional": optional})

    @property
    def dtype_as_str(self) -> str | None:
        """The dtype as stored (types referenced by uid)."""
        return self.dtype

    @property
    def dtype_as_object(self) -> Any:
        """The dtype as Python objects: a type, a registry field, a type record or a list."""
        return schema_api.dtype_as_object(self.dtype)

    @property
    def dtype_with_names(self) -> str | None:
        """The dtype with the names of the types it references (cat[ULabel[Perturbation]])."""
        return dtype_with_names(self.dtype)

    @property
    def coerce_dtype(self) -> bool | None:
        return self.coerce

    @property
    def values(self) -> "QuerySet":
        """The JSON values (JsonValue records) of this feature."""
        return JsonValue.filter(feature_id=self.id if self.id is not None else -1)

    @property
    def features(self) -> "QuerySet":
        """The features of this feature type."""
        return type_tree.direct_records(self)

    def query_features(self, depth: int | None = None) -> "QuerySet":
        """The features of this type and of its sub-types (`depth` type hops at most)."""
        return self._query_typed(depth)

    @classmethod
    def from_dict(
        cls, dictionary: dict[str, Any], field: Any = None, *, type: Any = None, mute: bool = False
    ) -> list["Feature"]:
        """Unsaved features for the keys of a dict, dtypes inferred from the values."""
        return schema_api.features_from_dict(cls, dictionary, feature_type=type)

    @classmethod
    def from_dataframe(cls, df: Any, field: Any = None, *, mute: bool = False) -> list["Feature"]:
        """Unsaved features for the columns of a DataFrame (categoricals as cat[ULabel])."""
        return schema_api.features_from_dataframe(cls, df)

    from_df = from_dataframe


def _same_record(a: Any, b: object) -> bool:
    if a is b:
        return True
    return type(a) is type(b) and a.id is not None and a.id == getattr(b, "id", None)


class Schema(HasEmoji, HasType, CanCurate, TrackedFields, SQLRecord, table=True):
    """A set of features (or identifiers of another registry) that data must satisfy."""

    __tablename__ = "lk_schema"
    __lk_uid_length__: ClassVar[int] = 16

    id: int | None = Field(default=None, primary_key=True)
    aux: Any = json_field(column="_aux")  # LaminDB's `_aux`: the emoji
    uid: str | None = uid_field(16)
    name: str | None = str_field(150, index=True)
    description: str | None = text_field()
    n_members: int | None = None
    coerce: bool | None = None
    flexible: bool = False
    itype: str | None = str_field(120, index=True)
    otype: str | None = str_field(64)
    dtype: str | None = str_field(64)
    hash: str | None = str_field(22, index=True)
    minimal_set: bool = True
    ordered_set: bool = False
    maximal_set: bool = False
    is_type: bool = Field(default=False, index=True)
    type_id: int | None = fk("lk_schema.id")
    updated_at: Any = updated_at_field()

    type: Optional["Schema"] = Relationship(
        sa_relationship_kwargs={"remote_side": "Schema.id", "foreign_keys": "[Schema.type_id]"}
    )
    projects: list["Project"] = Relationship(
        back_populates="schemas",
        link_model=SchemaProject,
        sa_relationship_kwargs=linked(),
    )
    features: list["Feature"] = Relationship(
        back_populates="schemas",
        link_model=SchemaFeature,
        sa_relationship_kwargs=linked(order_by="SchemaFeature.id"),
    )
    artifacts: list["Artifact"] = Relationship(
        back_populates="feature_sets",
        link_model=ArtifactSchema,
        sa_relationship_kwargs=linked(),
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> "Schema":
        existing = schema_build.existing_for(cls, args, kwargs)
        return existing if existing is not None else super().__new__(cls)

    def __init__(
        self, features: Any = None, index: Any = None, *, slots: Any = None, **kwargs: Any
    ) -> None:
        if schema_build.is_persistent(self):  # __new__ returned the schema with the same hash
            return
        if index is not None:
            kwargs["index"] = index
        prepared = schema_build.prepare(type(self), features, slots, kwargs)
        super().__init__(**prepared.fields)
        schema_build.finish(self, prepared)

    def __repr__(self) -> str:
        return _repr(self, SCHEMA_REPR)

    __str__ = __repr__

    @property
    def coerce_dtype(self) -> bool | None:
        """LaminDB's older name of `coerce`."""
        return self.coerce

    @coerce_dtype.setter
    def coerce_dtype(self, value: bool | None) -> None:
        self.coerce = value

    @property
    def members(self) -> "QuerySet":
        """The member records (features, or records of the itype such as genes), index first."""
        return schema_api.members_queryset(self)

    @property
    def index(self) -> Feature | None:
        """The feature that validates a DataFrame's index, if the schema has one."""
        return schema_build.index_of(self)

    @property
    def optionals(self) -> "schema_api.Optionals":
        """The features that may be absent: .get(), .set([...]), .add(...), .remove(...)."""
        return schema_api.Optionals(self)

    @property
    def slots(self) -> dict[str, "Schema"]:
        """slot -> component schema, for composite schemas (AnnData: obs, var.T...)."""
        return schema_build.slots_of(self)

    @class_or_instance_method
    def describe(target: Any, return_str: bool = False) -> Any:  # noqa: N805
        """The schema's tree (its features or identifiers, or its slots); on the class, its
        fields."""
        if isinstance(target, type):
            return describe_mod.describe(target, return_str=return_str)
        text = schema_describe.describe_schema(target)
        if return_str:
            return text
        print(text)
        return None

    @property
    def components(self) -> "QuerySet":
        """The component schemas of a composite schema."""
        return schema_api.components_queryset(self)

    @property
    def composites(self) -> "QuerySet":
        """The composite schemas this schema is a component (slot) of."""
        return schema_api.composites_queryset(self)

    @property
    def n(self) -> int | None:
        """The number of members (LaminDB's short name of n_members)."""
        return self.n_members

    @property
    def validated_artifacts(self) -> "QuerySet":
        """The artifacts validated by this schema (whose `schema` is it)."""
        from .artifact import Artifact

        return schema_api.validated_by(self, Artifact)

    @property
    def validated_collections(self) -> "QuerySet":
        """The collections validated by this schema (whose `schema` is it)."""
        from .collection import Collection

        return schema_api.validated_by(self, Collection)

    @property
    def schemas(self) -> "QuerySet":
        """The schemas whose type is this schema type."""
        return type_tree.direct_records(self)

    def query_schemas(self, depth: int | None = None) -> "QuerySet":
        """Schemas of this type and of its sub-types (`depth` type hops at most)."""
        return self._query_typed(depth)

    @classmethod
    def from_dataframe(
        cls, df: Any, field: Any = None, *, name: str | None = None, **kwargs: Any
    ) -> "Schema | None":
        """A schema of the features that match the columns of a DataFrame (None if none do)."""
        return schema_api.schema_from_dataframe(cls, df, name=name, **kwargs)

    from_df = from_dataframe

    @classmethod
    def from_values(  # type: ignore[override]
        cls,
        values: Any,
        field: Any = None,
        dtype: str | None = None,
        name: str | None = None,
        mute: bool = False,
        organism: Any = None,
        source: Any = None,
        raise_validation_error: bool = True,
    ) -> "Schema | None":
        """A schema of the features (or, with `field=bt.Gene.symbol`, the genes...) that
        `values` name; unknown values raise `ValidationError` unless
        `raise_validation_error=False` leaves them out."""
        return schema_api.schema_from_values(
            cls,
            values,
            field,
            dtype,
            name,
            lookup={
                "mute": mute,
                "organism": organism,
                "source": source,
                "raise_validation_error": raise_validation_error,
            },
        )


class JsonValue(TrackedFields, SQLRecord, table=True):
    """A non-categorical feature value, shared by the records that carry it.

    `number` orders numbers, dates and date-times, so range queries use an index.
    """

    __tablename__ = "lk_jsonvalue"
    __table_args__ = (Index("ix_lk_jsonvalue_feature_number", "feature_id", "number"),)
    __lk_name_field__: ClassVar[str | None] = None
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ()

    id: int | None = Field(default=None, primary_key=True)
    value: Any = json_field()
    hash: str | None = str_field(22, index=True)
    number: float | None = Field(default=None, sa_type=Float)
    feature_id: int = fk("lk_feature.id", nullable=False, ondelete="CASCADE")

    feature: Optional["Feature"] = Relationship()
    artifacts: list["Artifact"] = Relationship(
        back_populates="json_values",
        link_model=ArtifactJsonValue,
        sa_relationship_kwargs=linked(),
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**schema_api.json_value_fields(kwargs))

    @classmethod
    def get_or_create(cls, feature: "Feature", value: Any) -> tuple["JsonValue", bool]:
        """The saved value of `feature` (found by the value's hash, else created and saved),
        and whether it existed already."""
        if not isinstance(feature, Feature) or feature.id is None:
            raise InvalidArgument(f"feature must be a saved Feature, got {feature!r}")
        fields = schema_api.json_value_fields({"feature_id": feature.id, "value": value})
        found = cls.filter(feature_id=feature.id, hash=fields["hash"]).first()
        if found is not None:
            return found, True
        return cls(**fields).save(), False


register_before_update(schema_api.announce_rename)
