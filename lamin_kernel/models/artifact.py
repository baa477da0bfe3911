"""Artifact: a file, folder or in-memory object stored as bytes and registered as a row."""

from typing import TYPE_CHECKING, Any, ClassVar, Optional

from sqlalchemy import inspect
from sqlmodel import Field, Relationship

from ..curation import curators, describe_sections, feature_query
from ..curation.features import FeatureManager
from ..records import artifact_access, artifact_create, lineage, versions
from ..records.pending import stash_prepared, take_prepared
from ..records.related import RelatedList
from ._fields import bigint_field, fk, str_field, text_field, uid_field, updated_at_field
from .base import SQLRecord, TrackedFields
from .links import (
    ArtifactProject,
    ArtifactRecord,
    ArtifactReference,
    ArtifactSchema,
    ArtifactULabel,
    CollectionArtifact,
    RunInputArtifact,
)

if TYPE_CHECKING:
    from .collection import Collection
    from .core import Storage, User
    from .features import Schema
    from .labels import Project, Record, Reference, ULabel
    from .transform import Run, Transform


class Artifact(TrackedFields, SQLRecord, table=True):
    """A dataset or model: a file, a folder, a DataFrame or an AnnData, versioned by key."""

    __tablename__ = "lk_artifact"
    __lk_uid_length__: ClassVar[int] = 20
    __lk_versioned__: ClassVar[bool] = True
    __lk_name_field__: ClassVar[str | None] = "key"
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("key", "description")
    __lk_aliases__: ClassVar[dict[str, str]] = {"transform": "run__transform"}
    __lk_before_permanent_delete__: ClassVar[Any] = staticmethod(artifact_access.plan_bytes_removal)
    # names that are not fields are looked up as features: filter(temperature__gt=20)
    __lk_filter_resolver__: ClassVar[Any] = staticmethod(feature_query.feature_condition)
    # to_dataframe(include="features"): one column per feature, on the class and on QuerySets
    __lk_dataframe_include__: ClassVar[Any] = staticmethod(feature_query.include_features)

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(20)
    key: str | None = str_field(1024, index=True)
    description: str | None = text_field()
    suffix: str | None = str_field(30, index=True)
    kind: str | None = str_field(20, index=True)
    otype: str | None = str_field(64, index=True)
    size: int | None = bigint_field(index=True)
    hash: str | None = str_field(22, index=True)
    n_files: int | None = bigint_field()
    n_observations: int | None = bigint_field()
    version_tag: str | None = str_field(30)
    is_latest: bool = Field(default=True, index=True)
    updated_at: Any = updated_at_field()
    storage_id: int = fk("lk_storage.id", nullable=False)
    schema_id: int | None = fk("lk_schema.id")
    hash_type: str | None = str_field(30, column="_hash_type")
    key_is_virtual: bool = Field(default=True, sa_column_kwargs={"name": "_key_is_virtual"})
    real_key: str | None = str_field(1024, column="_real_key")

    storage: "Storage" = Relationship()
    run: Optional["Run"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Artifact.run_id]"}
    )
    created_by: Optional["User"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Artifact.created_by_id]", "viewonly": True}
    )
    schema: Optional["Schema"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Artifact.schema_id]"}
    )
    ulabels: list["ULabel"] = Relationship(
        back_populates="artifacts",
        link_model=ArtifactULabel,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    records: list["Record"] = Relationship(
        back_populates="artifacts",
        link_model=ArtifactRecord,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    projects: list["Project"] = Relationship(
        back_populates="artifacts",
        link_model=ArtifactProject,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    references: list["Reference"] = Relationship(
        back_populates="artifacts",
        link_model=ArtifactReference,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    feature_sets: list["Schema"] = Relationship(
        back_populates="artifacts",
        link_model=ArtifactSchema,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    input_of_runs: list["Run"] = Relationship(
        back_populates="input_artifacts",
        link_model=RunInputArtifact,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    collections: list["Collection"] = Relationship(
        back_populates="artifacts",
        link_model=CollectionArtifact,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )

    def __new__(cls, path: Any = None, **kwargs: Any) -> "Artifact":
        # Same content as a saved artifact: return that very record (the objects a user
        # already holds stay attached). SQLAlchemy calls __new__ without arguments.
        if path is None and not kwargs:
            return super().__new__(cls)
        prepared = artifact_create.prepare(cls, path, kwargs)
        if prepared.existing is not None:
            artifact_create.announce_existing(prepared.existing)
            return prepared.existing
        record = super().__new__(cls)
        stash_prepared(record, prepared)
        return record

    def __init__(self, path: Any = None, **kwargs: Any) -> None:
        prepared = take_prepared(self)
        if prepared is None:
            if inspect(self).persistent:  # __new__ returned the saved artifact
                return
            prepared = artifact_create.prepare(type(self), path, kwargs)  # explains bad input
        super().__init__(**prepared.fields)
        artifact_create.finish(self, prepared)

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_dataframe(cls, df: Any, *, key: str | None = None, **kwargs: Any) -> "Artifact":
        """An artifact for a pandas DataFrame, stored as parquet; schema= validates it."""
        return artifact_create.from_object(
            cls, df, "DataFrame", validate=curators.validate_for_artifact, key=key, **kwargs
        )

    from_df = from_dataframe

    @classmethod
    def from_anndata(cls, adata: Any, *, key: str | None = None, **kwargs: Any) -> "Artifact":
        """An artifact for an AnnData object, stored as h5ad; schema= validates it."""
        return artifact_create.from_object(
            cls, adata, "AnnData", validate=curators.validate_for_artifact, key=key, **kwargs
        )

    @property
    def features(self) -> FeatureManager:
        """Feature values: .add_values({...}), .get_values(), .remove_values([...])."""
        return FeatureManager(self)

    # -- access ------------------------------------------------------------------------
    @property
    def path(self) -> Any:
        """The stored location as a UPath."""
        return artifact_access.artifact_path(self)

    @property
    def transform(self) -> Optional["Transform"]:
        return self.run.transform if self.run is not None else None

    @property
    def versions(self) -> Any:
        """All versions of this artifact (same uid stem), newest first."""
        return versions.versions_of(self)

    @property
    def stem_uid(self) -> str:
        return (self.uid or "")[:16]

    def load(self, **kwargs: Any) -> Any:
        """Load into memory (DataFrame, AnnData, dict, text...)."""
        return artifact_access.load(self, **kwargs)

    def cache(self, **kwargs: Any) -> Any:
        """A local path to the bytes; remote bytes are downloaded once into the cache."""
        return artifact_access.cache(self, **kwargs)

    def open(self, **kwargs: Any) -> Any:
        """Stream: a pyarrow dataset for parquet, backed AnnData for h5ad."""
        return artifact_access.open_artifact(self, **kwargs)

    def view_lineage(self, **kwargs: Any) -> Any:
        """Draw the lineage graph around this record (SVG in a notebook, else a file)."""
        return lineage.view_lineage(self, **kwargs)


describe_sections.register()
