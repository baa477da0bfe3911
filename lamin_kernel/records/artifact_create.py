"""Building an Artifact from a path or an in-memory object: hash, dedupe, stage the bytes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select, union_all
from sqlalchemy.orm import make_transient_to_detached

from .. import log
from ..errors import InvalidArgument, UnsupportedObject
from ..setup.paths import cache_dir
from ..setup.session import connection, end_read, get_session, visible_branch_ids
from ..storage import formats, transfer
from ..storage.hashing import (
    FOLDER_HASH_TYPE,
    HASH_TYPE,
    LEGACY_FOLDER_HASH_TYPE,
    LEGACY_HASH_TYPE,
    hash_file,
    is_folder_hash_type,
)
from ..storage.keys import check_key, suffix_of
from ..storage.paths import is_remote
from .artifact_save import ArtifactPending
from .display import record_repr
from .lookup import newest_with
from .pending import clear_pending, get_pending, set_pending

USER_KWARGS = {
    "key",
    "description",
    "revises",
    "run",
    "kind",
    "version",
    "version_tag",
    "otype",
    "n_observations",
    "schema",
    "suffix",
}


@dataclass
class Prepared:
    fields: dict[str, Any]
    pending: ArtifactPending | None = None
    existing: Any | None = None
    extras: dict[str, Any] = field(default_factory=dict)


def _check_kwargs(kwargs: dict[str, Any]) -> None:
    unknown = sorted(set(kwargs) - USER_KWARGS)
    if unknown:
        raise InvalidArgument(
            f"Artifact() got unknown argument(s) {unknown}; valid: {sorted(USER_KWARGS)}"
        )
    if "version" in kwargs:
        kwargs["version_tag"] = kwargs.pop("version")
    if kwargs.get("key") is not None:
        check_key(kwargs["key"])
    description = kwargs.get("description")
    if description is not None and not isinstance(description, str):
        raise InvalidArgument(f"description must be a string, got {type(description).__name__}")
    revises = kwargs.get("revises")
    if revises is not None and type(revises).__name__ != "Artifact":
        raise InvalidArgument(f"revises must be an Artifact, got {type(revises).__name__}")


def prepare(model: type, path: Any, kwargs: dict[str, Any]) -> Prepared:
    """Fields and pending work for Artifact(path, **kwargs)."""
    kwargs = dict(kwargs)
    _check_kwargs(kwargs)
    if path is None:
        raise InvalidArgument(
            "Artifact() needs a path (a local file or folder, or an s3:// URL); for objects use "
            "Artifact.from_dataframe(df, key=...) or Artifact.from_anndata(adata, key=...)"
        )
    otype = formats.object_type(path)
    if otype is not None:
        return prepare_object(model, path, otype, kwargs)
    if not isinstance(path, str | Path) and not hasattr(path, "fs"):
        raise UnsupportedObject(
            f"cannot make an Artifact from a {type(path).__name__}; pass a path, a pandas "
            "DataFrame or an AnnData"
        )
    return prepare_path(model, str(path), kwargs)


def _storage_roots() -> list[tuple[int, str]]:
    from .registry import registry_class

    storage = registry_class("Storage")
    session = get_session()
    try:
        return [(r.id, r.root) for r in session.execute(select(storage.id, storage.root))]
    finally:
        end_read(session)


def _containing_storage(location: str) -> tuple[int | None, str, str] | None:
    """(storage id, root, relative key) of the registered storage holding `location`."""
    for storage_id, root in sorted(_storage_roots(), key=lambda r: -len(r[1])):
        if location.startswith(root.rstrip("/") + "/"):
            return storage_id, root, location[len(root.rstrip("/")) + 1 :]
    return None


def prepare_path(model: type, path: str, kwargs: dict[str, Any]) -> Prepared:
    if "\x00" in path:
        raise InvalidArgument("the path contains a NUL character")
    location = path.rstrip("/") if is_remote(path) else str(Path(path).expanduser().resolve())
    if not transfer.exists(location):
        raise InvalidArgument(f"path does not exist: {path}")
    found = _containing_storage(location)
    if found is None and is_remote(location):
        bucket_root = "/".join(location.split("/", 3)[:3])
        found = (None, bucket_root, location[len(bucket_root) + 1 :])
        log.info(f"referenced read-only storage location at {bucket_root}")
    if found is not None:
        return _prepare_in_place(model, location, found, kwargs)
    return _prepare_copy(model, location, kwargs)


def _prepare_in_place(model: type, location: str, found: tuple, kwargs: dict[str, Any]) -> Prepared:
    storage_id, root, relative = found
    key = kwargs.get("key")
    if key is not None and key != relative:
        raise InvalidArgument(
            f"{location} is already in storage {root} at '{relative}'; it is registered in place, "
            f"so key must be '{relative}' or left out"
        )
    file_hash, hash_type, size, n_files = transfer.hash_path(location)
    fields = _base_fields(kwargs, file_hash, hash_type, size, n_files, suffix_of(location))
    fields.update(key=relative, key_is_virtual=False, real_key=relative)
    existing = find_same_content(model, fields, location)
    if existing is not None:
        return Prepared(fields, existing=existing)
    pending = ArtifactPending(
        storage_id=storage_id,
        new_storage_root=None if storage_id else root,
        revises=kwargs.get("revises"),
        in_place=True,
    )
    return Prepared(fields, pending=pending)


def _prepare_copy(model: type, location: str, kwargs: dict[str, Any]) -> Prepared:
    conn = connection()
    root = conn.extras["storage_root"]
    storage_id = conn.extras["storage_id"]
    is_dir = Path(location).is_dir()
    staged = None
    if not is_remote(root):
        if is_dir:
            staged, file_hash, size, n_files = transfer.stage_local_folder(location, root)
        else:
            staged, file_hash, size = transfer.stage_local_file(location, root)
            n_files = None
    elif is_dir:
        file_hash, _, size, n_files = transfer.hash_path(location)
    else:
        file_hash, size = hash_file(location)
        n_files = None
    hash_type = FOLDER_HASH_TYPE if is_dir else HASH_TYPE
    suffix = kwargs.pop("suffix", None)
    suffix = suffix if suffix is not None else suffix_of(kwargs.get("key") or location)
    fields = _base_fields(kwargs, file_hash, hash_type, size, n_files, suffix)
    existing = find_same_content(model, fields, location)
    if existing is not None:
        if staged is not None:
            staged.discard()
        return Prepared(fields, existing=existing)
    pending = ArtifactPending(
        storage_id=storage_id,
        staged=staged,
        local_source=None if staged else location,
        revises=kwargs.get("revises"),
    )
    return Prepared(fields, pending=pending)


def _base_fields(
    kwargs: dict[str, Any],
    file_hash: str,
    hash_type: str,
    size: int,
    n_files: int | None,
    suffix: str,
) -> dict[str, Any]:
    fields = {k: v for k, v in kwargs.items() if k not in {"revises", "schema", "run"}}
    fields.update(hash=file_hash, hash_type=hash_type, size=size, n_files=n_files, suffix=suffix)
    if kwargs.get("run") is not None:
        fields["run_id"] = kwargs["run"].id
    return fields


def find_same_hash(model: type, file_hash: str) -> Any | None:
    session = get_session()
    try:
        return newest_with(session, model, visible_branch_ids(), hash=file_hash)
    finally:
        end_read(session)


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
    session = get_session()
    try:
        candidates = set(session.scalars(stmt))
    finally:
        end_read(session)
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
        session = get_session()
        try:
            stmt = select(model.id).where(
                model.hash_type.in_((LEGACY_HASH_TYPE, LEGACY_FOLDER_HASH_TYPE))
            )
            extras["legacy_hashes"] = session.execute(stmt.limit(1)).first() is not None
        finally:
            end_read(session)
    return bool(extras["legacy_hashes"])


def prepare_object(model: type, obj: Any, otype: str, kwargs: dict[str, Any]) -> Prepared:
    """Serialise a DataFrame or AnnData straight into staging (local storage) or a temp file."""
    key = kwargs.get("key")
    suffix = suffix_of(key) if key else formats.default_suffix(otype)
    expected = {"DataFrame": (".parquet", ".csv", ".tsv"), "AnnData": (".h5ad", ".zarr")}[otype]
    if suffix not in expected:
        raise InvalidArgument(
            f"key '{key}' ends in '{suffix}', but a {otype} is stored as {expected}"
        )
    kwargs.setdefault("kind", "dataset")
    kwargs.update(otype=otype, n_observations=formats.n_observations(obj, otype), suffix=suffix)
    root = connection().extras["storage_root"]
    if not is_remote(root) and suffix != ".zarr":
        data = formats.small_object_bytes(obj, otype, suffix)
        if data is not None:
            staged, file_hash, size = transfer.stage_bytes(root, suffix, data)
        else:
            staged, file_hash, size = transfer.stage_written(
                root, suffix, lambda path: formats.write_object(obj, otype, path, suffix)
            )
        return _prepared_from_staged(model, staged, file_hash, size, kwargs)
    folder = cache_dir() / "_tmp"
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f"{uuid.uuid4().hex}{suffix}"
    try:
        formats.write_object(obj, otype, temp, suffix)
        prepared = _prepare_copy(model, str(temp), kwargs)
    except BaseException:
        transfer.remove(str(temp))
        raise
    if prepared.pending is not None and prepared.pending.local_source is not None:
        prepared.pending.temp_files.append(str(temp))  # uploaded on save, removed after
    else:
        transfer.remove(str(temp))
    return prepared


def _prepared_from_staged(
    model: type, staged: transfer.Staged, file_hash: str, size: int, kwargs: dict[str, Any]
) -> Prepared:
    suffix = kwargs.pop("suffix")
    fields = _base_fields(kwargs, file_hash, HASH_TYPE, size, None, suffix)
    existing = find_same_content(model, fields, staged.temp_path)
    if existing is not None:
        staged.discard()
        return Prepared(fields, existing=existing)
    storage_id = connection().extras["storage_id"]
    return Prepared(
        fields,
        pending=ArtifactPending(
            storage_id=storage_id, staged=staged, revises=kwargs.get("revises")
        ),
    )


def announce_existing(existing: Any) -> None:
    log.info(
        f"returning artifact with same hash: {record_repr(existing)}; "
        "to track this artifact as an input, use: ln.Artifact.get()"
    )


def finish(record: Any, prepared: Prepared) -> None:
    """Attach the pending work (staged bytes, storage to register) to a new artifact."""
    if prepared.pending is not None:
        set_pending(record, prepared.pending)


def adopt_existing(record: Any, existing: Any) -> None:
    session = get_session()
    if existing in session:
        session.expunge(existing)
    for attr in inspect(type(existing)).column_attrs:
        setattr(record, attr.key, getattr(existing, attr.key))
    make_transient_to_detached(record)
    session.add(record)


def from_object(
    model: type, obj: Any, otype: str, validate: Callable[..., None] | None = None, **kwargs: Any
) -> Any:
    """Artifact.from_dataframe / from_anndata: check the object's type, construct, validate.

    With schema=, `validate(record, obj, schema)` (the curation layer's) runs after the
    artifact is built; if it raises, the staged bytes are discarded and nothing is saved.
    """
    actual = formats.object_type(obj)
    if actual != otype:
        raise UnsupportedObject(
            f"from_{otype.lower()}() expects {'an' if otype[0] in 'AEIOU' else 'a'} {otype}, "
            f"got {type(obj).__name__}"
        )
    schema = kwargs.get("schema")
    if schema is not None and validate is None:
        raise InvalidArgument("schema= needs a validator; call Artifact.from_dataframe(...)")
    record = model(obj, **kwargs)
    if schema is None:
        return record
    try:
        validate(record, obj, schema)  # type: ignore[misc]
    except BaseException:
        discard_pending(record)
        raise
    return record


def discard_pending(record: Any) -> None:
    """Drop the staged bytes and temporary files of an artifact that will not be saved."""
    pending = get_pending(record)
    if isinstance(pending, ArtifactPending):
        if pending.staged is not None:
            pending.staged.discard()
        for temp in pending.temp_files:
            transfer.remove(temp)
    clear_pending(record)
