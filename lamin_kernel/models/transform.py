"""What ran and each time it ran: Transform and Run."""

from typing import TYPE_CHECKING, Any, ClassVar, Optional

from sqlmodel import Field, Relationship

from ..records import lineage, run_sections
from ..records.related import RelatedList
from ._fields import dt_field, fk, json_field, str_field, text_field, uid_field
from .base import SQLRecord, TrackedFields
from .links import RunInputArtifact, RunInputCollection, RunULabel

if TYPE_CHECKING:
    from .artifact import Artifact
    from .collection import Collection
    from .core import User
    from .labels import ULabel


class Transform(TrackedFields, SQLRecord, table=True):
    """A notebook, script, function, pipeline or plan; versions share the uid stem."""

    __tablename__ = "lk_transform"
    __lk_uid_length__: ClassVar[int] = 16
    __lk_versioned__: ClassVar[bool] = True
    __lk_name_field__: ClassVar[str | None] = "key"
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("key", "description")

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(16)
    key: str | None = str_field(1024, index=True)
    description: str | None = text_field()
    kind: str = Field(default="pipeline", index=True, max_length=20)
    source_code: str | None = text_field()
    hash: str | None = str_field(22, index=True)
    reference: str | None = str_field(255)
    reference_type: str | None = str_field(25)
    version_tag: str | None = str_field(30)
    is_latest: bool = Field(default=True, index=True)
    environment_id: int | None = fk("lk_artifact.id")
    plan_id: int | None = fk("lk_artifact.id")

    runs: list["Run"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Run.transform_id]", "viewonly": True}
    )
    created_by: Optional["User"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Transform.created_by_id]", "viewonly": True}
    )

    def view_lineage(self, **kwargs: Any) -> Any:
        """Draw the lineage graph around this record (SVG in a notebook, else a file)."""
        return lineage.view_lineage(self, **kwargs)


class Run(TrackedFields, SQLRecord, table=True):
    """One execution of a transform, with its parameters, inputs and outputs."""

    __tablename__ = "lk_run"
    __lk_uid_length__: ClassVar[int] = 16
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("name", "description")

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(16)
    name: str | None = str_field(150, index=True)
    description: str | None = text_field()
    entrypoint: str | None = str_field(255)
    started_at: Any = dt_field(index=True)
    finished_at: Any = dt_field(index=True)
    params: dict | None = json_field()
    imported_packages: dict | None = json_field()  # {distribution: version} the code imports
    reference: str | None = str_field(255)
    reference_type: str | None = str_field(25)
    cli_args: str | None = text_field()
    status: str | None = str_field(20, column="_status")
    error: str | None = text_field()
    transform_id: int = fk("lk_transform.id", nullable=False, ondelete="CASCADE")
    report_id: int | None = fk("lk_artifact.id")
    environment_id: int | None = fk("lk_artifact.id")
    plan_id: int | None = fk("lk_artifact.id")
    initiated_by_run_id: int | None = fk("lk_run.id")

    transform: "Transform" = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Run.transform_id]"}
    )
    input_artifacts: list["Artifact"] = Relationship(
        back_populates="input_of_runs",
        link_model=RunInputArtifact,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    input_collections: list["Collection"] = Relationship(
        back_populates="input_of_runs",
        link_model=RunInputCollection,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    ulabels: list["ULabel"] = Relationship(
        back_populates="runs",
        link_model=RunULabel,
        sa_relationship_kwargs={"collection_class": RelatedList},
    )
    report: Optional["Artifact"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Run.report_id]", "viewonly": True}
    )
    environment: Optional["Artifact"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Run.environment_id]", "viewonly": True}
    )
    plan: Optional["Artifact"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Run.plan_id]", "viewonly": True}
    )
    initiated_by_run: Optional["Run"] = Relationship(
        sa_relationship_kwargs={
            "foreign_keys": "[Run.initiated_by_run_id]",
            "remote_side": "Run.id",
            "viewonly": True,
        }
    )
    created_by: Optional["User"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Run.created_by_id]", "viewonly": True}
    )

    def view_lineage(self, **kwargs: Any) -> Any:
        """Draw the lineage graph around this record (SVG in a notebook, else a file)."""
        return lineage.view_lineage(self, **kwargs)


run_sections.register()
