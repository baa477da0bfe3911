"""The arguments of `Artifact(...)` and its `from_*` constructors, checked and sorted.

Row fields (key, description, kind, branch, space, run...) go into the record; the others
say how to make it: which storage, whether versions share one store, whether the key is the
real path, how to write an in-memory object, which feature values to set after saving.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import FieldValidationError, InvalidArgument, InvalidKey
from ..storage.keys import check_key
from .registered import registered
from .registry_protocols import RegistryRow

MANAGED_PREFIX = ".lamindb/"

# as LaminDB lists them in its error for unknown arguments
PUBLIC_ARGUMENTS = (
    "path",
    "key",
    "description",
    "kind",
    "otype",
    "features",
    "schema",
    "revises",
    "overwrite_versions",
    "run",
    "storage",
    "skip_hash_lookup",
    "key_is_virtual",
    "branch",
    "space",
)
ROW_ARGUMENTS = {"key", "description", "kind", "otype", "version_tag", "n_observations"}
OTHER_ARGUMENTS = {
    "version",
    "version_tag",
    "n_observations",
    "suffix",
    "format",
    "to_disk_kwargs",
    "parquet_kwargs",
    "csv_kwargs",
    "h5ad_kwargs",
    "zarr_kwargs",
    "schema_id",
    "run_id",
    "branch_id",
    "space_id",
    "storage_id",
}
WRITER_ARGUMENTS = ("to_disk_kwargs", "parquet_kwargs", "csv_kwargs", "h5ad_kwargs", "zarr_kwargs")


@dataclass
class ArtifactArgs:
    """Checked arguments: `fields` for the row, the rest for how to build it."""

    fields: dict[str, Any]
    revises: Any | None = None
    schema: Any | None = None
    features: dict[str, Any] | None = None
    storage: Any | None = None  # a Storage record given by the caller
    overwrite_versions: bool | None = None
    key_is_virtual: bool = True
    skip_hash_lookup: bool | None = None
    without_run: bool = False
    format: str | None = None
    suffix: str | None = None
    writer_kwargs: dict[str, Any] = field(default_factory=dict)


def parse(kwargs: dict[str, Any]) -> ArtifactArgs:
    """Check the keyword arguments of Artifact(...) and sort them; nothing is written."""
    unknown = sorted(set(kwargs) - set(PUBLIC_ARGUMENTS) - OTHER_ARGUMENTS)
    if unknown:
        passed = {name: kwargs[name] for name in unknown}
        raise FieldValidationError(
            f"Only {', '.join(PUBLIC_ARGUMENTS)} can be passed, you passed: {passed}"
        )
    kwargs = dict(kwargs)
    if "version" in kwargs:
        kwargs["version_tag"] = kwargs.pop("version")
    fields = {k: kwargs[k] for k in ROW_ARGUMENTS if kwargs.get(k) is not None}
    if fields.get("key") is not None:
        fields["key"] = _check_key(fields["key"])
    description = fields.get("description")
    if description is not None and not isinstance(description, str):
        raise InvalidArgument(f"description must be a string, got {type(description).__name__}")
    args = ArtifactArgs(fields=fields, suffix=kwargs.get("suffix"))
    args.revises = _revises(kwargs.get("revises"))
    inherited = args.revises.description if args.revises is not None else None
    if inherited is not None and "description" not in fields:
        fields["description"] = inherited
    args.schema = _record_or_id(registered.Schema, kwargs.get("schema"), kwargs.get("schema_id"))
    if args.schema is not None:
        fields["schema_id"] = _saved_id(args.schema, "schema")
    _set_run(args, kwargs)
    _set_place(args, kwargs)
    features = kwargs.get("features")
    if features is not None and not isinstance(features, dict):
        raise InvalidArgument(f"features must be a dict of feature -> value, got {features!r}")
    args.features = features or None
    args.format = kwargs.get("format")
    args.writer_kwargs = {
        name: dict(kwargs[name]) for name in WRITER_ARGUMENTS if kwargs.get(name) is not None
    }
    return args


def _check_key(key: Any) -> str:
    key = check_key(key)
    if MANAGED_PREFIX in key or key.startswith(MANAGED_PREFIX.rstrip("/")):
        raise InvalidKey(
            f"Do not pass key that contains a managed storage path in `{MANAGED_PREFIX}`"
        )
    return key


def _revises(revises: Any) -> Any:
    if revises is None:
        return None
    if not isinstance(revises, registered.Artifact):
        raise InvalidArgument(f"revises must be an Artifact, got {type(revises).__name__}")
    if revises.id is None:
        raise InvalidArgument("revises must be a saved Artifact; call .save() on it first")
    return revises


def _record_or_id(model: type[RegistryRow], record: Any, record_id: Any) -> Any:
    """A record passed as itself or by its id (not both)."""
    if record is not None and record_id is not None:
        raise InvalidArgument(f"Do not pass both {model.__name__} and its id at the same time.")
    if record_id is not None:
        return model.get(id=record_id)
    if record is not None and not isinstance(record, model):
        raise InvalidArgument(f"Expected {model.__name__}, got {type(record).__name__}.")
    return record


def _saved_id(record: Any, name: str) -> int:
    if record.id is None:
        raise InvalidArgument(f"save the {name} first: {record!r} is not saved yet")
    return int(record.id)


def _set_run(args: ArtifactArgs, kwargs: dict[str, Any]) -> None:
    run = kwargs.get("run")
    if run is False:  # LaminDB: run=False suppresses linking the current run
        args.without_run = True
        return
    run = _record_or_id(registered.Run, run, kwargs.get("run_id"))
    if run is not None:
        args.fields["run_id"] = _saved_id(run, "run")


def _set_place(args: ArtifactArgs, kwargs: dict[str, Any]) -> None:
    """Branch, space and storage; whether versions share a store; whether the key is real."""
    branch = _record_or_id(registered.Branch, kwargs.get("branch"), kwargs.get("branch_id"))
    if branch is not None:
        args.fields["branch_id"] = args.fields["created_on_id"] = _saved_id(branch, "branch")
    space = _record_or_id(registered.Space, kwargs.get("space"), kwargs.get("space_id"))
    if space is not None:
        args.fields["space_id"] = _saved_id(space, "space")
    args.storage = _record_or_id(
        registered.Storage, kwargs.get("storage"), kwargs.get("storage_id")
    )
    if args.storage is not None:
        _saved_id(args.storage, "storage")
    for flag in ("overwrite_versions", "skip_hash_lookup"):
        value = kwargs.get(flag)
        if value is not None and not isinstance(value, bool):
            raise InvalidArgument(f"{flag} must be True, False or None, got {value!r}")
    args.overwrite_versions = kwargs.get("overwrite_versions")
    args.skip_hash_lookup = kwargs.get("skip_hash_lookup")
    key_is_virtual = kwargs.get("key_is_virtual")
    if key_is_virtual is not None and not isinstance(key_is_virtual, bool):
        raise InvalidArgument(f"key_is_virtual must be True or False, got {key_is_virtual!r}")
    if key_is_virtual is False and args.fields.get("key") is None:
        raise InvalidArgument("key_is_virtual=False needs a key: the path inside the storage")
    args.key_is_virtual = key_is_virtual is not False
