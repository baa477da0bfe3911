"""What the layers below `models/` use of each registry class, as `typing.Protocol`s.

The slots of `records.registered` are typed with these, so a reader (and a type checker)
sees which columns and methods `records/`, `query/`, `storage/` and `curation/` rely on.
Like SQLModel's own annotations, a column is declared with its Python type; on the class it
is the column expression SQL is built from (`registered.Artifact.uid == uid`). A unit test
checks that every registered class has what its Protocol declares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Table

    from ..query.queryset import QuerySet


class MappedTable(Protocol):
    """Every registry and link table: a mapped table and an id."""

    __table__: ClassVar[Table]
    __tablename__: ClassVar[str]
    id: int | None


class RegistryRow(MappedTable, Protocol):
    """A table with the query methods (registries and the link tables users query)."""

    @classmethod
    def filter(cls, *queries: Any, **expressions: Any) -> QuerySet:
        """The records matching Django-style lookups."""
        ...

    @classmethod
    def get(cls, idlike: int | str | None = None, **expressions: Any) -> Any:
        """The one record of an id, a uid (prefix) or lookups."""
        ...


class RegistryRecord(RegistryRow, Protocol):
    """A registry users save records of (an `SQLRecord`), by uid."""

    uid: str

    def save(self, *args: Any, **kwargs: Any) -> Any:
        """Write the record (insert or update)."""
        ...


class BranchedRecord(RegistryRecord, Protocol):
    """A registry whose records live on a branch (and are visible from it)."""

    branch_id: int


class NamedRecord(BranchedRecord, Protocol):
    """A label-like registry matched by name (ULabel, Record, Project, Reference)."""

    name: str


class TypedRecord(NamedRecord, Protocol):
    """A registry with types (`is_type`) that records sit under (`type_id`)."""

    is_type: bool
    type_id: int | None


class ArtifactProtocol(BranchedRecord, Protocol):
    key: str | None
    description: str | None
    kind: str | None
    suffix: str
    size: int | None
    hash: str | None
    hash_type: str | None
    version_tag: str | None
    is_latest: bool
    overwrite_versions: bool
    storage_id: int
    run_id: int | None
    schema_id: int | None

    @property
    def real_key(self) -> str | None:
        """Where the bytes are under the storage root (the key, or a uid-based one)."""
        ...


class CollectionProtocol(BranchedRecord, Protocol):
    key: str | None
    description: str | None
    hash: str | None
    version_tag: str | None
    is_latest: bool
    run_id: int | None
    schema_id: int | None


class FeatureProtocol(TypedRecord, Protocol):
    dtype: str | None


class SchemaProtocol(TypedRecord, Protocol):
    dtype: str | None
    itype: str | None
    n_members: int | None


class JsonValueProtocol(RegistryRow, Protocol):
    feature_id: int | None
    value: Any


class RunProtocol(BranchedRecord, Protocol):
    name: str | None
    started_at: datetime | None
    finished_at: datetime | None
    transform_id: int
    initiated_by_run_id: int | None
    report_id: int | None


class TransformProtocol(BranchedRecord, Protocol):
    key: str | None
    kind: str
    description: str | None
    version_tag: str | None


class StorageProtocol(BranchedRecord, Protocol):
    root: str
    instance_uid: str | None


class UserProtocol(RegistryRecord, Protocol):
    handle: str


class BranchProtocol(RegistryRecord, Protocol):
    name: str


class SpaceProtocol(RegistryRecord, Protocol):
    name: str


class ValidationReportProtocol(MappedTable, Protocol):
    artifact_id: int | None
    run_id: int | None
    schema_id: int | None


class RunInputArtifactProtocol(RegistryRow, Protocol):
    run_id: int
    artifact_id: int


class RunInputCollectionProtocol(RegistryRow, Protocol):
    run_id: int
    collection_id: int


class RunOutputArtifactProtocol(RegistryRow, Protocol):
    run_id: int
    artifact_id: int


class RunOutputCollectionProtocol(RegistryRow, Protocol):
    run_id: int
    collection_id: int


class CollectionArtifactProtocol(RegistryRow, Protocol):
    collection_id: int
    artifact_id: int
    order: int | None


class ArtifactSchemaProtocol(RegistryRow, Protocol):
    artifact_id: int
    schema_id: int
    slot: str | None


class SchemaComponentProtocol(RegistryRow, Protocol):
    composite_id: int
    component_id: int
    slot: str | None


class SchemaFeatureProtocol(RegistryRow, Protocol):
    schema_id: int
    feature_id: int
