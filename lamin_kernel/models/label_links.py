"""Link tables of the label registries: parents (ontologies) and records as run inputs.

RecordParent     lk_record_parent       child_id, parent_id
ULabelParent     lk_ulabel_parent       child_id, parent_id
ProjectParent    lk_project_parent      child_id, parent_id
RunInputRecord   lk_run_input_record    run_id, record_id
"""

from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from ..records.related import linked
from ._fields import created_at_field, fk


class RecordParent(SQLModel, table=True):
    __tablename__ = "lk_record_parent"
    model_config = {"defer_build": True}  # type: ignore[assignment] - as SQLRecord\'s
    __table_args__ = (UniqueConstraint("child_id", "parent_id"),)
    id: int | None = Field(default=None, primary_key=True)
    child_id: int = fk("lk_record.id", nullable=False, ondelete="CASCADE")
    parent_id: int = fk("lk_record.id", nullable=False, ondelete="CASCADE")


class ULabelParent(SQLModel, table=True):
    __tablename__ = "lk_ulabel_parent"
    model_config = {"defer_build": True}  # type: ignore[assignment] - as SQLRecord\'s
    __table_args__ = (UniqueConstraint("child_id", "parent_id"),)
    id: int | None = Field(default=None, primary_key=True)
    child_id: int = fk("lk_ulabel.id", nullable=False, ondelete="CASCADE")
    parent_id: int = fk("lk_ulabel.id", nullable=False, ondelete="CASCADE")


class ProjectParent(SQLModel, table=True):
    __tablename__ = "lk_project_parent"
    model_config = {"defer_build": True}  # type: ignore[assignment] - as SQLRecord\'s
    __table_args__ = (UniqueConstraint("child_id", "parent_id"),)
    id: int | None = Field(default=None, primary_key=True)
    child_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")
    parent_id: int = fk("lk_project.id", nullable=False, ondelete="CASCADE")


class RunInputRecord(SQLModel, table=True):
    """A record a run read (record.input_of_runs, run.input_records)."""

    __tablename__ = "lk_run_input_record"
    model_config = {"defer_build": True}  # type: ignore[assignment] - as SQLRecord\'s
    __table_args__ = (UniqueConstraint("run_id", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = fk("lk_run.id", nullable=False, ondelete="CASCADE")
    record_id: int = fk("lk_record.id", nullable=False, ondelete="CASCADE")
    created_at: Any = created_at_field()


def parents_relation(registry: str, link: type) -> Any:
    """record.parents: the records this one is a kind or part of (reverse: children)."""
    return _hierarchy_relation(registry, link, "children", own="child_id", other="parent_id")


def children_relation(registry: str, link: type) -> Any:
    """record.children: the records that name this one as a parent."""
    return _hierarchy_relation(registry, link, "parents", own="parent_id", other="child_id")


def _hierarchy_relation(registry: str, link: type, back: str, own: str, other: str) -> Any:
    return Relationship(
        back_populates=back,
        link_model=link,
        sa_relationship_kwargs={
            "primaryjoin": f"{registry}.id == {link.__name__}.{own}",
            "secondaryjoin": f"{registry}.id == {link.__name__}.{other}",
            **linked(),
        },
    )
