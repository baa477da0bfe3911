"""Many-to-many link tables, each its own table with the context of the link."""

from typing import TYPE_CHECKING, Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

if TYPE_CHECKING:
    from .features import Feature
    from .labels import Record, ULabel

from ._fields import fk, str_field
from .base import LinkQueries
from .link_columns import LinkCreated, LinkTracksRun


class ArtifactULabel(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_artifact_ulabel"
    __table_args__ = (UniqueConstraint("artifact_id", "ulabel_id", "feature_id"),)
    id: int | None = Field(default=None, primary_key=True)
    artifact_id: int = fk("lk_artifact.id", nullable=False, ondelete="CASCADE")
    ulabel_id: int = fk("lk_ulabel.id", nullable=False, ondelete="CASCADE")
    feature_id: int | None = fk("lk_feature.id", ondelete="CASCADE")

    ulabel: Optional["ULabel"] = Relationship(sa_relationship_kwargs={"viewonly": True})
    feature: Optional["Feature"] = Relationship(sa_relationship_kwargs={"viewonly": True})


class CollectionULabel(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_collection_ulabel"
    __table_args__ = (UniqueConstraint("collection_id", "ulabel_id", "feature_id"),)
    id: int | None = Field(default=None, primary_key=True)
    collection_id: int = fk("lk_collection.id", nullable=False, ondelete="CASCADE")
    ulabel_id: int = fk("lk_ulabel.id", nullable=False, ondelete="CASCADE")
    feature_id: int | None = fk("lk_feature.id", ondelete="CASCADE")


class RunULabel(LinkQueries, LinkCreated, table=True):
    """Labels of a run; `run_id` is the labelled run itself."""

    __tablename__ = "lk_run_ulabel"
    __table_args__ = (UniqueConstraint("run_id", "ulabel_id", "feature_id"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = fk("lk_run.id", nullable=False, ondelete="CASCADE")
    ulabel_id: int = fk("lk_ulabel.id", nullable=False, ondelete="CASCADE")
    feature_id: int | None = fk("lk_feature.id", ondelete="CASCADE")


class ArtifactSchema(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_artifact_schema"
    __table_args__ = (UniqueConstraint("artifact_id", "schema_id", "slot"),)
    id: int | None = Field(default=None, primary_key=True)
    artifact_id: int = fk("lk_artifact.id", nullable=False, ondelete="CASCADE")
    schema_id: int = fk("lk_schema.id", nullable=False, ondelete="CASCADE")
    slot: str | None = str_field(64)
    feature_ref_is_semantic: bool | None = None


class ArtifactJsonValue(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_artifact_jsonvalue"
    __table_args__ = (UniqueConstraint("artifact_id", "jsonvalue_id"),)
    id: int | None = Field(default=None, primary_key=True)
    artifact_id: int = fk("lk_artifact.id", nullable=False, ondelete="CASCADE")
    jsonvalue_id: int = fk("lk_jsonvalue.id", nullable=False, ondelete="CASCADE")


class ArtifactRecord(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_artifact_record"
    __table_args__ = (UniqueConstraint("artifact_id", "record_id", "feature_id"),)
    id: int | None = Field(default=None, primary_key=True)
    artifact_id: int = fk("lk_artifact.id", nullable=False, ondelete="CASCADE")
    record_id: int = fk("lk_record.id", nullable=False, ondelete="CASCADE")
    feature_id: int | None = fk("lk_feature.id", ondelete="CASCADE")

    # the linked record and its feature, as LaminDB's artifact.links_record rows have them
    record: Optional["Record"] = Relationship(sa_relationship_kwargs={"viewonly": True})
    feature: Optional["Feature"] = Relationship(sa_relationship_kwargs={"viewonly": True})


class ArtifactProject(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_artifact_project"
    __table_args__ = (UniqueConstraint("artifact_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    artifact_id: int = fk("lk_artifact.id", nullable=False, ondelete="CASCADE")
    project_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")
    feature_id: int | None = fk("lk_feature.id", ondelete="CASCADE")


class CollectionProject(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_collection_project"
    __table_args__ = (UniqueConstraint("collection_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    collection_id: int = fk("lk_collection.id", nullable=False, ondelete="CASCADE")
    project_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")


class FeatureProject(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_feature_project"
    __table_args__ = (UniqueConstraint("feature_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    feature_id: int = fk("lk_feature.id", nullable=False, ondelete="CASCADE")
    project_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")


class SchemaProject(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_schema_project"
    __table_args__ = (UniqueConstraint("schema_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    schema_id: int = fk("lk_schema.id", nullable=False, ondelete="CASCADE")
    project_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")


class ArtifactReference(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_artifact_reference"
    __table_args__ = (UniqueConstraint("artifact_id", "reference_id"),)
    id: int | None = Field(default=None, primary_key=True)
    artifact_id: int = fk("lk_artifact.id", nullable=False, ondelete="CASCADE")
    reference_id: int = fk("lk_reference.id", nullable=False, ondelete="CASCADE")
    feature_id: int | None = fk("lk_feature.id", ondelete="CASCADE")


class CallSiteColumns(SQLModel):
    """Where a run's input was loaded or its output saved (``records.call_sites.CallSite``):
    the notebook cell (id, execution count, hash of its source then, line in the cell), or a
    script's file and line. Empty for links made before 0008 and outside tracked code."""

    model_config = {"defer_build": True}  # type: ignore[assignment] - as SQLRecord's

    cell_id: str | None = str_field(64)
    execution_count: int | None = Field(default=None)
    cell_source_hash: str | None = str_field(32)
    call_file: str | None = str_field(1024)
    call_line: int | None = Field(default=None)


class RunInputArtifact(LinkQueries, CallSiteColumns, table=True):
    __tablename__ = "lk_run_input_artifact"
    __table_args__ = (UniqueConstraint("run_id", "artifact_id"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = fk("lk_run.id", nullable=False, ondelete="CASCADE")
    artifact_id: int = fk("lk_artifact.id", nullable=False, ondelete="CASCADE")


class RunInputCollection(LinkQueries, CallSiteColumns, table=True):
    __tablename__ = "lk_run_input_collection"
    __table_args__ = (UniqueConstraint("run_id", "collection_id"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = fk("lk_run.id", nullable=False, ondelete="CASCADE")
    collection_id: int = fk("lk_collection.id", nullable=False, ondelete="CASCADE")


class RunOutputArtifact(LinkQueries, CallSiteColumns, table=True):
    """An artifact a tracked run saved, with the call site; ``artifact.run`` stays the
    run that created it (LaminDB's field), this row says from where."""

    __tablename__ = "lk_run_output_artifact"
    __table_args__ = (UniqueConstraint("run_id", "artifact_id"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = fk("lk_run.id", nullable=False, ondelete="CASCADE")
    artifact_id: int = fk("lk_artifact.id", nullable=False, ondelete="CASCADE")


class RunOutputCollection(LinkQueries, CallSiteColumns, table=True):
    """A collection a tracked run saved, with the call site."""

    __tablename__ = "lk_run_output_collection"
    __table_args__ = (UniqueConstraint("run_id", "collection_id"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = fk("lk_run.id", nullable=False, ondelete="CASCADE")
    collection_id: int = fk("lk_collection.id", nullable=False, ondelete="CASCADE")


class CollectionArtifact(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_collection_artifact"
    __table_args__ = (UniqueConstraint("collection_id", "artifact_id"),)
    id: int | None = Field(default=None, primary_key=True)
    collection_id: int = fk("lk_collection.id", nullable=False, ondelete="CASCADE")
    artifact_id: int = fk("lk_artifact.id", nullable=False, ondelete="CASCADE")
    order: int | None = Field(default=None, sa_column_kwargs={"name": "order_index"})


class SchemaFeature(LinkQueries, SQLModel, table=True):
    __tablename__ = "lk_schema_feature"
    __table_args__ = (UniqueConstraint("schema_id", "feature_id"),)
    id: int | None = Field(default=None, primary_key=True)
    schema_id: int = fk("lk_schema.id", nullable=False, ondelete="CASCADE")
    feature_id: int = fk("lk_feature.id", nullable=False, ondelete="CASCADE")
    optional: bool = False  # a column the schema allows to be absent
    is_index: bool = False  # the schema's index feature (validates a DataFrame's index)


class SchemaComponent(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_schema_component"
    __table_args__ = (UniqueConstraint("composite_id", "slot"),)
    id: int | None = Field(default=None, primary_key=True)
    composite_id: int = fk("lk_schema.id", nullable=False, ondelete="CASCADE")
    component_id: int = fk("lk_schema.id", nullable=False, ondelete="CASCADE")
    slot: str | None = str_field(64)
