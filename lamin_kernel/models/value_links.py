"""Tables that hold feature values of artifacts, runs, records and collections.

Categorical values are links (owner, value record, feature); non-categorical values are shared
`JsonValue` rows linked to artifacts, runs and collections, and per-record rows of
`RecordJson` for records (as LaminDB keeps them). Every table is registered with
`curation.value_links`, which the features manager and the queries by feature read.

    ArtifactUser       lk_artifact_user        artifact_id, user_id,   feature_id
    ArtifactRun        lk_artifact_run         artifact_id, value_id,  feature_id
    ArtifactArtifact   lk_artifact_artifact    artifact_id, value_id,  feature_id
    RunJsonValue       lk_run_jsonvalue        run_id, jsonvalue_id
    RunRecord          lk_run_record           run_id, record_id,      feature_id
    RunArtifact        lk_run_artifact         run_id, artifact_id,    feature_id
    RecordJson         lk_record_json          record_id, feature_id,  value, number
    RecordRecord ...   lk_record_<target>      record_id, value_id,    feature_id
    CollectionJsonValue lk_collection_jsonvalue collection_id, jsonvalue_id
    CollectionRecord   lk_collection_record    collection_id, record_id, feature_id
"""

import types
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import Float, Index, UniqueConstraint, inspect
from sqlalchemy.orm import synonym
from sqlmodel import Field, Relationship, SQLModel

from ..curation.value_links import JsonStore, ValueLink, register_json, register_link
from ._fields import fk, json_field
from .base import LinkQueries
from .link_columns import LinkCreated, LinkTracksRun
from .links import (
    ArtifactJsonValue,
    ArtifactRecord,
    ArtifactULabel,
    CollectionULabel,
    RunULabel,
)

if TYPE_CHECKING:
    from .features import Feature
    from .labels import Record

TARGET_TABLES = {
    "User": "lk_user",
    "Run": "lk_run",
    "Artifact": "lk_artifact",
    "Record": "lk_record",
    "ULabel": "lk_ulabel",
    "Collection": "lk_collection",
    "Project": "lk_project",
    "Reference": "lk_reference",
    "Transform": "lk_transform",
}


def _link_class(owner: str, target: str, value_column: str) -> type:
    """A link table `lk_<owner>_<target>` (owner_id, value column, feature_id, bookkeeping)."""
    owner_column = f"{owner.lower()}_id"
    table = f"lk_{owner.lower()}_{target.lower()}"
    namespace: dict[str, Any] = {
        "__tablename__": table,
        "__table_args__": (UniqueConstraint(owner_column, value_column, "feature_id"),),
        "id": Field(default=None, primary_key=True),
        owner_column: fk(f"lk_{owner.lower()}.id", nullable=False, ondelete="CASCADE"),
        value_column: fk(f"{TARGET_TABLES[target]}.id", nullable=False, ondelete="CASCADE"),
        "feature_id": fk("lk_feature.id", ondelete="CASCADE"),
    }
    annotations = {"id": int | None, owner_column: int, value_column: int, "feature_id": int | None}
    namespace = {"__annotations__": annotations, "__module__": __name__, **namespace}
    # the run that made a link, unless the link's own columns are runs (LaminDB's)
    tracks_run = owner in ("Artifact", "Collection") and target != "Run"
    cls = types.new_class(
        f"{owner}{target}",
        (LinkQueries, LinkTracksRun if tracks_run else LinkCreated),
        {"table": True},
        lambda ns: ns.update(namespace),
    )
    register_link(ValueLink(owner, target, cls.__table__, owner_column, value_column, model=cls))
    return cls


def _json_link_class(owner: str) -> type:
    """A link table `lk_<owner>_jsonvalue` (owner_id, jsonvalue_id)."""
    owner_column = f"{owner.lower()}_id"
    namespace: dict[str, Any] = {
        "__tablename__": f"lk_{owner.lower()}_jsonvalue",
        "__table_args__": (UniqueConstraint(owner_column, "jsonvalue_id"),),
        "id": Field(default=None, primary_key=True),
        owner_column: fk(f"lk_{owner.lower()}.id", nullable=False, ondelete="CASCADE"),
        "jsonvalue_id": fk("lk_jsonvalue.id", nullable=False, ondelete="CASCADE"),
    }
    annotations = {"id": int | None, owner_column: int, "jsonvalue_id": int}
    namespace = {"__annotations__": annotations, "__module__": __name__, **namespace}
    cls = types.new_class(
        f"{owner}JsonValue",
        (LinkQueries, LinkCreated),
        {"table": True},
        lambda ns: ns.update(namespace),
    )
    register_json(JsonStore(owner, cls.__table__, owner_column, "jsonvalue_id", shared=True))
    return cls


class RecordJson(LinkQueries, SQLModel, table=True):
    """A non-categorical value of one feature of one record (a list is one JSON value)."""

    __tablename__ = "lk_record_json"
    __table_args__ = (
        UniqueConstraint("record_id", "feature_id"),
        Index("ix_lk_record_json_feature_number", "feature_id", "number"),
    )
    id: int | None = Field(default=None, primary_key=True)
    record_id: int = fk("lk_record.id", nullable=False, ondelete="CASCADE")
    feature_id: int = fk("lk_feature.id", nullable=False, ondelete="CASCADE")
    value: Any = json_field()
    number: float | None = Field(default=None, sa_type=Float)

    record: Optional["Record"] = Relationship(sa_relationship_kwargs={"viewonly": True})
    feature: Optional["Feature"] = Relationship(sa_relationship_kwargs={"viewonly": True})


ArtifactUser = _link_class("Artifact", "User", "user_id")
ArtifactRun = _link_class("Artifact", "Run", "value_id")
# LaminDB names the run an artifact's feature holds `run_id` (and `run`: models/__init__.py)
inspect(ArtifactRun).add_property("run_id", synonym("value_id"))
ArtifactRun.__lk_aliases__ = {"run_id": "value_id"}  # type: ignore[attr-defined]
ArtifactArtifact = _link_class("Artifact", "Artifact", "value_id")
RunJsonValue = _json_link_class("Run")
RunRecord = _link_class("Run", "Record", "record_id")
RunArtifact = _link_class("Run", "Artifact", "artifact_id")
RecordRecord = _link_class("Record", "Record", "value_id")
RecordULabel = _link_class("Record", "ULabel", "value_id")
RecordUser = _link_class("Record", "User", "value_id")
RecordRun = _link_class("Record", "Run", "value_id")
RecordArtifact = _link_class("Record", "Artifact", "value_id")
RecordCollection = _link_class("Record", "Collection", "value_id")
RecordProject = _link_class("Record", "Project", "value_id")
RecordReference = _link_class("Record", "Reference", "value_id")
RecordTransform = _link_class("Record", "Transform", "value_id")
CollectionJsonValue = _json_link_class("Collection")
CollectionRecord = _link_class("Collection", "Record", "record_id")

register_json(
    JsonStore("Artifact", ArtifactJsonValue.__table__, "artifact_id", "jsonvalue_id", shared=True)
)
register_json(JsonStore("Record", RecordJson.__table__, "record_id", "value", shared=False))
for _owner, _target, _link, _column in (
    ("Artifact", "ULabel", ArtifactULabel, "ulabel_id"),
    ("Artifact", "Record", ArtifactRecord, "record_id"),
    ("Run", "ULabel", RunULabel, "ulabel_id"),
    ("Collection", "ULabel", CollectionULabel, "ulabel_id"),
):
    register_link(
        ValueLink(_owner, _target, _link.__table__, f"{_owner.lower()}_id", _column, model=_link)
    )
