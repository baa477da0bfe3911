"""Artifacts of in-memory objects: DataFrame, AnnData, MuData, SpatialData.

The object is serialised straight into staging (local storage) or a temporary file that is
uploaded on save; the object itself is kept so that `load()` of the unsaved artifact returns
it, as in LaminDB.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from ..errors import InvalidArgument, UnsupportedObject
from ..setup.paths import cache_dir
from ..storage import formats, transfer
from ..storage.hashing import HASH_TYPE
from ..storage.keys import suffix_of
from ..storage.paths import is_remote
from .artifact_args import ArtifactArgs
from .artifact_create import (
    Prepared,
    TargetStorage,
    base_fields,
    discard_pending,
    find_same_content,
    prepare_copy,
    target_storage,
)
from .artifact_save import ArtifactPending

WRITER_ARGUMENT = {
    ".parquet": "parquet_kwargs",
    ".csv": "csv_kwargs",
    ".tsv": "csv_kwargs",
    ".h5ad": "h5ad_kwargs",
    ".zarr": "zarr_kwargs",
    ".anndata.zarr": "zarr_kwargs",
}


def object_suffix(otype: str, key: str | None, fmt: str | None) -> str:
    """The suffix an object is stored with: from format=, else the key's, else the default.

    A key whose suffix is not the stored one is refused with LaminDB's words.
    """
    key_suffix = suffix_of(key) if key else None
    suffix = formats.suffix_for_format(otype, fmt)
    if suffix is None:
        usable = key_suffix in formats.OBJECT_SUFFIXES[otype]
        suffix = key_suffix if usable else formats.default_suffix(otype)
    if key_suffix is not None and key_suffix != suffix:
        raise InvalidArgument(
            f"The passed key's suffix '{key_suffix}' must match the passed path's suffix "
            f"'{suffix}'."
        )
    return suffix


def _writer_kwargs(args: ArtifactArgs, suffix: str) -> dict[str, Any]:
    wanted = WRITER_ARGUMENT.get(suffix)
    given = {**args.writer_kwargs.get("to_disk_kwargs", {})}
    if wanted is not None:
        given.update(args.writer_kwargs.get(wanted, {}))
    return given


def prepare_object(model: type, obj: Any, otype: str, args: ArtifactArgs) -> Prepared:
    """Serialise an object straight into staging (local storage) or a temp file."""
    suffix = object_suffix(otype, args.fields.get("key"), args.format)
    args.fields.setdefault("kind", "dataset")
    args.fields.update(otype=otype)
    n_obs = formats.n_observations(obj, otype)
    if n_obs is not None:
        args.fields["n_observations"] = n_obs
    args.suffix = suffix
    target = target_storage(args)
    writer = _writer_kwargs(args, suffix)
    is_folder = suffix.endswith(".zarr")
    if not is_remote(target.root) and not is_folder:
        data = None if writer else formats.small_object_bytes(obj, otype, suffix)
        if data is not None:
            staged, file_hash, size = transfer.stage_bytes(target.root, suffix, data)
        else:
            staged, file_hash, size = transfer.stage_written(
                target.root,
                suffix,
                lambda path: formats.write_object(obj, otype, path, suffix, writer),
            )
        prepared = _prepared_from_staged(model, staged, file_hash, size, args, target)
    else:
        prepared = _prepared_from_temp(model, obj, otype, suffix, writer, args)
    if prepared.pending is not None:
        prepared.pending.memory = obj
    return prepared


def _prepared_from_temp(
    model: type, obj: Any, otype: str, suffix: str, writer: dict[str, Any], args: ArtifactArgs
) -> Prepared:
    """Write to a temporary file or folder; it is copied or uploaded on save."""
    folder = cache_dir() / "_tmp"
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f"{uuid.uuid4().hex}{suffix}"
    try:
        formats.write_object(obj, otype, temp, suffix, writer)
        prepared = prepare_copy(model, str(temp), args)
    except BaseException:
        transfer.remove(str(temp))
        raise
    if prepared.pending is not None and prepared.pending.local_source is not None:
        prepared.pending.temp_files.append(str(temp))  # uploaded on save, removed after
    else:
        transfer.remove(str(temp))
        if prepared.pending is not None:
            prepared.pending.local_path = (
                prepared.pending.staged.temp_path if prepared.pending.staged else None
            )
    return prepared


def _prepared_from_staged(
    model: type,
    staged: transfer.Staged,
    file_hash: str,
    size: int,
    args: ArtifactArgs,
    target: TargetStorage,
) -> Prepared:
    fields = base_fields(args, file_hash, HASH_TYPE, size, None, args.suffix or "")
    existing = None if args.skip_hash_lookup else find_same_content(model, fields, staged.temp_path)
    if existing is not None:
        staged.discard()
        return Prepared(fields, existing=existing)
    pending = ArtifactPending(
        storage_id=target.id,
        staged=staged,
        revises=args.revises,
        local_path=staged.temp_path,
        features=args.features,
        schema=args.schema,
    )
    return Prepared(fields, pending=pending)


def from_object(
    model: type, obj: Any, otype: str, validate: Callable[..., None] | None = None, **kwargs: Any
) -> Any:
    """Artifact.from_dataframe / from_anndata / ...: check the object's type, construct,
    validate.

    With schema=, `validate(record, obj, schema)` (the curation layer's) runs after the
    artifact is built; if it raises, the staged bytes are discarded and nothing is saved.
    """
    actual = formats.object_type(obj)
    if actual != otype:
        article = "an" if otype[0] in "AEIOU" else "a"
        raise UnsupportedObject(
            f"from_{otype.lower()}() expects {article} {otype}, got {type(obj).__name__}"
        )
    schema = kwargs.get("schema")
    if schema is not None and validate is None:
        raise InvalidArgument(f"schema= needs a validator for a {otype}")
    record = model(obj, **kwargs)
    if schema is None:
        return record
    try:
        validate(record, obj, schema)  # type: ignore[misc]
    except BaseException:
        discard_pending(record)
        raise
    return record
