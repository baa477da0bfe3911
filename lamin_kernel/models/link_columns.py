"""Who made a link row, when, and in which run: the columns LaminDB's link models have
(`created_at`, `created_by`, `run`; its `TracksRun`).

The creator and the run are column defaults, so every way a link row is written fills them:
a manager's bulk insert (`artifact.projects.add(...)`), a feature value's link, an ORM
`session.add(link)`. Rows linked before migration 0017 have their owner's creator and time
and no run.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnDefault
from sqlmodel import SQLModel

from .. import runtime
from ..setup.session import current_user_id
from ._fields import created_at_field, fk


def link_creator_id() -> int:
    """The user of the instance the link is written to."""
    return current_user_id()


def link_run_id() -> int | None:
    """The tracked run, for links written to the connected instance (a link saved into
    another instance carries no lineage, as a record saved there)."""
    return runtime.current_run_id() if runtime.connection_in_use() is None else None


class LinkCreated(SQLModel):
    """`created_at` and `created_by_id` of a link row (the owner's own `run_id`, if the link
    is a run's, is not a tracked run)."""

    model_config = {"defer_build": True}  # type: ignore[assignment] # no validator at import

    created_at: Any = created_at_field()
    created_by_id: int | None = fk("lk_user.id", index=False)


class LinkTracksRun(LinkCreated):
    """`created_at`, `created_by_id` and the `run_id` of the run that made the link."""

    run_id: int | None = fk("lk_run.id", index=False)


def fill_link_defaults(link_class: type) -> None:
    """Make the creator and run columns of a link table default to the current ones. A
    required `run_id` is the run the link belongs to (`RunULabel`), not the run that made it."""
    columns = link_class.__table__.c  # type: ignore[attr-defined]
    creator, run = columns.get("created_by_id"), columns.get("run_id")
    if creator is not None and creator.default is None:
        ColumnDefault(link_creator_id)._set_parent(creator)  # type: ignore[arg-type]
    if run is not None and run.nullable and run.default is None:
        ColumnDefault(link_run_id)._set_parent(run)  # type: ignore[arg-type]
