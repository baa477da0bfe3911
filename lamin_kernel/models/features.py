"""Features, schemas and feature values."""

from typing import TYPE_CHECKING, Any, ClassVar, Optional

from sqlmodel import Field, Relationship

from ..records.related import RelatedList
from ._fields import fk, json_field, str_field, text_field, uid_field
from .base import SQLRecord, TrackedFields
from .links import ArtifactJsonValue, ArtifactSchema, SchemaFeature

if TYPE_CHECKING:
    from .artifact import Artifact


class Feature(TrackedFields, SQLRecord, table=True):
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


class Schema(TrackedFields, SQLRecord, table=True):
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
