"""Blocks: markdown notes and comments, standalone (`Block`) or attached to a record
(`RecordBlock`, `ArtifactBlock`, ...; the owner lists them as `ablocks`).

The attached block tables differ only in their owner, so they are made by one factory:

    RecordBlock     lk_record_block     record_id, content, hash, kind, version_tag, ...
    BranchBlock     lk_branch_block     branch_id (the owner; a branch block has no branch)
    TransformBlock  lk_transform_block  transform_id, line_number, ...
"""

import types
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Self

from sqlalchemy import String, Text
from sqlalchemy.orm import backref
from sqlmodel import Field, Relationship, SQLModel

from ..errors import InvalidArgument
from ..records import blocks as blocks_mod
from ..records import persist
from ..records.pending import stash_prepared, take_prepared
from ._fields import created_at_field, fk, str_field
from .base import IsVersioned, SQLRecord

if TYPE_CHECKING:
    from .core import Branch, Space, User


def _uid_field() -> Any:
    return Field(default=None, sa_type=String(20), unique=True, index=True)


def _branch_relation(class_name: str, column: str) -> Any:
    return Relationship(sa_relationship_kwargs={"foreign_keys": f"[{class_name}.{column}]"})


class BlockFields(SQLModel):
    """Columns every block has: a versioned uid, markdown content, its hash and kind."""

    model_config = {"defer_build": True}  # type: ignore[assignment] - as SQLRecord's

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = _uid_field()
    content: str = Field(default="", sa_type=Text)
    hash: str | None = str_field(22, index=True)
    kind: str = Field(default="readme", max_length=22, index=True)
    version_tag: str | None = str_field(30)
    is_latest: bool = Field(default=True, index=True)
    created_at: Any = created_at_field()
    created_by_id: int | None = fk("lk_user.id")


class BlockBase(IsVersioned, SQLRecord):
    """What blocks share: versions (uid stem + counter) and construction that may give back
    an existing block (see records/blocks.py)."""

    __lk_uid_length__: ClassVar[int] = 20
    __lk_name_field__: ClassVar[str | None] = None
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ()  # markdown pages: not indexed

    def save(self, *args: Any, **kwargs: Any) -> Self:
        if args or kwargs:
            raise InvalidArgument(f"save() takes no arguments, got {args or ''}{kwargs or ''}")
        blocks_mod.save_block(self)
        return self


def _construct(cls: type, kwargs: dict[str, Any], attached: bool) -> Any:
    prepare = blocks_mod.prepare_attached if attached else blocks_mod.prepare_block
    prepared = prepare(cls, kwargs)
    if prepared.existing is not None:
        return prepared.existing
    record = SQLModel.__new__(cls)
    stash_prepared(record, prepared)
    return record


def _initialise(record: Any, kwargs: dict[str, Any], attached: bool) -> bool:
    """The fields for __init__ (False: __new__ gave back a saved block, nothing to do)."""
    prepared = take_prepared(record)
    if prepared is None:
        if persist.is_new(record) is False:
            return False
        prepare = blocks_mod.prepare_attached if attached else blocks_mod.prepare_block
        prepared = prepare(type(record), kwargs)
    SQLRecord.__init__(record, **prepared.fields)
    return True


class Block(BlockFields, BlockBase, table=True):
    """A markdown block under a key (kind 'readme'), versioned like an artifact.

    `Block(key="README.md", content="# v2", kind="readme")` is the next version of the
    latest block with that key; the same content gives back the block that has it.
    """

    __tablename__ = "lk_block"

    key: str | None = str_field(1024, index=True)
    anchor_id: int | None = fk("lk_block.id")
    is_locked: bool = False
    branch_id: int = fk("lk_branch.id", default=1, nullable=False)
    created_on_id: int = fk("lk_branch.id", default=1, nullable=False, index=False)
    space_id: int = fk("lk_space.id", default=1, nullable=False)

    anchor: Optional["Block"] = Relationship(
        sa_relationship_kwargs={
            "remote_side": "Block.id",
            "foreign_keys": "[Block.anchor_id]",
            "backref": backref("children", viewonly=True),
        }
    )
    created_by: Optional["User"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Block.created_by_id]", "viewonly": True}
    )
    branch: Optional["Branch"] = _branch_relation("Block", "branch_id")
    created_on: Optional["Branch"] = _branch_relation("Block", "created_on_id")
    space: Optional["Space"] = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Block.space_id]"}
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> "Block":
        if args:
            raise InvalidArgument("Please only use keyword arguments to construct a Block")
        if not kwargs:  # SQLAlchemy loading a row
            return super().__new__(cls)
        return _construct(cls, kwargs, attached=False)

    def __init__(self, **kwargs: Any) -> None:
        _initialise(self, kwargs, attached=False)


class AttachedBlock(BlockBase):
    """A block attached to one record; deleting it deletes it (there is no trash)."""

    __lk_block_owner__: ClassVar[str] = ""
    __lk_block_extra__: ClassVar[tuple[str, ...]] = ()
    __lk_delete_each__: ClassVar[bool] = True  # QuerySet.delete(): each hands over its readme

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if args:
            raise InvalidArgument(
                f"Please only use keyword arguments to construct a {cls.__name__}"
            )
        if not kwargs:
            return super().__new__(cls)
        return _construct(cls, kwargs, attached=True)

    def __init__(self, **kwargs: Any) -> None:
        _initialise(self, kwargs, attached=True)

    def delete(self, permanent: bool | None = None, **kwargs: Any) -> Any:
        if permanent is False:
            raise InvalidArgument(
                f"Soft delete is not possible for {type(self).__name__}, "
                "use 'permanent=True' or 'permanent=None' for permanent deletion."
            )
        return blocks_mod.delete_block(self)


# owner registry -> (table of the owner, relation name, extra columns)
ATTACHED_TO = {
    "Record": ("lk_record", "record", {}),
    "Artifact": ("lk_artifact", "artifact", {}),
    "Transform": ("lk_transform", "transform", {"line_number": (int | None, None)}),
    "Run": ("lk_run", "run", {}),
    "Collection": ("lk_collection", "collection", {}),
    "Schema": ("lk_schema", "schema", {}),
    "Feature": ("lk_feature", "feature", {}),
    "Project": ("lk_project", "project", {}),
    "Space": ("lk_space", "space", {}),
    "ULabel": ("lk_ulabel", "ulabel", {}),
    "Branch": ("lk_branch", "branch", {}),
}


def _attached_block(owner: str) -> type:
    """`<Owner>Block` on table `lk_<owner>_block`, with the owner's `ablocks` as backref."""
    table, relation, extra = ATTACHED_TO[owner]
    column = f"{relation}_id"
    namespace: dict[str, Any] = {
        "__tablename__": f"{table}_block",
        "__module__": __name__,
        "__doc__": f"A markdown block (readme or comment) attached to a {owner}.",
        "__lk_block_owner__": relation,
        "__lk_block_extra__": tuple(extra),
        column: fk(f"{table}.id", nullable=False, ondelete="CASCADE"),
        relation: Relationship(
            sa_relationship_kwargs={
                "foreign_keys": f"[{owner}Block.{column}]",
                "backref": backref("ablocks", viewonly=True),
            }
        ),
    }
    annotations: dict[str, Any] = {column: int, relation: Optional[owner]}  # noqa: UP045
    if owner != "Branch":  # a branch's own blocks are not on a branch
        namespace["branch_id"] = fk("lk_branch.id", default=1, nullable=False)
        namespace["created_on_id"] = fk("lk_branch.id", default=1, nullable=False, index=False)
        annotations.update(branch_id=int, created_on_id=int)
        for name in ("branch", "created_on"):
            namespace[name] = _branch_relation(f"{owner}Block", f"{name}_id")
            annotations[name] = Optional["Branch"]  # noqa: UP045
    for name, (annotation, default) in extra.items():
        namespace[name] = Field(default=default)
        annotations[name] = annotation
    namespace["__annotations__"] = annotations
    return types.new_class(
        f"{owner}Block",
        (BlockFields, AttachedBlock),
        {"table": True},
        lambda ns: ns.update(namespace),
    )


RecordBlock = _attached_block("Record")
ArtifactBlock = _attached_block("Artifact")
TransformBlock = _attached_block("Transform")
RunBlock = _attached_block("Run")
CollectionBlock = _attached_block("Collection")
SchemaBlock = _attached_block("Schema")
FeatureBlock = _attached_block("Feature")
ProjectBlock = _attached_block("Project")
SpaceBlock = _attached_block("Space")
ULabelBlock = _attached_block("ULabel")
BranchBlock = _attached_block("Branch")
