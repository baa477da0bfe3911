"""Projects of records, runs, transforms and labels, and a transform's predecessors.

LaminDB 2.12 links projects to more registries than artifacts, collections, features and
schemas: `record.projects` / `project.records`, `run.projects` / `project.runs`,
`transform.projects` / `project.transforms`, `ulabel.projects` / `project.ulabels`; and
transforms to the transforms that come before and after them in a workflow
(`transform.predecessors` / `transform.successors`, not needed for lineage, which runs
record by themselves). Each is a many-to-many manager (`.add`, `.remove`, `.set`, `.all()`)
and a filter (`ln.Record.filter(projects=project)`). The relations are added to the mapped
classes by `add_project_links` (migration 0014_compat creates the tables).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import UniqueConstraint, inspect
from sqlalchemy.orm import backref, relationship
from sqlmodel import Field, SQLModel

from ..records.related import linked
from ._fields import fk, json_field
from .base import LinkQueries


class ProjectRecord(LinkQueries, SQLModel, table=True):
    """A project that a record belongs to (LaminDB's ProjectRecord)."""

    __tablename__ = "lk_project_record"
    __table_args__ = (UniqueConstraint("record_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    record_id: int = fk("lk_record.id", nullable=False, ondelete="CASCADE")
    project_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")


class RunProject(LinkQueries, SQLModel, table=True):
    __tablename__ = "lk_run_project"
    __table_args__ = (UniqueConstraint("run_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = fk("lk_run.id", nullable=False, ondelete="CASCADE")
    project_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")


class TransformProject(LinkQueries, SQLModel, table=True):
    __tablename__ = "lk_transform_project"
    __table_args__ = (UniqueConstraint("transform_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    transform_id: int = fk("lk_transform.id", nullable=False, ondelete="CASCADE")
    project_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")


class ULabelProject(LinkQueries, SQLModel, table=True):
    __tablename__ = "lk_ulabel_project"
    __table_args__ = (UniqueConstraint("ulabel_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    ulabel_id: int = fk("lk_ulabel.id", nullable=False, ondelete="CASCADE")
    project_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")


class TransformTransform(LinkQueries, SQLModel, table=True):
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
)


def add_project_links(classes: dict[str, type]) -> None:
    """Add both sides of each relation of PROJECT_LINKS to the mapped classes."""
    for owner_name, name, link, own, target_name, other, reverse in PROJECT_LINKS:
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
