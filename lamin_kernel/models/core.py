"""Who and where: User, Branch, Space, Storage."""

from typing import Any, ClassVar, Optional

from sqlalchemy.orm import validates
from sqlmodel import Field, Relationship

from ..errors import InvalidArgument
from ._fields import created_at_field, fk, str_field, text_field, uid_field
from .base import SQLRecord, TrackedFields
from .can_curate import CanCurate


class User(CanCurate, SQLRecord, table=True):
    """A person or agent who creates records."""

    __tablename__ = "lk_user"
    __lk_uid_length__: ClassVar[int] = 8
    __lk_name_field__: ClassVar[str | None] = "handle"
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("handle", "name")

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(8)
    handle: str = Field(unique=True, index=True)
    name: str | None = str_field(150, index=True)
    created_at: Any = created_at_field()


# A branch's status, as LaminDB 2.12 names them: no change request (standalone), a change
# request being written (draft) or ready (review), merged into another branch, or closed
# without merging (also what a deleted branch that merged records still name becomes).
STANDALONE, DRAFT, REVIEW, MERGED, CLOSED = "standalone", "draft", "review", "merged", "closed"
BRANCH_STATUSES = (STANDALONE, DRAFT, REVIEW, MERGED, CLOSED)


class Branch(SQLRecord, table=True):
    """A line of changes: main (1), archive (0), trash (-1), or a contribution branch."""

    __tablename__ = "lk_branch"
    __lk_uid_length__: ClassVar[int] = 12

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(12)
    name: str = Field(index=True)
    description: str | None = text_field()
    status: str | None = Field(default=STANDALONE, max_length=20, index=True)
    # no database constraint: SQLite could add this column to lk_branch only without one
    space_id: int = Field(default=1, index=True, sa_column_kwargs={"server_default": "1"})
    created_at: Any = created_at_field()
    created_by_id: int | None = fk("lk_user.id")

    space: "Space" = Relationship(
        sa_relationship_kwargs={
            "primaryjoin": "foreign(Branch.space_id) == Space.id",
            "viewonly": True,
        }
    )
    created_by: Optional["User"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Branch.created_by_id]", "viewonly": True}
    )

    @validates("status")
    def _check_status(self, _key: str, value: str) -> str:
        if value not in BRANCH_STATUSES:
            raise InvalidArgument(
                "Invalid branch status. Expected one of: 'standalone', 'draft', 'review', "
                f"'merged', 'closed' (got {value!r})."
            )
        return value


class Space(SQLRecord, table=True):
    """A permission scope for records; every record starts in space 'all'."""

    __tablename__ = "lk_space"
    __lk_uid_length__: ClassVar[int] = 12

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(12)
    name: str = Field(index=True)
    description: str | None = text_field()
    created_at: Any = created_at_field()
    created_by_id: int | None = fk("lk_user.id")


class Storage(TrackedFields, SQLRecord, table=True):
    """A storage location: a local folder or a bucket, by its root."""

    __tablename__ = "lk_storage"
    __lk_uid_length__: ClassVar[int] = 12
    __lk_name_field__: ClassVar[str | None] = "root"
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("root", "description")

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(12)
    root: str = Field(unique=True, index=True)
    description: str | None = text_field()
    type: str = str_field(30)
    region: str | None = str_field(64)
    instance_uid: str | None = str_field(12)
