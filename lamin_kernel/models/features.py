"""Features, schemas and feature values."""

from typing import TYPE_CHECKING, Any, ClassVar, Optional

from sqlmodel import Field, Relationship

from ..curation import definitions
from ..curation import schema as schema_build
from ..records.display import format_value
from ..records.related import RelatedList
from ._fields import fk, json_field, str_field, text_field, uid_field
from .base import SQLRecord, TrackedFields
from .can_curate import CanCurate, HasSynonyms
from .links import ArtifactJsonValue, ArtifactSchema, SchemaFeature

if TYPE_CHECKING:
    from .artifact import Artifact


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


class Feature(CanCurate, HasSynonyms, TrackedFields, SQLRecord, table=True):
    """A measurement dimension with a dtype (str, float, cat[ULabel], cat[bionty.CellType]...)."""

    __tablename__ = "lk_feature"
    __lk_uid_length__: ClassVar[int] = 12

    id: int | None = Field(default=None, primary_key=True)
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

    schemas: list["Schema"] = Relationship(
        back_populates="features",
        link_model=SchemaFeature,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> "Feature":
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


class Schema(CanCurate, TrackedFields, SQLRecord, table=True):
    """A set of features (or identifiers of another registry) that data must satisfy."""

    __tablename__ = "lk_schema"
    __lk_uid_length__: ClassVar[int] = 16

    id: int | None = Field(default=None, primary_key=True)
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

    features: list["Feature"] = Relationship(
        back_populates="schemas",
        link_model=SchemaFeature,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    artifacts: list["Artifact"] = Relationship(
        back_populates="feature_sets",
        link_model=ArtifactSchema,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> "Schema":
        existing = schema_build.existing_for(cls, args, kwargs)
        return existing if existing is not None else super().__new__(cls)

    def __init__(self, features: Any = None, *, slots: Any = None, **kwargs: Any) -> None:
        if schema_build.is_persistent(self):  # __new__ returned the schema with the same hash
            return
        prepared = schema_build.prepare(type(self), features, slots, kwargs)
        super().__init__(**prepared.fields)
        schema_build.finish(self, prepared)

    def __repr__(self) -> str:
        return _repr(self, SCHEMA_REPR)

    __str__ = __repr__

    @property
    def members(self) -> list[Any]:
        """The member records: features, or records of the itype (genes...)."""
        return schema_build.members_of(self)

    @property
    def slots(self) -> dict[str, "Schema"]:
        """slot -> component schema, for composite schemas (AnnData: obs, var.T...)."""
        return schema_build.slots_of(self)


class JsonValue(TrackedFields, SQLRecord, table=True):
    """A non-categorical feature value, shared by the artifacts that carry it."""

    __tablename__ = "lk_jsonvalue"
    __lk_name_field__: ClassVar[str | None] = None
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ()

    id: int | None = Field(default=None, primary_key=True)
    value: Any = json_field()
    hash: str | None = str_field(22, index=True)
    feature_id: int = fk("lk_feature.id", nullable=False, ondelete="CASCADE")

    feature: Optional["Feature"] = Relationship()
    artifacts: list["Artifact"] = Relationship(
        link_model=ArtifactJsonValue, sa_relationship_kwargs={"collection_class": RelatedList}
    )
