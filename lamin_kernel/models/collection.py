"""Collection: an ordered, versioned set of artifacts."""

from typing import TYPE_CHECKING, Any, ClassVar, Optional

from sqlalchemy import inspect
from sqlmodel import Field, Relationship

from ..records import collection_access, collection_create, lineage
from ..records.pending import stash_prepared, take_prepared
from ..records.related import linked
from ._fields import fk, str_field, text_field, uid_field, updated_at_field
from .base import IsVersioned, SQLRecord, TrackedFields, class_or_instance_method
from .feature_host import HasFeatures
from .links import CollectionArtifact, CollectionProject, CollectionULabel, RunInputCollection

if TYPE_CHECKING:
    from ..query.queryset import QuerySet
    from ..storage.mapped import MappedCollection
    from .artifact import Artifact
    from .core import User
    from .features import Schema
    from .labels import Project, ULabel
    from .transform import Run


class Collection(IsVersioned, HasFeatures, TrackedFields, SQLRecord, table=True):
    """An ordered set of artifacts, hashed over its members and versioned by key."""

    __tablename__ = "lk_collection"
    __lk_uid_length__: ClassVar[int] = 20
    __lk_versioned__: ClassVar[bool] = True
    __lk_name_field__: ClassVar[str | None] = "key"
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("key", "description")

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(20)
    key: str | None = str_field(1024, index=True)
    description: str | None = text_field()
    hash: str | None = str_field(22, index=True)
    reference: str | None = str_field(255)
    reference_type: str | None = str_field(25)
    version_tag: str | None = str_field(30)
    is_latest: bool = Field(default=True, index=True)
    meta_artifact_id: int | None = fk("lk_artifact.id")
    schema_id: int | None = fk("lk_schema.id")
    updated_at: Any = updated_at_field()

    artifacts: list["Artifact"] = Relationship(
        back_populates="collections",
        link_model=CollectionArtifact,
        sa_relationship_kwargs=linked(),
    )
    ulabels: list["ULabel"] = Relationship(
        back_populates="collections",
        link_model=CollectionULabel,
        sa_relationship_kwargs=linked(),
    )
    projects: list["Project"] = Relationship(
        back_populates="collections",
        link_model=CollectionProject,
        sa_relationship_kwargs=linked(),
    )
    input_of_runs: list["Run"] = Relationship(
        back_populates="input_collections",
        link_model=RunInputCollection,
        sa_relationship_kwargs=linked(),
    )
    run: Optional["Run"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Collection.run_id]", "viewonly": True}
    )
    created_by: Optional["User"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Collection.created_by_id]", "viewonly": True}
    )
    meta_artifact: Optional["Artifact"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Collection.meta_artifact_id]", "viewonly": True}
    )
    schema: Optional["Schema"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Collection.schema_id]", "viewonly": True}
    )

    def __new__(cls, artifacts: Any = None, key: str | None = None, **kwargs: Any) -> "Collection":
        # Same members as a saved collection: return that very record (see Artifact.__new__).
        if artifacts is None and key is None and not kwargs:
            return super().__new__(cls)
        prepared = collection_create.prepare(cls, artifacts, key, kwargs)
        if prepared.existing is not None:
            collection_create.announce_existing(prepared.existing)
            return prepared.existing
        record = super().__new__(cls)
        stash_prepared(record, prepared)
        return record

    def __init__(self, artifacts: Any = None, key: str | None = None, **kwargs: Any) -> None:
        prepared = take_prepared(self)
        if prepared is None:
            if inspect(self).persistent:  # __new__ returned the saved collection
                return
            prepared = collection_create.prepare(type(self), artifacts, key, kwargs)
        super().__init__(**prepared.fields)
        collection_create.finish(self, prepared)

    # -- members -----------------------------------------------------------------------
    @property
    def ordered_artifacts(self) -> "QuerySet":
        """The member artifacts in the order the collection was made with."""
        return collection_access.ordered_artifacts(self)

    @property
    def data_artifact(self) -> Optional["Artifact"]:
        """The first (for a data-and-metadata pair: the only) member artifact."""
        return self.ordered_artifacts.first()

    @property
    def name(self) -> str:
        """The last part of the key."""
        return (self.key or "").split("/")[-1]

    @property
    def transform(self) -> Any:
        """The transform whose run made the collection."""
        return self.run.transform if self.run is not None else None

    def append(self, artifact: "Artifact", run: Any = None) -> "Collection":
        """A new version (not saved yet) with `artifact` added at the end."""
        members = [*self.ordered_artifacts.to_list(), artifact]
        return type(self)(
            members, description=self.description, schema=self.schema, revises=self, run=run
        )

    @class_or_instance_method
    def describe(target: Any, return_str: bool = False) -> Any:  # noqa: N805
        """The collection's tree; on the class, its fields."""
        return collection_access.describe(target, return_str=return_str)

    # -- access ------------------------------------------------------------------------
    def load(self, join: str = "outer", is_run_input: bool | None = None, **kwargs: Any) -> Any:
        """All members in memory: one DataFrame, or one AnnData with obs `artifact_uid`."""
        return collection_access.load(self, join=join, is_run_input=is_run_input, **kwargs)

    def open(self, is_run_input: bool | None = None, **kwargs: Any) -> Any:
        """Stream: a pyarrow dataset over parquet members, backed AnnData for h5ad members."""
        return collection_access.open_collection(self, is_run_input=is_run_input, **kwargs)

    def cache(self, is_run_input: bool | None = None) -> list[Any]:
        """Local paths of the members (remote ones downloaded once)."""
        return collection_access.cache(self, is_run_input=is_run_input)

    def mapped(
        self,
        obs_keys: str | list[str] | None = None,
        join: str | None = "inner",
        layer: str | None = None,
        dtype: Any = None,
        is_run_input: bool | None = None,
    ) -> "MappedCollection":
        """A map-style dataset over the AnnData members that reads rows lazily.

        Each item is `{"X": row, <obs_key>: code, "_store_idx": member}`; labels are encoded
        by `dataset.encoders`; `dataset.get_label_weights(key)` feeds WeightedRandomSampler.
        `join` aligns members with different var: "inner", "outer" or None.
        """
        return collection_access.mapped(
            self, obs_keys=obs_keys, join=join, layer=layer, dtype=dtype, is_run_input=is_run_input
        )

    def view_lineage(self, **kwargs: Any) -> Any:
        """Draw the lineage graph around this record (SVG in a notebook, else a file)."""
        return lineage.view_lineage(self, **kwargs)
