"""Projects of records, runs, transforms and labels, and a transform's predecessors.

LaminDB 2.12 links projects to more registries than artifacts, collections, features and
schemas: `record.projects` / `project.records`, `run.projects` / `project.runs`,
`transform.projects` / `project.transforms`, `ulabel.projects` / `project.ulabels`; and
transforms to the transforms that come before and after them in a workflow
(`transform.predecessors` / `transform.successors`, not needed for lineage, which runs
record by themselves). Also the other label links LaminDB 2.12 has: `record.references` /
`reference.records`, `transform.references` / `reference.transforms`,
`collection.references` / `reference.collections`, `project.users` / `user.projects`,
`transform.records` / `record.transforms`, `transform.ulabels` / `ulabel.transforms`
(migration 0016_compat). Each is a many-to-many manager (`.add`, `.remove`, `.set`, `.all()`)
and a filter (`ln.Record.filter(projects=project)`). The relations are added to the mapped
classes by `add_project_links` (migration 0014_compat creates the tables).
"""

from __future__ import annotations

import types
from typing import Any

from sqlalchemy import UniqueConstraint, inspect
from sqlalchemy.orm import backref, relationship
from sqlmodel import Field

from ..records.related import linked
from ._fields import fk, json_field
from .base import LinkQueries
from .link_columns import LinkCreated, LinkTracksRun


class ProjectRecord(LinkQueries, LinkTracksRun, table=True):
    """A project that a record belongs to (LaminDB's ProjectRecord)."""

    __tablename__ = "lk_project_record"
    __table_args__ = (UniqueConstraint("record_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    record_id: int = fk("lk_record.id", nullable=False, ondelete="CASCADE")
    project_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")
    feature_id: int | None = fk("lk_feature.id", ondelete="CASCADE")


class RunProject(LinkQueries, LinkCreated, table=True):
    __tablename__ = "lk_run_project"
    __table_args__ = (UniqueConstraint("run_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = fk("lk_run.id", nullable=False, ondelete="CASCADE")
    project_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")


class TransformProject(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_transform_project"
    __table_args__ = (UniqueConstraint("transform_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    transform_id: int = fk("lk_transform.id", nullable=False, ondelete="CASCADE")
    project_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")


class ULabelProject(LinkQueries, LinkTracksRun, table=True):
    __tablename__ = "lk_ulabel_project"
    __table_args__ = (UniqueConstraint("ulabel_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    ulabel_id: int = fk("lk_ulabel.id", nullable=False, ondelete="CASCADE")
    project_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")


def _link_class(
    name: str,
    table: str,
    first: tuple[str, str],
    second: tuple[str, str],
    with_feature: bool = False,
) -> type:
    """A plain link table `table` (id, first column, second column, optionally the feature
    the link is a value of, and who made it), unique per pair."""
    annotations: dict[str, Any] = {"id": int | None, first[0]: int, second[0]: int}
    namespace: dict[str, Any] = {
        "__annotations__": annotations,
        "__module__": __name__,
        "__tablename__": table,
        "__table_args__": (UniqueConstraint(first[0], second[0]),),
        "id": Field(default=None, primary_key=True),
        first[0]: fk(f"{first[1]}.id", nullable=False, ondelete="CASCADE"),
        second[0]: fk(f"{second[1]}.id", nullable=False, ondelete="CASCADE"),
    }
    if with_feature:
        annotations["feature_id"] = int | None
        namespace["feature_id"] = fk("lk_feature.id", ondelete="CASCADE")
    return types.new_class(
        name, (LinkQueries, LinkTracksRun), {"table": True}, lambda ns: ns.update(namespace)
    )


# LaminDB's other plain label links (migration 0016_compat)
ReferenceRecord = _link_class(
    "ReferenceRecord",
    "lk_reference_record",
    ("record_id", "lk_record"),
    ("reference_id", "lk_reference"),
    with_feature=True,
)
TransformReference = _link_class(
    "TransformReference",
    "lk_transform_reference",
    ("transform_id", "lk_transform"),
    ("reference_id", "lk_reference"),
)
CollectionReference = _link_class(
    "CollectionReference",
    "lk_collection_reference",
    ("collection_id", "lk_collection"),
    ("reference_id", "lk_reference"),
)
ProjectUser = _link_class(
    "ProjectUser", "lk_project_user", ("project_id", "lk_project"), ("user_id", "lk_user")
)
TransformRecord = _link_class(
    "TransformRecord",
    "lk_transform_record",
    ("transform_id", "lk_transform"),
    ("record_id", "lk_record"),
    with_feature=True,
)
TransformULabel = _link_class(
    "TransformULabel",
    "lk_transform_ulabel",
    ("transform_id", "lk_transform"),
    ("ulabel_id", "lk_ulabel"),
)


class TransformTransform(LinkQueries, LinkTracksRun, table=True):
    """`successor` follows `predecessor` in a workflow; `config` is free-form JSON."""

    __tablename__ = "lk_transform_transform"
    __table_args__ = (UniqueConstraint("successor_id", "predecessor_id"),)
    id: int | None = Field(default=None, primary_key=True)
    successor_id: int = fk("lk_transform.id", nullable=False, ondelete="CASCADE")
    predecessor_id: int = fk("lk_transform.id", nullable=False, ondelete="CASCADE")
    config: Any = json_field()


# (owner, relation, link class, owner column, target, target column, reverse relation)
PROJECT_LINKS: tuple[tuple[str, str, type, str, str, str, str], ...] = (
    ("Record", "projects", ProjectRecord, "record_id", "Project", "project_id", "records"),
    ("Run", "projects", RunProject, "run_id", "Project", "project_id", "runs"),
    ("Transform", "projects", TransformProject, "transform_id", "Project", "project_id")
    + ("transforms",),
    ("ULabel", "projects", ULabelProject, "ulabel_id", "Project", "project_id", "ulabels"),
    ("Transform", "predecessors", TransformTransform, "successor_id", "Transform")
    + ("predecessor_id", "successors"),
    ("Record", "references", ReferenceRecord, "record_id", "Reference", "reference_id")
    + ("records",),
    ("Transform", "references", TransformReference, "transform_id", "Reference")
    + ("reference_id", "transforms"),
    ("Collection", "references", CollectionReference, "collection_id", "Reference")
    + ("reference_id", "collections"),
    ("Project", "users", ProjectUser, "project_id", "User", "user_id", "projects"),
    ("Transform", "records", TransformRecord, "transform_id", "Record", "record_id")
    + ("transforms",),
    ("Transform", "ulabels", TransformULabel, "transform_id", "ULabel", "ulabel_id")
    + ("transforms",),
)


def add_project_links(
    classes: dict[str, type],
    links: tuple[tuple[str, str, type, str, str, str, str], ...] = PROJECT_LINKS,
) -> None:
    """Add both sides of each relation of `links` to the mapped classes."""
    for owner_name, name, link, own, target_name, other, reverse in links:
        owner, target, table = classes[owner_name], classes[target_name], link.__table__
        if name in inspect(owner).attrs:
            continue
        side = relationship(
            target,
            secondary=table,
            primaryjoin=owner.__table__.c.id == table.c[own],
            secondaryjoin=target.__table__.c.id == table.c[other],
            backref=backref(reverse, **linked()),
            **linked(),
        )
        inspect(owner).add_property(name, side)
