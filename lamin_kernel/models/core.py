"""Who and where: User, Branch, Space, Storage."""

from typing import Any, ClassVar, Optional, Self

from sqlalchemy import inspect
from sqlalchemy.orm import validates
from sqlmodel import Field, Relationship

from .. import log
from ..db.uid import base62
from ..errors import InvalidArgument
from ..query.queryset import QuerySet
from ..records import persist, storage_registration
from ..setup.session import connection
from ..setup.storage_roots import storage_type
from ..storage.paths import upath
from ._fields import (
    created_at_field,
    fk,
    json_field,
    str_field,
    text_field,
    uid_field,
    updated_at_field,
)
from .artifact import Artifact
from .base import SQLRecord, TrackedFields
from .can_curate import CanCurate
from .has_type import HasEmoji
from .transform import Run, Transform


def _created_by(user: "User", model: type) -> QuerySet:
    """The records of `model` a user created (none for an unsaved user)."""
    records = QuerySet(model)
    return records.filter(created_by_id=user.id) if user.id is not None else records.none()


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
    updated_at: Any = updated_at_field()

    @property
    def created_artifacts(self) -> QuerySet:
        """The artifacts this user created."""
        return _created_by(self, Artifact)

    @property
    def created_runs(self) -> QuerySet:
        """The runs this user started."""
        return _created_by(self, Run)

    @property
    def created_transforms(self) -> QuerySet:
        """The transforms this user created."""
        return _created_by(self, Transform)


# A branch's status, as LaminDB 2.12 names them: no change request (standalone), a change
# request being written (draft) or ready (review), merged into another branch, or closed
# without merging (also what a deleted branch that merged records still name becomes).
STANDALONE, DRAFT, REVIEW, MERGED, CLOSED = "standalone", "draft", "review", "merged", "closed"
BRANCH_STATUSES = (STANDALONE, DRAFT, REVIEW, MERGED, CLOSED)


class Branch(HasEmoji, SQLRecord, table=True):
    """A line of changes: main (1), archive (0), trash (-1), or a contribution branch."""

    __tablename__ = "lk_branch"
    __lk_uid_length__: ClassVar[int] = 12

    id: int | None = Field(default=None, primary_key=True)
    aux: Any = json_field(column="_aux")  # LaminDB's `_aux`: the emoji
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

    def delete(self, permanent: bool | None = None) -> tuple[int, dict[str, int]] | None:  # type: ignore[override]
        """Delete the branch's record for good (branches have no trash); main, archive and
        trash are built in. `lamin delete branch NAME` also moves what is on the branch."""
        if permanent is not False and self.id is not None and self.id <= 1:
            raise InvalidArgument(f"'{self.name}' is a built-in branch and cannot be deleted")
        return super().delete(permanent=permanent)


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
    __lk_has_trash__: ClassVar[bool] = False  # a storage location is deleted, never trashed

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(12)
    root: str = Field(unique=True, index=True)
    description: str | None = text_field()
    type: str = str_field(30)
    region: str | None = str_field(64)
    instance_uid: str | None = str_field(12)
    updated_at: Any = updated_at_field()

    __lk_delete_each__: ClassVar[bool] = True  # no trash: each location is checked

    def __new__(cls, *args: Any, **kwargs: Any) -> "Storage":
        # a root that is registered already gives that very record (as LaminDB does)
        if not args and not kwargs:
            return super().__new__(cls)
        root = storage_registration.normalized_root(args[0] if args else kwargs.get("root"))
        lookup = {"root": root}
        if kwargs.get("host") is not None:
            lookup["region"] = kwargs["host"]
        existing = cls.filter(**lookup).one_or_none()
        return existing if existing is not None else super().__new__(cls)

    def __init__(
        self,
        root: Any = None,
        *,
        description: str | None = None,
        space: Any = None,
        host: str | None = None,
        **kwargs: Any,
    ) -> None:
        """A storage location: an existing folder (created if missing) or a bucket; type
        and region are inferred, `host` names the machine of a local folder."""
        if inspect(self).persistent:  # __new__ returned the registered location
            return
        if root is None:
            raise InvalidArgument("Storage() needs a root: ln.Storage(root='/path/or/s3://bucket')")
        normalized = storage_registration.normalized_root(root)
        storage_registration.check_host(normalized, host)
        fields = {
            "root": normalized,
            "description": description,
            "type": storage_type(normalized),
            "region": host,
            "uid": kwargs.pop("uid", None) or base62(12),
            **kwargs,
        }
        if space is not None:
            fields["space_id"] = space.id
        super().__init__(**fields)

    @property
    def artifacts(self) -> QuerySet:
        """The artifacts in this storage location."""
        records = QuerySet(Artifact)
        return records.filter(storage_id=self.id) if self.id is not None else records.none()

    @property
    def host(self) -> str | None:
        """The machine of a local storage location (LaminDB keeps it in `region`)."""
        return self.region if self.type == "local" else None

    @property
    def path(self) -> Any:
        """The root as a UPath."""
        return upath(self.root)

    def save(self, *args: Any, **kwargs: Any) -> Self:
        """Register the location: marked as managed here when this instance can write to it."""
        if persist.is_new(self):
            found = storage_registration.inspect_location(self.root, self.uid, self.host)
            self.type, self.instance_uid = found.type, found.instance_uid
            self.region = self.region if self.type == "local" else found.region
            managed = found.instance_uid == connection().settings.uid
            super().save(*args, **kwargs)
            how = "created managed" if managed else "referenced read-only"
            log.info(f"{how} storage location at {self.root}")
            return self
        return super().save(*args, **kwargs)

    def delete(self, permanent: bool | None = None) -> None:  # type: ignore[override]
        """Delete the location's record (no trash); it must hold no artifacts, and a
        managed one must be empty and not the default storage."""
        if permanent is False:
            raise ValueError(
                "Soft delete is not possible for Storage, use 'permanent=True' or "
                "'permanent=None' for permanent deletion."
            )
        storage_registration.check_deletable(self)
        persist.delete_record(self, permanent=True)
        storage_registration.unmark(self)
