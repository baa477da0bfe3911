"""Labels: ULabel (typed universal labels), Record, Project, Reference."""

from typing import TYPE_CHECKING, Any, ClassVar, Optional

from sqlalchemy import inspect
from sqlmodel import Field, Relationship

from ..curation import feature_attach
from ..records.record_types import check_type, existing_with_same_name
from ..records.related import RelatedList
from ._fields import fk, str_field, text_field, uid_field
from .base import SQLRecord, TrackedFields
from .can_curate import CanCurate
from .feature_host import HasFeatures
from .links import (
    ArtifactProject,
    ArtifactRecord,
    ArtifactReference,
    ArtifactULabel,
    CollectionProject,
    CollectionULabel,
    RunULabel,
)

if TYPE_CHECKING:
    from .artifact import Artifact
    from .collection import Collection
    from .transform import Run


class ULabel(CanCurate, TrackedFields, SQLRecord, table=True):
    """A universal label; `is_type` labels group others through `type`."""

    __tablename__ = "lk_ulabel"
    __lk_uid_length__: ClassVar[int] = 8
    __lk_is_label__: ClassVar[bool] = True

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(8)
    name: str = Field(index=True, max_length=150)
    description: str | None = text_field()
    reference: str | None = str_field(255)
    reference_type: str | None = str_field(25)
    is_type: bool = Field(default=False, index=True)
    type_id: int | None = fk("lk_ulabel.id")

    type: Optional["ULabel"] = Relationship(
        sa_relationship_kwargs={"remote_side": "ULabel.id", "foreign_keys": "[ULabel.type_id]"}
    )
    artifacts: list["Artifact"] = Relationship(
        back_populates="ulabels",
        link_model=ArtifactULabel,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    collections: list["Collection"] = Relationship(
        back_populates="ulabels",
        link_model=CollectionULabel,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    runs: list["Run"] = Relationship(
        back_populates="ulabels",
        link_model=RunULabel,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> "ULabel":
        # A label with the same name (and type) exists: return it, as LaminDB does.
        existing = existing_with_same_name(cls, kwargs) if kwargs else None
        return existing if existing is not None else super().__new__(cls)

    def __init__(self, **kwargs: Any) -> None:
        if inspect(self).persistent:  # __new__ returned the saved label
            return
        check_type(type(self), kwargs)
        super().__init__(**kwargs)


class Record(HasFeatures, CanCurate, TrackedFields, SQLRecord, table=True):
    """A generic typed record (ln.Record)."""

    __tablename__ = "lk_record"
    __lk_uid_length__: ClassVar[int] = 16
    __lk_is_label__: ClassVar[bool] = True

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(16)
    name: str | None = str_field(150, index=True)
    description: str | None = text_field()
    is_type: bool = Field(default=False, index=True)
    type_id: int | None = fk("lk_record.id")

    type: Optional["Record"] = Relationship(
        sa_relationship_kwargs={"remote_side": "Record.id", "foreign_keys": "[Record.type_id]"}
    )
    artifacts: list["Artifact"] = Relationship(
        back_populates="records",
        link_model=ArtifactRecord,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )

    def __init__(self, **kwargs: Any) -> None:
        features = kwargs.pop("features", None)
        check_type(type(self), kwargs)
        super().__init__(**kwargs)
        feature_attach.on_save(self, features)


class Project(TrackedFields, SQLRecord, table=True):
    """A project that artifacts belong to."""

    __tablename__ = "lk_project"
    __lk_uid_length__: ClassVar[int] = 12
    __lk_is_label__: ClassVar[bool] = True

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(12)
    name: str = Field(index=True, max_length=255)
    description: str | None = text_field()
    abbr: str | None = str_field(32)
    url: str | None = str_field(255)

    artifacts: list["Artifact"] = Relationship(
        back_populates="projects",
        link_model=ArtifactProject,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    collections: list["Collection"] = Relationship(
        back_populates="projects",
        link_model=CollectionProject,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )


class Reference(TrackedFields, SQLRecord, table=True):
    """A publication, document or URL that artifacts cite."""

    __tablename__ = "lk_reference"
    __lk_uid_length__: ClassVar[int] = 12
    __lk_is_label__: ClassVar[bool] = True

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(12)
    name: str = Field(index=True, max_length=255)
    description: str | None = text_field()
    url: str | None = str_field(255)
    doi: str | None = str_field(255)

    artifacts: list["Artifact"] = Relationship(
        back_populates="references",
        link_model=ArtifactReference,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
