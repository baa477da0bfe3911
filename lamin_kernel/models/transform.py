"""What ran and each time it ran: Transform and Run."""

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Self

from sqlalchemy import inspect, select
from sqlmodel import Field, Relationship

from .. import log
from ..errors import InvalidArgument
from ..query.queryset import QuerySet
from ..records import (
    git_sources,
    lineage,
    run_cleanup,
    run_diff,
    run_sections,
    transform_create,
)
from ..records.pending import stash_prepared, take_prepared
from ..records.persist import is_new
from ..records.related import linked
from ._fields import (
    dt_field,
    fk,
    json_field,
    str_field,
    text_field,
    uid_field,
    updated_at_field,
    utcnow,
)
from .artifact import Artifact
from .base import IsVersioned, SQLRecord, TrackedFields
from .collection import Collection
from .feature_host import HasFeatures
from .links import (
    RunInputArtifact,
    RunInputCollection,
    RunOutputArtifact,
    RunOutputCollection,
    RunULabel,
)

if TYPE_CHECKING:
    from .core import User
    from .labels import ULabel


def _made_by(run: "Run", model: type) -> QuerySet:
    """The records of `model` a run created (none for an unsaved run)."""
    records = QuerySet(model)
    return records.filter(run_id=run.id) if run.id is not None else records.none()


def _recreating_runs(record: Any, column: Any, link: type) -> QuerySet:
    """The runs that saved `record` again after another run had made it (LaminDB's
    `artifact.recreating_runs`, the reverse of `run.recreated_artifacts`)."""
    runs = QuerySet(Run)
    if record.id is None:
        return runs.none()
    runs = runs.filter(id__in=select(link.run_id).where(column == record.id))
    return runs.exclude(id=record.run_id) if record.run_id is not None else runs


def _recreated_by(run: "Run", model: type, column: Any, link: type) -> QuerySet:
    """Records linked as outputs of a run that another run created."""
    records = QuerySet(model)
    if run.id is None:
        return records.none()
    linked = select(column).where(link.run_id == run.id)
    return records.filter(id__in=linked).exclude(run_id=run.id)


class Transform(IsVersioned, TrackedFields, SQLRecord, table=True):
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
    updated_at: Any = updated_at_field()

    runs: list["Run"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Run.transform_id]", "viewonly": True}
    )
    environment: Optional["Artifact"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Transform.environment_id]", "viewonly": True}
    )
    plan: Optional["Artifact"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Transform.plan_id]", "viewonly": True}
    )
    created_by: Optional["User"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Transform.created_by_id]", "viewonly": True}
    )

    __lk_before_permanent_delete__: ClassVar[Any] = staticmethod(
        run_cleanup.before_transform_delete
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> "Transform":
        # A saved transform the arguments name (uid, a draft's key, the same source code)
        # comes back instead of a duplicate. SQLAlchemy calls __new__ without arguments.
        if not args and not kwargs:
            return super().__new__(cls)
        prepared = transform_create.prepare(cls, args, kwargs)
        if prepared.existing is not None:
            return prepared.existing
        record = super().__new__(cls)
        stash_prepared(record, prepared)
        return record

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        prepared = take_prepared(self)
        if prepared is None:
            if inspect(self).persistent or self.__dict__.get("id") is not None:
                return  # __new__ returned the saved transform
            prepared = transform_create.prepare(type(self), args, kwargs)
        super().__init__(**prepared.fields)

    def save(self, *args: Any, **kwargs: Any) -> Self:
        """Insert (a new version becomes the latest of its family) or update."""
        if is_new(self) and not args and not kwargs:
            transform_create.save_new(self)
            return self
        return super().save(*args, **kwargs)

    # -- LaminDB's constructors and properties -----------------------------------------
    @classmethod
    def from_path(
        cls,
        path: str | Path,
        key: str | None = None,
        kind: str | None = None,
        version: str | None = None,
        description: str | None = None,
        skip_hash_lookup: bool = False,
    ) -> "Transform":
        """The saved transform of a local script or notebook (key: its path in the dev-dir)."""
        request = transform_create.FileTransform(
            Path(path), key, kind, version, description, skip_hash_lookup
        )
        return transform_create.from_path(cls, request)

    @classmethod
    def from_git(
        cls,
        url: str,
        path: str,
        key: str | None = None,
        version: str | None = None,
        entrypoint: str | None = None,
        branch: str | None = None,
        description: str | None = None,
        skip_hash_lookup: bool = False,
    ) -> "Transform":
        """A pipeline transform for a file in a git repository, pinned to a commit."""
        source = git_sources.resolve(url, path, version, branch)
        if key is None:
            key = f"{source.repo_name}/{path}"
            log.info(f"inferred key '{key}' from url & path")
        return cls(
            key=key,
            kind="pipeline",
            version=version,
            description=description,
            reference=source.reference(),
            reference_type="url",
            source_code=source.source_code(entrypoint),
            skip_hash_lookup=skip_hash_lookup,
        )

    @property
    def latest_run(self) -> Optional["Run"]:
        """The run of this transform that started last."""
        if self.id is None:
            return None
        return Run.filter(transform_id=self.id).order_by("-started_at", "-id").first()

    @property
    def type(self) -> str:
        """Former name of `kind`."""
        return self.kind

    def view_lineage(self, **kwargs: Any) -> Any:
        """Draw the lineage graph around this record (SVG in a notebook, else a file)."""
        return lineage.view_lineage(self, **kwargs)


class Run(HasFeatures, TrackedFields, SQLRecord, table=True):
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
    extra_data: dict | None = json_field()  # free-form JSON, LaminDB's extra_data
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
    updated_at: Any = updated_at_field()

    transform: "Transform" = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Run.transform_id]"}
    )
    input_artifacts: list["Artifact"] = Relationship(
        back_populates="input_of_runs",
        link_model=RunInputArtifact,
        sa_relationship_kwargs=linked(),
    )
    input_collections: list["Collection"] = Relationship(
        back_populates="input_of_runs",
        link_model=RunInputCollection,
        sa_relationship_kwargs=linked(),
    )
    ulabels: list["ULabel"] = Relationship(
        back_populates="runs",
        link_model=RunULabel,
        sa_relationship_kwargs=linked(),
    )
    report: Optional["Artifact"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Run.report_id]"}
    )
    environment: Optional["Artifact"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Run.environment_id]"}
    )
    plan: Optional["Artifact"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Run.plan_id]"}
    )
    initiated_by_run: Optional["Run"] = Relationship(
        sa_relationship_kwargs={
            "foreign_keys": "[Run.initiated_by_run_id]",
            "remote_side": "Run.id",
        }
    )
    created_by: Optional["User"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Run.created_by_id]", "viewonly": True}
    )

    __lk_before_permanent_delete__: ClassVar[Any] = staticmethod(run_cleanup.before_run_delete)

    @property
    def initiated_runs(self) -> QuerySet:
        """The runs this run started (those whose `initiated_by_run` it is)."""
        return Run.filter(initiated_by_run_id=self.id if self.id is not None else -1)

    def __init__(self, transform: Optional["Transform"] = None, **kwargs: Any) -> None:
        """`ln.Run(transform)` or `ln.Run(transform=transform, params={...})`."""
        if transform is not None:
            if not isinstance(transform, Transform):
                raise InvalidArgument(f"Run() takes a Transform, got {type(transform).__name__}")
            if transform.id is None:
                raise InvalidArgument("save the transform before creating a run of it")
            kwargs["transform"] = transform
        if "transform" not in kwargs and "transform_id" not in kwargs:
            raise InvalidArgument("Run() needs a transform: ln.Run(transform)")
        kwargs.setdefault("started_at", utcnow())
        super().__init__(**kwargs)

    @property
    def output_artifacts(self) -> QuerySet:
        """The artifacts this run created (LaminDB's reverse of `artifact.run`)."""
        return _made_by(self, Artifact)

    @property
    def output_collections(self) -> QuerySet:
        """The collections this run created."""
        return _made_by(self, Collection)

    @property
    def recreated_artifacts(self) -> QuerySet:
        """Artifacts this run saved again that existed already (found by their hash)."""
        return _recreated_by(self, Artifact, RunOutputArtifact.artifact_id, RunOutputArtifact)

    @property
    def recreated_collections(self) -> QuerySet:
        """Collections this run made again that existed already."""
        return _recreated_by(
            self, Collection, RunOutputCollection.collection_id, RunOutputCollection
        )

    @property
    def output_transforms(self) -> QuerySet:
        """The transforms this run created."""
        return _made_by(self, Transform)

    def view_lineage(self, **kwargs: Any) -> Any:
        """Draw the lineage graph around this record (SVG in a notebook, else a file)."""
        return lineage.view_lineage(self, **kwargs)

    @staticmethod
    def diff(a: "Run", b: "Run") -> run_diff.RunDiff:
        """What differs from run `a` to run `b`: params, feature values, inputs, outputs,
        environment packages and source (cell by cell for notebooks). Prints as text, shows
        as HTML in a notebook; `.to_dict()` gives the data."""
        return run_diff.diff_runs(a, b)


Artifact.recreating_runs = property(  # type: ignore[attr-defined]
    lambda self: _recreating_runs(self, RunOutputArtifact.artifact_id, RunOutputArtifact),
    doc="The runs that saved this artifact again after another run had made it.",
)
Collection.recreating_runs = property(  # type: ignore[attr-defined]
    lambda self: _recreating_runs(self, RunOutputCollection.collection_id, RunOutputCollection),
    doc="The runs that saved this collection again after another run had made it.",
)

run_sections.register()
