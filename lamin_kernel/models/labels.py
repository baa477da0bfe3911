"""Labels: ULabel (universal labels), Record (typed records, sheets), Project, Reference.

All four nest under types (`is_type=True` records of their own registry, `type=`); ULabel,
Record and Project also form ontologies through `parents` / `children`.
"""

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, Optional

from sqlalchemy import BigInteger, Date, inspect
from sqlalchemy.orm import backref
from sqlmodel import Field, Relationship

from ..curation import feature_attach
from ..query.queryset import QuerySet, register_queryset_class
from ..records import sheets, type_tree
from ..records.construct import check_keyword_arguments
from ..records.record_types import check_type, existing_with_same_name
from ..records.related import linked
from . import project_status
from ._fields import fk, json_field, str_field, text_field, uid_field, updated_at_field
from .base import SQLRecord, TrackedFields
from .can_curate import CanCurate
from .feature_host import HasFeatures
from .has_type import HasEmoji, HasParents, HasType
from .label_links import (
    ProjectParent,
    RecordParent,
    RunInputRecord,
    ULabelParent,
    children_relation,
    parents_relation,
)
from .links import (
    ArtifactProject,
    ArtifactRecord,
    ArtifactReference,
    ArtifactULabel,
    CollectionProject,
    CollectionULabel,
    FeatureProject,
    RunULabel,
    SchemaProject,
)
from .record_export import RecordQuerySet, RecordSheets

if TYPE_CHECKING:
    from .artifact import Artifact
    from .collection import Collection
    from .features import Feature, Schema
    from .transform import Run

ULABEL_ARGUMENTS = (
    "name",
    "type",
    "is_type",
    "description",
    "reference",
    "reference_type",
    "branch",
    "space",
)
RECORD_ARGUMENTS = (
    "name",
    "type",
    "is_type",
    "features",
    "description",
    "schema",
    "reference",
    "reference_type",
    "branch",
    "space",
)
PROJECT_ARGUMENTS = (
    "name",
    "type",
    "is_type",
    "abbr",
    "url",
    "description",
    "start_date",
    "end_date",
    "branch",
    "space",
)
REFERENCE_ARGUMENTS = (
    "name",
    "type",
    "is_type",
    "abbr",
    "url",
    "pubmed_id",
    "doi",
    "description",
    "text",
    "date",
    "branch",
    "space",
)


def _date_field() -> Any:
    return Field(default=None, sa_type=Date)


def _was_found(record: Any) -> bool:
    """__new__ gave back a saved record (same name): __init__ has nothing to do."""
    return bool(inspect(record).persistent)


def _type_changed(record: Any) -> bool:
    """A saved record was given another type since it was loaded."""
    state = inspect(record)
    if not state.persistent:
        return False
    return state.attrs.type.history.has_changes() or state.attrs.type_id.history.has_changes()


class ULabel(CanCurate, HasParents, HasEmoji, HasType, TrackedFields, SQLRecord, table=True):
    """A universal label; `is_type` labels group others through `type`."""

    __tablename__ = "lk_ulabel"
    __lk_uid_length__: ClassVar[int] = 8
    __lk_is_label__: ClassVar[bool] = True

    id: int | None = Field(default=None, primary_key=True)
    aux: Any = json_field(column="_aux")  # LaminDB's `_aux`: the emoji
    uid: str | None = uid_field(8)
    name: str = Field(index=True, max_length=150)
    description: str | None = text_field()
    reference: str | None = str_field(255, index=True)
    reference_type: str | None = str_field(25, index=True)
    is_type: bool = Field(default=False, index=True)
    type_id: int | None = fk("lk_ulabel.id")
    updated_at: Any = updated_at_field()

    type: Optional["ULabel"] = Relationship(
        sa_relationship_kwargs={"remote_side": "ULabel.id", "foreign_keys": "[ULabel.type_id]"}
    )
    parents: list["ULabel"] = parents_relation("ULabel", ULabelParent)
    children: list["ULabel"] = children_relation("ULabel", ULabelParent)
    artifacts: list["Artifact"] = Relationship(
        back_populates="ulabels",
        link_model=ArtifactULabel,
        sa_relationship_kwargs=linked(),
    )
    collections: list["Collection"] = Relationship(
        back_populates="ulabels",
        link_model=CollectionULabel,
        sa_relationship_kwargs=linked(),
    )
    runs: list["Run"] = Relationship(
        back_populates="ulabels",
        link_model=RunULabel,
        sa_relationship_kwargs=linked(),
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> "ULabel":
        # A label with the same name (and type) exists: return it, as LaminDB does.
        existing = existing_with_same_name(cls, kwargs) if kwargs and not args else None
        return existing if existing is not None else super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if _was_found(self):
            return
        check_keyword_arguments(ULabel, args, kwargs, ULABEL_ARGUMENTS)
        check_type(ULabel, kwargs)
        super().__init__(**kwargs)

    @property
    def ulabels(self) -> QuerySet:
        """The labels whose type is this label."""
        return type_tree.direct_records(self)

    def query_ulabels(self, depth: int | None = None) -> QuerySet:
        """Labels of this type and of its sub-types (`depth` type hops at most)."""
        return self._query_typed(depth)


class Record(
    RecordSheets,
    HasFeatures,
    CanCurate,
    HasParents,
    HasEmoji,
    HasType,
    TrackedFields,
    SQLRecord,
    table=True,
):
    """A generic typed record (ln.Record): a data record, or with `is_type=True` a type that
    groups records; a type with a `schema` is a sheet whose records have those features."""

    __tablename__ = "lk_record"
    __lk_uid_length__: ClassVar[int] = 16
    __lk_is_label__: ClassVar[bool] = True

    id: int | None = Field(default=None, primary_key=True)
    aux: Any = json_field(column="_aux")  # LaminDB's `_aux`: the emoji
    uid: str | None = uid_field(16)
    name: str | None = str_field(150, index=True)
    description: str | None = text_field()
    reference: str | None = str_field(255, index=True)
    reference_type: str | None = str_field(25, index=True)
    extra_data: dict | None = json_field()
    is_type: bool = Field(default=False, index=True)
    type_id: int | None = fk("lk_record.id")
    schema_id: int | None = fk("lk_schema.id")
    updated_at: Any = updated_at_field()

    type: Optional["Record"] = Relationship(
        sa_relationship_kwargs={"remote_side": "Record.id", "foreign_keys": "[Record.type_id]"}
    )
    schema: Optional["Schema"] = Relationship(
        sa_relationship_kwargs={
            "foreign_keys": "[Record.schema_id]",
            "backref": backref("records", viewonly=True),
        }
    )
    parents: list["Record"] = parents_relation("Record", RecordParent)
    children: list["Record"] = children_relation("Record", RecordParent)
    artifacts: list["Artifact"] = Relationship(
        back_populates="records",
        link_model=ArtifactRecord,
        sa_relationship_kwargs=linked(),
    )
    input_of_runs: list["Run"] = Relationship(
        link_model=RunInputRecord,
        sa_relationship_kwargs={
            **linked(),
            "backref": backref("input_records", **linked()),
        },
    )
    run: Optional["Run"] = Relationship(
        sa_relationship_kwargs={
            "foreign_keys": "[Record.run_id]",
            "backref": backref("output_records", viewonly=True),
        }
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> "Record":
        existing = existing_with_same_name(cls, kwargs) if kwargs and not args else None
        return existing if existing is not None else super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if _was_found(self):
            return
        check_keyword_arguments(Record, args, kwargs, RECORD_ARGUMENTS)
        features = kwargs.pop("features", None)
        if kwargs.get("schema") is not None and not kwargs.get("is_type"):
            kwargs["is_type"] = True  # a schema makes a type (a sheet), as in LaminDB
        check_type(Record, kwargs)
        record_type = kwargs.get("type")
        name, features = sheets.name_from_index(record_type, kwargs.get("name"), features)
        if name is not None:
            kwargs["name"] = name
        super().__init__(**kwargs)
        feature_attach.on_save(self, features)  # checked now, written when saved
        sheets.check_joins_sheet(self, record_type)

    def save(self, *args: Any, **kwargs: Any) -> "Record":
        """Save; a type's schema must suit a sheet, and a record moved into a sheet must have
        the features its schema requires."""
        if self.is_type:
            sheets.check_sheet_schema(self.schema)
        elif _type_changed(self):
            sheets.check_joins_sheet(self, self.type)
        return super().save(*args, **kwargs)

    @property
    def records(self) -> QuerySet:
        """The records whose type is this record (a type's data records)."""
        return type_tree.direct_records(self)

    def query_records(self, depth: int | None = None) -> QuerySet:
        """Records of this type and of its sub-types (`depth` type hops at most)."""
        return self._query_typed(depth)

    @property
    def is_page(self) -> bool:
        """A type without a schema (a folder of records)."""
        return bool(self.is_type) and self.schema_id is None

    @property
    def is_frame(self) -> bool:
        """A type with a schema (a sheet)."""
        return bool(self.is_type) and self.schema_id is not None

    is_sheet = is_frame

    @property
    def is_data(self) -> bool:
        """A record that is not a type."""
        return not self.is_type


register_queryset_class(Record, RecordQuerySet)


class Project(CanCurate, HasParents, HasEmoji, HasType, TrackedFields, SQLRecord, table=True):
    """A project that artifacts, records and other projects belong to."""

    __tablename__ = "lk_project"
    __lk_uid_length__: ClassVar[int] = 12
    __lk_is_label__: ClassVar[bool] = True

    id: int | None = Field(default=None, primary_key=True)
    aux: Any = json_field(column="_aux")  # LaminDB's `_aux`: the emoji
    uid: str | None = uid_field(12)
    name: str = Field(index=True, max_length=255)
    description: str | None = text_field()
    abbr: str | None = str_field(32)
    url: str | None = str_field(255)
    start_date: dt.date | None = _date_field()
    end_date: dt.date | None = _date_field()
    is_type: bool = Field(default=False, index=True)
    type_id: int | None = fk("lk_project.id")
    updated_at: Any = updated_at_field()
    # LaminDB's _status_code; read and set as `status`
    status_code: int = Field(
        default=project_status.NEW_PROJECT_CODE,
        index=True,
        sa_column_kwargs={"name": "_status_code", "server_default": "0"},
    )
    __lk_filter_resolver__: ClassVar[Any] = staticmethod(project_status.status_condition)

    type: Optional["Project"] = Relationship(
        sa_relationship_kwargs={"remote_side": "Project.id", "foreign_keys": "[Project.type_id]"}
    )
    parents: list["Project"] = parents_relation("Project", ProjectParent)
    children: list["Project"] = children_relation("Project", ProjectParent)
    artifacts: list["Artifact"] = Relationship(
        back_populates="projects",
        link_model=ArtifactProject,
        sa_relationship_kwargs=linked(),
    )
    collections: list["Collection"] = Relationship(
        back_populates="projects",
        link_model=CollectionProject,
        sa_relationship_kwargs=linked(),
    )
    features: list["Feature"] = Relationship(
        back_populates="projects",
        link_model=FeatureProject,
        sa_relationship_kwargs=linked(),
    )
    schemas: list["Schema"] = Relationship(
        back_populates="projects",
        link_model=SchemaProject,
        sa_relationship_kwargs=linked(),
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> "Project":
        # one with the same name (and type) exists: return it, as LaminDB does
        existing = existing_with_same_name(cls, kwargs) if kwargs and not args else None
        return existing if existing is not None else super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if _was_found(self):
            return
        check_keyword_arguments(Project, args, kwargs, PROJECT_ARGUMENTS)
        check_type(Project, kwargs)
        super().__init__(**kwargs)

    @property
    def status(self) -> str:
        """planned, up-next, active, completed, background, paused, canceled or archived."""
        return project_status.status_of(self.status_code)

    @status.setter
    def status(self, value: str) -> None:
        self.status_code = project_status.code_of(value)

    @property
    def projects(self) -> QuerySet:
        """The projects whose type is this project."""
        return type_tree.direct_records(self)

    def query_projects(self, depth: int | None = None) -> QuerySet:
        """Projects of this type and of its sub-types (`depth` type hops at most)."""
        return self._query_typed(depth)


class Reference(CanCurate, HasEmoji, HasType, TrackedFields, SQLRecord, table=True):
    """A publication, document or URL that artifacts cite."""

    __tablename__ = "lk_reference"
    __lk_uid_length__: ClassVar[int] = 12
    __lk_is_label__: ClassVar[bool] = True

    id: int | None = Field(default=None, primary_key=True)
    aux: Any = json_field(column="_aux")  # LaminDB's `_aux`: the emoji
    uid: str | None = uid_field(12)
    name: str = Field(index=True, max_length=255)
    description: str | None = text_field()
    abbr: str | None = str_field(32, index=True)
    url: str | None = str_field(255)
    pubmed_id: int | None = Field(default=None, sa_type=BigInteger, index=True)
    doi: str | None = str_field(255)
    text: str | None = text_field()
    date: dt.date | None = _date_field()
    is_type: bool = Field(default=False, index=True)
    type_id: int | None = fk("lk_reference.id")
    updated_at: Any = updated_at_field()

    type: Optional["Reference"] = Relationship(
        sa_relationship_kwargs={
            "remote_side": "Reference.id",
            "foreign_keys": "[Reference.type_id]",
        }
    )
    artifacts: list["Artifact"] = Relationship(
        back_populates="references",
        link_model=ArtifactReference,
        sa_relationship_kwargs=linked(),
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> "Reference":
        # one with the same name (and type) exists: return it, as LaminDB does
        existing = existing_with_same_name(cls, kwargs) if kwargs and not args else None
        return existing if existing is not None else super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if _was_found(self):
            return
        check_keyword_arguments(Reference, args, kwargs, REFERENCE_ARGUMENTS)
        check_type(Reference, kwargs)
        super().__init__(**kwargs)

    @property
    def references(self) -> QuerySet:
        """The references whose type is this reference."""
        return type_tree.direct_records(self)

    def query_references(self, depth: int | None = None) -> QuerySet:
        """References of this type and of its sub-types (`depth` type hops at most)."""
        return self._query_typed(depth)
