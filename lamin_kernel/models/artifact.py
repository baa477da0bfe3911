"""Artifact: a file, folder or in-memory object stored as bytes and registered as a row."""

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Self

import sqlalchemy as sa
from sqlalchemy import inspect
from sqlmodel import Field, Relationship

from ..curation import describe_sections
from ..records import (
    artifact_access,
    artifact_bulk_delete,
    artifact_create,
    artifact_delete,
    artifact_folder,
    artifact_moves,
    artifact_objects,
    artifact_prepare,
    artifact_replace,
    deleted_records,
    lineage,
)
from ..records.label_manager import LabelManager
from ..records.pending import stash_prepared, take_prepared
from ..records.related import linked
from ..storage.formats import object_type as formats_object_type
from ._fields import (
    bigint_field,
    fk,
    json_field,
    str_field,
    text_field,
    uid_field,
    updated_at_field,
)
from .base import IsVersioned, SQLRecord, TrackedFields
from .builtin_schemas import schema_argument
from .describe_order import ARTIFACT_DESCRIBE_RELATIONS
from .feature_host import HasFeatures
from .links import (
    ArtifactJsonValue,
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
    from .features import JsonValue, Schema
    from .labels import Project, Record, Reference, ULabel
    from .transform import Run, Transform


class Artifact(IsVersioned, HasFeatures, TrackedFields, SQLRecord, table=True):
    """A dataset or model: a file, a folder, a DataFrame or an AnnData, versioned by key."""

    __tablename__ = "lk_artifact"
    __lk_uid_length__: ClassVar[int] = 20
    __lk_versioned__: ClassVar[bool] = True
    __lk_name_field__: ClassVar[str | None] = "key"
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("key", "description")
    # class-level describe(): LaminDB's relational fields in its declaration order
    __lk_describe_relations__: ClassVar[dict[str, str | None]] = ARTIFACT_DESCRIBE_RELATIONS
    __lk_aliases__: ClassVar[dict[str, str]] = {
        "transform": "run__transform",
        "schemas": "feature_sets",
    }
    __lk_before_permanent_delete__: ClassVar[Any] = staticmethod(artifact_access.plan_bytes_removal)
    # QuerySet.delete(): in chunks, bytes removed after their rows' deletion committed
    __lk_delete_selected__: ClassVar[Any] = staticmethod(artifact_bulk_delete.delete_selected)

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
    extra_data: dict | None = json_field()  # free-form JSON, LaminDB's extra_data
    version_tag: str | None = str_field(30)
    is_latest: bool = Field(default=True, index=True)
    updated_at: Any = updated_at_field()
    storage_id: int = fk("lk_storage.id", nullable=False)
    schema_id: int | None = fk("lk_schema.id")
    hash_type: str | None = str_field(30, column="_hash_type")
    key_is_virtual: bool = Field(default=True, sa_column_kwargs={"name": "_key_is_virtual"})
    real_key: str | None = str_field(1024, column="_real_key")
    # versions share one store (a folder, a streamed zarr): LaminDB's _overwrite_versions
    overwrite_versions: bool = Field(
        default=False,
        sa_column_kwargs={"name": "_overwrite_versions", "server_default": sa.false()},
    )

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
        sa_relationship_kwargs=linked(),
    )
    records: list["Record"] = Relationship(
        back_populates="artifacts",
        link_model=ArtifactRecord,
        sa_relationship_kwargs=linked(),
    )
    projects: list["Project"] = Relationship(
        back_populates="artifacts",
        link_model=ArtifactProject,
        sa_relationship_kwargs=linked(),
    )
    references: list["Reference"] = Relationship(
        back_populates="artifacts",
        link_model=ArtifactReference,
        sa_relationship_kwargs=linked(),
    )
    json_values: list["JsonValue"] = Relationship(
        back_populates="artifacts",
        link_model=ArtifactJsonValue,
        sa_relationship_kwargs=linked(),
    )
    feature_sets: list["Schema"] = Relationship(
        back_populates="artifacts",
        link_model=ArtifactSchema,
        sa_relationship_kwargs=linked(),
    )
    input_of_runs: list["Run"] = Relationship(
        back_populates="input_artifacts",
        link_model=RunInputArtifact,
        sa_relationship_kwargs=linked(),
    )
    collections: list["Collection"] = Relationship(
        back_populates="artifacts",
        link_model=CollectionArtifact,
        sa_relationship_kwargs=linked(),
    )

    def __new__(cls, path: Any = None, **kwargs: Any) -> "Artifact":
        # Same content as a saved artifact: return that very record (the objects a user
        # already holds stay attached). SQLAlchemy calls __new__ without arguments.
        if path is None and not kwargs:
            return super().__new__(cls)
        prepared = kwargs.pop("_prepared", None) or artifact_prepare.prepare(
            cls, path, _arguments(kwargs)
        )
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
            prepared = artifact_prepare.prepare(type(self), path, _arguments(kwargs))
        super().__init__(**prepared.fields)
        artifact_create.finish(self, prepared)

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_dataframe(
        cls,
        df: Any,
        *,
        key: str | None = None,
        description: str | None = None,
        run: Any = None,
        revises: "Artifact | None" = None,
        schema: Any = None,
        features: dict[str, Any] | None = None,
        parquet_kwargs: dict[str, Any] | None = None,
        csv_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> "Artifact":
        """An artifact for a pandas DataFrame, stored as parquet (or csv by key or format=);
        schema= validates it, "valid_features" names LaminDB's built-in schema."""
        return cls._from_object(
            df,
            "DataFrame",
            key=key,
            description=description,
            run=run,
            revises=revises,
            schema=schema,
            features=features,
            parquet_kwargs=parquet_kwargs,
            csv_kwargs=csv_kwargs,
            **kwargs,
        )

    from_df = from_dataframe

    @classmethod
    def from_anndata(
        cls,
        adata: Any,
        *,
        key: str | None = None,
        description: str | None = None,
        run: Any = None,
        revises: "Artifact | None" = None,
        schema: Any = None,
        features: dict[str, Any] | None = None,
        format: str | None = None,
        h5ad_kwargs: dict[str, Any] | None = None,
        zarr_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> "Artifact":
        """An artifact for an AnnData object, stored as h5ad (or zarr by key or format=)."""
        return cls._from_object(
            adata,
            "AnnData",
            key=key,
            description=description,
            run=run,
            revises=revises,
            schema=schema,
            features=features,
            format=format,
            h5ad_kwargs=h5ad_kwargs,
            zarr_kwargs=zarr_kwargs,
            **kwargs,
        )

    @classmethod
    def from_mudata(cls, mdata: Any, *, key: str | None = None, **kwargs: Any) -> "Artifact":
        """An artifact for a MuData object (.h5mu), or for a path of one."""
        return cls._from_object(mdata, "MuData", key=key, **kwargs)

    @classmethod
    def from_spatialdata(cls, sdata: Any, *, key: str | None = None, **kwargs: Any) -> "Artifact":
        """An artifact for a SpatialData object (a .zarr store), or for a path of one."""
        return cls._from_object(sdata, "SpatialData", key=key, **kwargs)

    @classmethod
    def from_tiledbsoma(cls, exp: Any, *, key: str | None = None, **kwargs: Any) -> "Artifact":
        """An artifact for a TileDB-SOMA experiment store, given by its path."""
        if not isinstance(exp, str | Path) and not hasattr(exp, "fs"):
            uri = getattr(exp, "uri", None)
            if uri is None:
                raise ValueError("data has to be a SOMA Experiment object or a path.")
            exp = uri
        kwargs = {"kind": "dataset", **_arguments(kwargs), "otype": "tiledbsoma"}
        return cls(exp, key=key, **kwargs)

    @classmethod
    def _from_object(cls, data: Any, otype: str, **kwargs: Any) -> "Artifact":
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        kwargs = _arguments(kwargs)
        if isinstance(data, str | Path) or hasattr(data, "fs"):  # a path of such an object
            return cls(data, otype=otype, **{"kind": "dataset", **kwargs})
        if otype in ("MuData", "SpatialData") and formats_object_type(data) != otype:
            article = "a" if otype[0] not in "AEIOU" else "an"
            raise ValueError(f"data has to be {article} {otype} object or a path to {otype}-like")
        # the validation machinery loads on first use, not when Artifact is defined
        from ..curation import curators

        return artifact_objects.from_object(
            cls, data, otype, validate=curators.validate_for_artifact, **kwargs
        )

    @classmethod
    def from_dir(cls, path: Any, *, key: str | None = None, run: Any = None) -> Any:
        """One unsaved artifact per file below a folder, keyed `<key>/<relative path>`, as
        an SQLRecordList for `ln.save()`; `key` defaults to the folder's path inside its
        registered storage (registered in place) or else to its name (copied on save)."""
        return artifact_folder.from_dir(cls, path, key, run)

    @classmethod
    def from_lazy(
        cls,
        suffix: str,
        overwrite_versions: bool,
        key: str | None = None,
        description: str | None = None,
        run: Any = None,
        **kwargs: Any,
    ) -> artifact_prepare.LazyArtifact:
        """A path inside the default storage to write into; `.save()` registers what was
        written there as an artifact, without copying."""
        extra = {"key": key, "description": description, "run": run, **kwargs}
        extra = {k: v for k, v in extra.items() if v is not None}
        return artifact_prepare.LazyArtifact(cls, suffix, overwrite_versions, **extra)

    @property
    def labels(self) -> LabelManager:
        """Labels of every registry: .add(records, feature=...), .get(feature), .add_from(other)."""
        return LabelManager(self)

    @property
    def schemas(self) -> Any:
        """The schemas the artifact was validated with, one per slot (LaminDB's name)."""
        return self.feature_sets

    # -- access ------------------------------------------------------------------------
    @property
    def path(self) -> Any:
        """The stored location as a UPath."""
        return artifact_access.artifact_path(self)

    @property
    def transform(self) -> Optional["Transform"]:
        return self.run.transform if self.run is not None else None

    @property
    def n_objects(self) -> int | None:
        """The number of files of a folder (LaminDB's alias of n_files)."""
        return self.n_files

    def load(self, **kwargs: Any) -> Any:
        """Load into memory (DataFrame, AnnData, dict, text...)."""
        return artifact_access.load(self, **kwargs)

    def cache(self, **kwargs: Any) -> Any:
        """A local path to the bytes; remote bytes are downloaded once into the cache."""
        return artifact_access.cache(self, **kwargs)

    def open(self, mode: str = "r", engine: str = "pyarrow", **kwargs: Any) -> Any:
        """Stream: a pyarrow dataset for tables, backed AnnData for h5ad, a zarr accessor
        for zarr stores (mode="r+" writes into a store whose versions share it)."""
        return artifact_access.open_artifact(self, mode=mode, engine=engine, **kwargs)

    def save(self, *args: Any, **kwargs: Any) -> Self:
        """Save: a new artifact's bytes go into storage; a changed storage, space, key or
        suffix of a saved one moves its bytes."""
        if self.id is None or args or kwargs:
            return super().save(*args, **kwargs)
        deleted_records.refuse_deleted(self, "save")  # its bytes went with its row
        artifact_moves.save_with_moves(self, lambda: SQLRecord.save(self))
        return self

    def replace(self, data: Any, run: Any = None, format: str | None = None) -> None:
        """New content from a path or an object, without a new version; then call .save()."""
        artifact_replace.replace(self, data, run=run, format=format)

    def delete(self, permanent: bool | None = None, storage: bool | None = None) -> None:
        """To the trash; for good with permanent=True (or when in the trash already).

        storage=False keeps the bytes; storage=True also removes bytes at a real key path.
        """
        if deleted_records.deleted_already(self):
            return
        deleted_records.refuse_deleted(self, "delete")
        artifact_delete.delete_artifact(self, permanent, storage)

    def view_lineage(self, **kwargs: Any) -> Any:
        """Draw the lineage graph around this record (SVG in a notebook, else a file)."""
        return lineage.view_lineage(self, **kwargs)


def _arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A schema given by the name of a built-in one becomes that schema."""
    if isinstance(kwargs.get("schema"), str):
        return {**kwargs, "schema": schema_argument(kwargs["schema"])}
    return kwargs


describe_sections.register()
