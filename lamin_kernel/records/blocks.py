"""Blocks: markdown notes (`kind="readme"`, versioned) and comments (`kind="comment"`).

A `Block` stands alone under a key; a `RecordBlock`, `ArtifactBlock`, ... is attached to one
record of its registry. Making a block may give back one that exists, as LaminDB does: the
latest readme with the same content (same hash), or an empty one of the same key or owner.
Otherwise a new readme is the next version of the latest one (same uid stem, next counter)
and saving it makes it the latest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, inspect, select, update

from .. import log
from ..db.prefix_indexes import starts_with
from ..db.uid import base62, decode_counter, encode_counter
from ..errors import InvalidArgument
from ..setup.session import read_session, write_transaction
from ..storage.hashing import hash_bytes
from .persist import deleted_counts, fill_defaults

KINDS = ("readme", "comment")
STEM_LENGTH = 16
REGISTRY_KEYS = (
    "__lamindb_artifact__",
    "__lamindb_block__",
    "__lamindb_collection__",
    "__lamindb_feature__",
    "__lamindb_jsonvalue__",
    "__lamindb_project__",
    "__lamindb_record__",
    "__lamindb_run__",
    "__lamindb_schema__",
    "__lamindb_storage__",
    "__lamindb_transform__",
    "__lamindb_ulabel__",
)
OTHER_KEYS = ("README.md",)
SPACE_BRANCH = ("branch", "branch_id", "created_on", "created_on_id", "space", "space_id")


@dataclass
class PreparedBlock:
    """What a block constructor decided: an existing block, or the fields of a new one."""

    existing: Any | None = None
    fields: dict[str, Any] = field(default_factory=dict)


def content_hash(content: str | None) -> str | None:
    return hash_bytes(content.encode()) if content else None


def _ids_of(kwargs: dict[str, Any]) -> dict[str, Any]:
    """branch=, space=, created_on= objects as the ids their columns hold."""
    out: dict[str, Any] = {}
    for name in SPACE_BRANCH:
        if name not in kwargs:
            continue
        value = kwargs.pop(name)
        column = name if name.endswith("_id") else f"{name}_id"
        if value is not None:
            out[column] = value if isinstance(value, int) else value.id
    return out


def _version_tag(kwargs: dict[str, Any]) -> str | None:
    tag = kwargs.pop("version_tag", kwargs.pop("version", None))
    if tag is not None and not isinstance(tag, str):
        raise InvalidArgument(
            "`version` parameter must be `None` or `str`, e.g., '0.1', '1', '2', etc."
        )
    return tag


def _first(session: Any, model: type, *conditions: Any) -> Any | None:
    stmt = select(model).where(*conditions).order_by(model.created_at.desc(), model.id.desc())
    return session.scalars(stmt.limit(1)).first()


def next_uid(session: Any, model: type, revises: Any | None, version_tag: str | None) -> str:
    """A new stem, or the stem of `revises` with the family's highest counter plus one."""
    if revises is None:
        return base62(STEM_LENGTH) + encode_counter(0)
    if version_tag is not None and version_tag == revises.version_tag:
        raise InvalidArgument(
            f"Please change the version tag or leave it `None`, '{version_tag}' is already taken"
        )
    stem = revises.uid[:STEM_LENGTH]
    uids = session.scalars(select(model.uid).where(starts_with(model.uid, stem)))
    counters = [decode_counter(u[STEM_LENGTH:]) for u in uids if u and len(u) == STEM_LENGTH + 4]
    return stem + encode_counter(max(counters, default=decode_counter(revises.uid[-4:])) + 1)


def prepare_block(model: type, kwargs: dict[str, Any]) -> PreparedBlock:
    """The constructor of `Block`: kind readme only, a key of LaminDB's registry ids or
    README.md, versions by key or `revises`, an existing block for the same content."""
    kwargs = dict(kwargs)
    key = kwargs.pop("key", None)
    content = kwargs.pop("content", None)
    revises = kwargs.pop("revises", None)
    kind = kwargs.pop("kind", None)
    anchor = kwargs.pop("anchor", None)
    uid = kwargs.pop("uid", None)
    kwargs.pop("using", None)
    version_tag = _version_tag(kwargs)
    ids = _ids_of(kwargs)
    if kwargs:
        raise InvalidArgument(
            "Only key, content, kind, version, revises, anchor can be passed, "
            f"but you passed: {kwargs}"
        )
    if kind != "readme":
        raise InvalidArgument("Only kind = 'readme' is supported for block.")
    if key is not None and key not in (*REGISTRY_KEYS, *OTHER_KEYS):
        raise InvalidArgument(
            f"key must be one of RegistryId or {', '.join(OTHER_KEYS)}: {', '.join(REGISTRY_KEYS)}"
        )
    if revises is not None and not isinstance(revises, model):
        raise TypeError(f"`revises` has to be of type `{model.__name__}`")
    with read_session() as session:
        if revises is None and uid is not None:
            revises = _first(session, model, starts_with(model.uid, uid[:-4]), model.is_latest)
        elif revises is None and key is not None:
            revises = _first(
                session, model, model.branch_id != -1, model.key == key, model.is_latest
            )
            if revises is not None and not revises.content:
                log.info("no content was yet saved, returning existing block with same key")
                uid = revises.uid
        if revises is not None and uid is not None and uid == revises.uid:
            if key is not None and revises.key != key:
                log.warning("ignoring inconsistent key")
            return PreparedBlock(existing=revises)
        if revises is not None and key is not None and revises.key != key:
            log.info(f"renaming block {revises.key} to {key}")
        new_uid = next_uid(session, model, revises, version_tag)
        key = key if key is not None or revises is None else revises.key
        block_hash = content_hash(content)
        if block_hash is not None:
            same = _first(
                session, model, model.branch_id != -1, model.hash == block_hash, model.is_latest
            )
            if same is not None:
                log.info(f"returning existing {model.__name__} with same hash: {same.uid}")
                return PreparedBlock(existing=same)
    fields = {
        "uid": uid or new_uid,
        "key": key,
        "content": content or "",
        "hash": block_hash,
        "kind": kind,
        "version_tag": version_tag,
        "anchor": anchor,
        **ids,
    }
    return PreparedBlock(fields=fields)


def owner_field(model: type) -> str:
    """The relation of an attached block to its owner (RecordBlock: 'record')."""
    return str(model.__lk_block_owner__)


def prepare_attached(model: type, kwargs: dict[str, Any]) -> PreparedBlock:
    """The constructor of an attached block: readmes are versioned per owner, a readme with
    the latest one's content gives that one back; comments are always new."""
    kwargs = dict(kwargs)
    owner_name = owner_field(model)
    owner = kwargs.pop(owner_name, None)
    content = kwargs.pop("content", None)
    kind = kwargs.pop("kind", None)
    revises = kwargs.pop("revises", None)
    uid = kwargs.pop("uid", None)
    kwargs.pop("using", None)
    version_tag = _version_tag(kwargs)
    extra = {k: kwargs.pop(k) for k in tuple(model.__lk_block_extra__) if k in kwargs}
    ids = _ids_of(kwargs)
    allowed = {owner_name, "content", "kind", "version", "version_tag", "revises", "using", "uid"}
    allowed |= {n for n in SPACE_BRANCH if not n.startswith("space")} | set(
        model.__lk_block_extra__
    )
    if kwargs:
        raise InvalidArgument(
            f"Only {', '.join(sorted(allowed))} can be passed, but you passed: {kwargs}"
        )
    if owner is None:
        raise InvalidArgument(f"{owner_name} is required for {model.__name__}")
    if kind is None:
        raise InvalidArgument(f"kind is required for {model.__name__}; use 'readme' or 'comment'")
    if kind not in KINDS:
        raise InvalidArgument(f"kind must be 'readme' or 'comment', got {kind!r}")
    if getattr(owner, "id", None) is None:
        raise InvalidArgument(f"save the {type(owner).__name__} before attaching blocks to it")
    block_hash = content_hash(content)
    base = {owner_name: owner, "content": content or "", "hash": block_hash, "kind": kind}
    base.update(extra)
    base.update(ids)
    if kind == "comment":
        if revises is not None:
            raise InvalidArgument(
                "revises is not allowed for kind='comment'; comments are not versioned"
            )
        return PreparedBlock(fields={**base, "uid": base62(STEM_LENGTH) + encode_counter(0)})
    owner_column = getattr(model, f"{owner_name}_id")
    with read_session() as session:
        if revises is None:
            revises = _first(
                session, model, owner_column == owner.id, model.kind == kind, model.is_latest
            )
            if revises is not None and not revises.content:
                log.info(
                    "no content was yet saved, returning existing block with same "
                    f"{owner_name} and kind"
                )
                uid = revises.uid
        same_content = revises is not None and block_hash is not None and revises.hash == block_hash
        if same_content and revises.is_latest:
            log.info(f"returning existing {model.__name__} with same hash: {revises.uid}")
            uid = revises.uid
        if revises is not None and uid is not None and uid == revises.uid:
            return PreparedBlock(existing=revises)
        new_uid = next_uid(session, model, revises, version_tag)
    return PreparedBlock(fields={**base, "uid": uid or new_uid, "version_tag": version_tag})


def save_block(block: Any) -> None:
    """Insert or update a block; a new readme becomes the latest version of its family."""
    new = inspect(block).transient or inspect(block).pending
    if new:
        fill_defaults(block)
    with write_transaction() as session:
        session.add(block)
        session.flush()
        if new and block.kind == "readme" and block.is_latest:
            demote_older(session, block)


def _family(model: type, block: Any) -> list[Any]:
    conditions = [starts_with(model.uid, block.uid[:STEM_LENGTH])]
    if "branch_id" in model.__table__.c:
        conditions.append(model.branch_id == block.branch_id)
    return conditions


def demote_older(session: Any, block: Any) -> None:
    """Other versions of this block on its branch are no longer the latest."""
    model = type(block)
    session.execute(
        update(model)
        .where(*_family(model, block), model.id != block.id)
        .values(is_latest=False)
        .execution_options(synchronize_session="fetch")
    )


def promote_newest(session: Any, block: Any) -> None:
    """After the latest version goes, the newest remaining one on its branch is the latest."""
    model = type(block)
    newest = session.execute(
        select(func.max(model.id)).where(*_family(model, block), model.id != block.id)
    ).scalar()
    if newest is not None:
        session.execute(
            update(model)
            .where(model.id == newest)
            .values(is_latest=True)
            .execution_options(synchronize_session="fetch")
        )


def delete_block(block: Any) -> tuple[int, dict[str, int]]:
    """Delete an attached block for good; if it was the latest readme, the one before it
    becomes the latest. Returns (count, {registry: count}) as LaminDB does."""
    model = type(block)
    with write_transaction() as session:
        if block.kind == "readme" and block.is_latest:
            promote_newest(session, block)
        session.delete(block)
    return deleted_counts(model)


def latest_readme(owner: Any) -> str | None:
    """The content of the latest readme block attached to a record, or None."""
    relationships = inspect(type(owner)).relationships
    if "ablocks" not in relationships:
        raise AttributeError(f"{type(owner).__name__} records have no notes")
    if owner.id is None:
        return None
    model = relationships["ablocks"].mapper.class_
    column = getattr(model, f"{owner_field(model)}_id")
    with read_session() as session:
        latest = _first(session, model, column == owner.id, model.kind == "readme", model.is_latest)
        return None if latest is None else latest.content


def attached_blocks(owner: Any, kind: str) -> list[Any]:
    """The blocks of a kind attached to a record: the latest readme, or every comment."""
    relationships = inspect(type(owner)).relationships
    if "ablocks" not in relationships or owner.id is None:
        return []
    model = relationships["ablocks"].mapper.class_
    column = getattr(model, f"{owner_field(model)}_id")
    conditions = [column == owner.id, model.kind == kind]
    if kind == "readme":
        conditions.append(model.is_latest)
    with read_session() as session:
        stmt = select(model).where(*conditions).order_by(model.created_at, model.id)
        return list(session.scalars(stmt))
