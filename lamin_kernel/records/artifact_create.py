"""Building an Artifact from a path: check, hash, dedupe, stage the bytes.

A path inside a registered storage location is registered in place (its key is its path
there); any other local path is copied into the target storage (the default one, or
`storage=`) while it is hashed. In-memory objects are in `records.artifact_objects`,
`records.artifact_prepare` chooses between the two.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, bindparam, inspect, or_, select, union_all
from sqlalchemy.orm import make_transient_to_detached

from .. import log
from ..db.hints import unindexed
from ..errors import InvalidArgument, NoStorageLocationForSpace
from ..setup.session import connection, read_session, visible_branch_ids, writes_committed
from ..storage import transfer
from ..storage.hashing import (
    FOLDER_HASH_TYPE,
    HASH_TYPE,
    LEGACY_FOLDER_HASH_TYPE,
    LEGACY_HASH_TYPE,
    hash_file,
    is_folder_hash_type,
)
from ..storage.keys import suffix_of
from ..storage.paths import is_remote
from ..storage.walk import check_storable
from . import run_links
from .artifact_args import MANAGED_PREFIX, ArtifactArgs
from .artifact_save import ArtifactPending
from .display import record_repr
from .lookup import ids_by_one_statement, pick_record
from .pending import clear_pending, get_pending, mark_without_run, set_pending
from .registered import registered


@dataclass
class Prepared:
    fields: dict[str, Any]
    pending: ArtifactPending | None = None
    existing: Any | None = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TargetStorage:
    """Where copied bytes go: a storage's id and root."""

    id: int
    root: str


def target_storage(args: ArtifactArgs) -> TargetStorage:
    """The storage new bytes are written to: `storage=`, the space's storage, or the default.

    Only a storage this instance manages takes new bytes.
    """
    conn = connection()
    storage = args.storage
    space_id = args.fields.get("space_id")
    if storage is None and space_id not in (None, 1):
        storage = _storage_of_space(int(space_id))
    if storage is None:
        return TargetStorage(int(conn.extras["storage_id"]), str(conn.extras["storage_root"]))
    if storage.instance_uid != conn.settings.uid:
        raise InvalidArgument(
            "Cannot create an artifact in a storage location that is not managed by the "
            "current instance."
        )
    return TargetStorage(int(storage.id), str(storage.root))


def _storage_of_space(space_id: int) -> Any | None:
    storage = registered.Storage
    found = (
        storage.filter(space_id=space_id, instance_uid=connection().settings.uid)
        .order_by("id")
        .first()
    )
    if found is None:
        raise NoStorageLocationForSpace(
            "No storage location found for space.\n"
            "Start managing access to an existing storage location via the space: "
            "storage_loc.space = space; storage_loc.save()"
        )
    return found


ROOTS_FRESH_S = 2.0  # how long the registered roots are reused by this process's constructions


def _storage_roots() -> list[tuple[int, str]]:
    """The registered storage roots: read again after this process wrote anything, and at
    most ROOTS_FRESH_S after the last read (a root another process registers meanwhile is
    seen that much later); a batch of constructions reads them once."""
    extras = connection().extras
    stamp = writes_committed()
    cached = extras.get("storage_roots_read")
    if cached is not None and cached[0] == stamp and time.monotonic() - cached[1] < ROOTS_FRESH_S:
        return list(cached[2])
    storage = registered.Storage
    with read_session(single_statements=True) as session:
        roots = [(r.id, r.root) for r in session.execute(select(storage.id, storage.root))]
    extras["storage_roots_read"] = (stamp, time.monotonic(), tuple(roots))
    return roots


def containing_storage(location: str) -> tuple[int | None, str, str] | None:
    """(storage id, root, relative key) of the registered storage holding `location`."""
    for storage_id, root in sorted(_storage_roots(), key=lambda r: -len(r[1])):
        if location.startswith(root.rstrip("/") + "/"):
            return storage_id, root, location[len(root.rstrip("/")) + 1 :]
    return None


def check_suffixes(path_suffix: str, key: str | None) -> None:
    """A key names the same kind of file as the path it is given for."""
    if key is None:
        return
    key_suffix = suffix_of(key)
    if key_suffix != path_suffix:
        raise InvalidArgument(
            f"The passed path's suffix '{path_suffix}' must match the passed key's suffix "
            f"'{key_suffix}'."
        )


def prepare_path(
    model: type, path: str, args: ArtifactArgs, managed_uid: str | None = None
) -> Prepared:
    """Artifact(path): registered in place inside a known storage, else copied.

    `managed_uid` is for `Artifact.from_lazy`: the bytes were written into the storage's
    `.lamindb/` under that uid.
    """
    if "\x00" in path:
        raise InvalidArgument("the path contains a NUL character")
    location = path.rstrip("/") if is_remote(path) else os.path.realpath(os.path.expanduser(path))
    if f"/{MANAGED_PREFIX}" in location and managed_uid is None:
        raise InvalidArgument(
            f"Do not pass path inside the `{MANAGED_PREFIX}` directory for non-s3/gs paths."
        )
    if not transfer.exists(location):
        raise InvalidArgument(f"path does not exist: {path}")
    if not is_remote(location):
        check_storable(location)  # a FIFO, socket or device: refused before any read
    if args.suffix is None:
        check_suffixes(suffix_of(location), args.fields.get("key"))
    return _prepare_local_or_remote(model, location, args, managed_uid)


def _prepare_local_or_remote(
    model: type, location: str, args: ArtifactArgs, managed_uid: str | None
) -> Prepared:
    found = containing_storage(location)
    if found is None and is_remote(location):
        bucket_root = "/".join(location.split("/", 3)[:3])
        found = (None, bucket_root, location[len(bucket_root) + 1 :])
        log.info(f"referenced read-only storage location at {bucket_root}")
    if found is not None:
        return _prepare_in_place(model, location, found, args, managed_uid)
    return prepare_copy(model, location, args)


def _prepare_in_place(
    model: type, location: str, found: tuple, args: ArtifactArgs, managed_uid: str | None
) -> Prepared:
    storage_id, root, relative = found
    key = args.fields.get("key")
    if managed_uid is None and key is not None and key != relative:
        raise InvalidArgument(
            f"{location} is already in storage {root} at '{relative}'; it is registered in place, "
            f"so key must be '{relative}' or left out"
        )
    file_hash, hash_type, size, n_files = transfer.hash_path(location)
    fields = base_fields(args, file_hash, hash_type, size, n_files, suffix_of(location))
    if managed_uid is None:
        fields.update(key=relative, key_is_virtual=False, real_key=relative)
    existing = None if args.skip_hash_lookup else find_same_content(model, fields, location)
    if existing is not None:
        return Prepared(fields, existing=existing)
    pending = ArtifactPending(
        storage_id=storage_id,
        new_storage_root=None if storage_id else root,
        revises=args.revises,
        in_place=True,
        local_path=location,
        managed_uid=managed_uid,
        features=args.features,
        schema=args.schema,
    )
    return Prepared(fields, pending=pending)


def prepare_copy(model: type, location: str, args: ArtifactArgs) -> Prepared:
    target = target_storage(args)
    is_dir = os.path.isdir(location)
    staged = None
    if not is_remote(target.root):
        if is_dir:
            staged, file_hash, size, n_files = transfer.stage_local_folder(location, target.root)
        else:
            staged, file_hash, size = transfer.stage_local_file(location, target.root)
            n_files = None
    elif is_dir:
        file_hash, _, size, n_files = transfer.hash_path(location)
    else:
        file_hash, size = hash_file(location)
        n_files = None
    hash_type = FOLDER_HASH_TYPE if is_dir else HASH_TYPE
    suffix = args.suffix if args.suffix is not None else suffix_of(location)
    fields = base_fields(args, file_hash, hash_type, size, n_files, suffix)
    existing = None if args.skip_hash_lookup else find_same_content(model, fields, location)
    if existing is not None:
        if staged is not None:
            staged.discard()
        return Prepared(fields, existing=existing)
    pending = ArtifactPending(
        storage_id=target.id,
        staged=staged,
        local_source=None if staged else location,
        revises=args.revises,
        local_path=staged.temp_path if staged is not None else location,
        features=args.features,
        schema=args.schema,
    )
    return Prepared(fields, pending=pending)


def base_fields(
    args: ArtifactArgs,
    file_hash: str,
    hash_type: str,
    size: int,
    n_files: int | None,
    suffix: str,
) -> dict[str, Any]:
    fields = dict(args.fields)
    fields.update(hash=file_hash, hash_type=hash_type, size=size, n_files=n_files, suffix=suffix)
    is_folder = n_files is not None
    # LaminDB: versions of a folder share one store unless told otherwise
    overwrite = args.overwrite_versions
    fields["overwrite_versions"] = bool(is_folder if overwrite is None else overwrite)
    if not args.key_is_virtual:
        fields["key_is_virtual"] = False
    return fields


def find_same_hash(model: type, file_hash: str) -> Any | None:
    """The newest visible artifact whose bytes in storage have this hash.

    An older version of versions that share one store is not one: the store holds the
    latest version's bytes, and returning it would leave the content just given stored
    nowhere. Such content is saved as a new version instead. Asked once per constructed
    artifact, so the ids come from one precompiled statement (`ids_by_one_statement`); the
    ORM loads the record only when there is one.
    """
    branches = visible_branch_ids()
    values = {"hash": file_hash, "branch_a": branches[0], "branch_b": branches[-1]}
    ids = ids_by_one_statement(_same_hash_ids, model, values)
    if not ids:
        return None
    with read_session(single_statements=True) as session:
        return pick_record(session, model, ids)


def _same_hash_ids(model: type) -> Select:
    columns = model.__table__.c
    branches = [bindparam("branch_a"), bindparam("branch_b")]
    stmt = select(columns.id).where(
        columns.hash == bindparam("hash"), unindexed(columns.branch_id).in_(branches)
    )
    if "_overwrite_versions" in columns:  # artifacts (a collection has no bytes of its own)
        stmt = stmt.where(
            or_(
                columns._overwrite_versions.is_(False),
                columns._key_is_virtual.is_(False),
                columns.is_latest.is_(True),
            )
        )
    return stmt


def find_same_content(model: type, fields: dict[str, Any], location: str) -> Any | None:
    """An artifact with the same bytes as `location`, whose new hash is in `fields`.

    Rows saved before xxh3-128 carry a blake3 hash: when one of the same size exists, the
    bytes are hashed once more with blake3 to find it (rare, and only in older instances).
    One query finds both kinds of candidate; an instance without blake3 rows (every instance
    made since) asks for the new hash alone.
    """
    if not _has_legacy_hashes(model):
        return find_same_hash(model, fields["hash"])
    folder = is_folder_hash_type(fields["hash_type"])
    legacy_type = LEGACY_FOLDER_HASH_TYPE if folder else LEGACY_HASH_TYPE
    branches = visible_branch_ids()
    # UNION ALL, not OR: SQLite then searches the hash and the size index
    stmt = union_all(
        select(model.hash).where(model.hash == fields["hash"], model.branch_id.in_(branches)),
        select(model.hash).where(
            model.size == fields["size"],
            model.hash_type == legacy_type,
            model.branch_id.in_(branches),
        ),
    )
    with read_session() as session:
        candidates = set(session.scalars(stmt))
    if not candidates:
        return None
    if fields["hash"] in candidates:
        return find_same_hash(model, fields["hash"])
    legacy_hash = transfer.hash_path(location, legacy_type)[0]
    return find_same_hash(model, legacy_hash) if legacy_hash in candidates else None


def _has_legacy_hashes(model: type) -> bool:
    """Whether this instance holds artifacts hashed with blake3 (asked once per connection).

    This version writes xxh3 only, so the answer changes only if a process running an older
    version saves into the same instance meanwhile; content it saved is then not deduplicated
    by this process (a second copy, never a wrong match).
    """
    extras = connection().extras
    if "legacy_hashes" not in extras:
        with read_session() as session:
            stmt = select(model.id).where(
                model.hash_type.in_((LEGACY_HASH_TYPE, LEGACY_FOLDER_HASH_TYPE))
            )
            extras["legacy_hashes"] = session.execute(stmt.limit(1)).first() is not None
    return bool(extras["legacy_hashes"])


def announce_existing(existing: Any) -> None:
    log.info(
        f"returning artifact with same hash: {record_repr(existing)}; "
        "to track this artifact as an input, use: ln.Artifact.get()"
    )
    run_links.add_recreated("artifact", existing)


def finish(record: Any, prepared: Prepared) -> None:
    """Attach the pending work (staged bytes, storage to register) to a new artifact."""
    if prepared.pending is not None:
        set_pending(record, prepared.pending)
    if prepared.extras.get("without_run"):
        mark_without_run(record)


def adopt_existing(record: Any, existing: Any) -> None:
    with read_session() as session:
        if existing in session:
            session.expunge(existing)
        for attr in inspect(type(existing)).column_attrs:
            setattr(record, attr.key, getattr(existing, attr.key))
        make_transient_to_detached(record)
        session.add(record)


def discard_pending(record: Any) -> None:
    """Drop the staged bytes and temporary files of an artifact that will not be saved."""
    pending = get_pending(record)
    if isinstance(pending, ArtifactPending):
        if pending.staged is not None:
            pending.staged.discard()
        for temp in pending.temp_files:
            transfer.remove(temp)
    clear_pending(record)
