"""`ln.Transform(...)` as LaminDB builds it: the record to return and the fields of a new one.

An existing transform comes back instead of a duplicate when
- `uid=` names a saved version (its description may be updated on the object),
- `key=` names a latest transform whose source code was never saved (a draft), or
- `source_code=` hashes like a latest transform's (unless `skip_hash_lookup=True`).
Otherwise a new record is prepared; `revises=` (or a latest transform under the same key
that has source code) makes it the next version of that family (same uid stem, next
counter), which becomes the latest when saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from .. import log, runtime
from ..db.prefix_indexes import starts_with
from ..db.uid import base62, encode_counter
from ..errors import FieldValidationError, IntegrityError, InvalidArgument, InvalidKey
from ..setup import dev_dirs, settings_files
from ..setup.session import (
    current_branch_id,
    read_session,
    write_transaction,
)
from ..storage.hashing import hash_bytes
from . import versions
from .persist import check_text_values, fill_defaults
from .source_code import notebook_source_as_python, script_source

NOTEBOOK_SUFFIXES = (".ipynb", ".Rmd", ".qmd")
TRASH = -1

ACCEPTED = (
    "key",
    "description",
    "version",
    "version_tag",
    "kind",
    "type",
    "revises",
    "reference",
    "reference_type",
    "source_code",
    "skip_hash_lookup",
    "branch",
    "branch_id",
    "space",
    "space_id",
    "uid",
    "using",
)
KINDS = ("pipeline", "notebook", "script", "function")  # LaminDB's TransformKind


@dataclass
class PreparedTransform:
    """What the constructor found: an existing record, or the fields of a new one."""

    existing: Any | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    revises: Any | None = None


def source_hash(source_code: str) -> str:
    """The hash of a transform's source code, as stored in `transform.hash`."""
    return hash_bytes(source_code.encode("utf-8"))


def prepare(model: type, args: tuple, kwargs: dict[str, Any]) -> PreparedTransform:
    """Check the arguments and find the record `model(**kwargs)` stands for."""
    if args:
        raise ValueError("Please only use keyword arguments to construct a Transform")
    unknown = {k: v for k, v in kwargs.items() if k not in ACCEPTED}
    if unknown:
        raise FieldValidationError(
            "Only key, description, version, kind, type, revises, reference, reference_type "
            f"can be passed, but you passed: {unknown}"
        )
    values = dict(kwargs)
    check_transform_key(values.get("key"))
    version = values.pop("version_tag", values.pop("version", None))
    if version is not None and not isinstance(version, str):
        raise ValueError("`version` parameter must be `None` or `str`, e.g., '0.1', '1', '2', etc.")
    revises = values.pop("revises", None)
    if revises is not None and not isinstance(revises, model):
        raise TypeError(f"`revises` has to be of type `Transform`, got {type(revises).__name__}")
    kind = values.pop("kind", None) or values.pop("type", None) or "pipeline"
    values.pop("type", None)
    values.pop("using", None)
    if kind not in KINDS:
        raise FieldValidationError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    with read_session() as session:
        return _resolve(session, model, values, revises, version, kind)


def check_transform_key(key: object) -> None:
    """A transform key names a script or notebook path: '.' and '..' segments and backslashes
    are refused (empty segments and leading or trailing '/' are kept, as LaminDB does)."""
    if not isinstance(key, str):
        return
    if "\\" in key:
        raise InvalidKey(f"transform key {key!r} contains a backslash; use '/' between folders")
    if any(part in (".", "..") for part in key.split("/")):
        raise InvalidKey(f"transform key {key!r} has a '.' or '..' segment")


def _check_version_free(model: type, revises: Any, version: str | None) -> None:
    """A new version of a family with source code cannot reuse a version tag it has."""
    if version is None or revises is None:
        return
    stem = revises.uid[: versions.stem_length(model)]
    if model.filter(uid__startswith=stem, version_tag=version).exclude(branch_id=TRASH).exists():
        raise ValueError(
            f"Please change the version tag or leave it `None`, '{version}' is already taken"
        )


def _resolve(
    session: Any, model: type, values: dict[str, Any], revises: Any, version: str | None, kind: str
) -> PreparedTransform:
    key, uid = values.get("key"), values.pop("uid", None)
    description = values.get("description")
    for relation in ("branch", "space"):  # records given for the foreign keys
        if values.get(relation) is not None:
            values[f"{relation}_id"] = values.pop(relation).id
        values.pop(relation, None)
    if uid is not None:
        exact = model.filter(uid=uid).exclude(branch_id=TRASH).first()
        if exact is not None:
            if key is not None and key != exact.key:
                log.warning("ignoring inconsistent key")
            _update_description(exact, description)
            return PreparedTransform(existing=exact)
    if revises is None and uid is not None:
        revises = _latest_of_stem(model, uid[:-4])
    elif revises is None and key is not None:
        revises = _latest_with_key(model, key)
        if revises is not None and revises.source_code is None:
            log.info("no source code was yet saved, returning existing transform with same key")
            uid = revises.uid
    if revises is not None and uid is not None and uid == revises.uid:
        if key is not None and key != revises.key:
            log.warning("ignoring inconsistent key")
        _update_description(revises, description)
        return PreparedTransform(existing=revises)
    _check_version_free(model, revises, version)
    if revises is not None and key is not None and revises.key != key:
        log.info(f"renaming transform {revises.key} to {key}")
    source_code = values.get("source_code")
    skip_lookup = values.pop("skip_hash_lookup", False)
    hash_ = None if source_code is None else source_hash(source_code)
    if hash_ is not None and not skip_lookup:
        found = (
            model.filter(hash=hash_, is_latest=True)
            .exclude(branch_id=TRASH)
            .order_by("-id")
            .first()
        )
        if found is not None:
            _update_description(found, description)
            if key is not None and found.key != key:
                log.warning(
                    f"key {found.key} on existing transform differs from passed key {key}, "
                    "keeping original key; pass skip_hash_lookup=True to make a copy"
                )
            return PreparedTransform(existing=found)
    fields = {k: v for k, v in values.items() if v is not None}
    fields.update(kind=kind, version_tag=version, hash=hash_)
    if revises is not None:
        stem = revises.uid[: versions.stem_length(model)]
        fields["uid"] = uid or stem + encode_counter(versions.next_counter(session, model, stem))
        fields.setdefault("key", revises.key)
        fields.setdefault("description", revises.description)
    else:
        fields["uid"] = uid or base62(versions.stem_length(model)) + encode_counter(0)
    return PreparedTransform(fields=fields, revises=revises)


def _latest_of_stem(model: type, stem: str) -> Any | None:
    return model.filter(uid__startswith=stem, is_latest=True).order_by("-id").first()


def _latest_with_key(model: type, key: str) -> Any | None:
    """The latest transform under `key`: on the current branch if it has one, else anywhere."""
    candidates = model.filter(key=key, is_latest=True).order_by("-id")
    on_branch = candidates.filter(branch_id=current_branch_id()).first()
    return on_branch or candidates.first()


def _update_description(record: Any, description: str | None) -> None:
    if description is not None and record.description != description:
        record.description = description  # saved with the record's next save()


def save_new(record: Any) -> None:
    """Insert a new transform; as a new version of its uid stem it becomes the latest.

    The version counter chosen at construction is taken again if another process used it
    meanwhile. Versions loaded in this process see the change of `is_latest`.
    """
    model = type(record)
    check_text_values(record)
    fill_defaults(record)
    stem = record.uid[: versions.stem_length(model)]
    try:
        with write_transaction() as session:
            family = select(model.id).where(starts_with(model.uid, stem))
            if session.execute(family.where(model.uid == record.uid)).first() is not None:
                record.uid = stem + encode_counter(versions.next_counter(session, model, stem))
            has_family = session.execute(family.limit(1)).first() is not None
            session.add(record)
            session.flush()
            if has_family:
                versions.demote_others(session, record)
                _expire_family(session, record, stem)
    except SAIntegrityError as exc:
        raise IntegrityError(f"could not save Transform: {exc.orig}") from exc


def _expire_family(session: Any, record: Any, stem: str) -> None:
    """Other versions loaded in this session re-read `is_latest` on next access."""
    for loaded in list(session.identity_map.values()):
        if (
            type(loaded) is type(record)
            and loaded is not record
            and (loaded.__dict__.get("uid") or "").startswith(stem)
        ):
            session.expire(loaded, ["is_latest"])


def key_for_path(path: Path) -> str:
    """A file's transform key: its path inside a development directory, else its name."""
    conn = runtime.connection()
    slug = conn.settings.slug if conn is not None else settings_files.current_slug()
    folder = None if slug is None else dev_dirs.dev_dir_containing(path, slug)
    return path.name if folder is None else path.relative_to(folder).as_posix()


def read_source(path: Path) -> str:
    """A script's text, or a notebook's code cells as Python."""
    return notebook_source_as_python(path) if path.suffix == ".ipynb" else script_source(path)


@dataclass(frozen=True)
class FileTransform:
    """The arguments of `Transform.from_path`."""

    path: Path
    key: str | None = None
    kind: str | None = None
    version: str | None = None
    description: str | None = None
    skip_hash_lookup: bool = False


def from_path(model: type, request: FileTransform) -> Any:
    """The saved transform of a local script or notebook: loaded, or created as a new version.

    The latest transform under the file's key is reused while its source is the file's (its
    source is stored the first time); a changed file makes the next version of it.
    """
    path = request.path.expanduser().resolve()
    if not path.is_file():
        raise InvalidArgument(f"Transform.from_path() needs an existing file, got {request.path}")
    kind = request.kind or ("notebook" if path.suffix in NOTEBOOK_SUFFIXES else "script")
    key = request.key or key_for_path(path)
    source = read_source(path)
    hash_ = source_hash(source)
    latest = _latest_with_key(model, key)
    if latest is not None and latest.hash in (None, hash_):
        _check_version(latest, request.version)
        if latest.hash is None or (request.version and latest.version_tag is None):
            latest.source_code, latest.hash = source, hash_
            latest.version_tag = latest.version_tag or request.version
            latest.save()
        log.info(f"loaded Transform('{latest.uid}', key='{latest.key}')")
        return latest
    transform = model(
        key=key,
        kind=kind,
        version=request.version,
        description=request.description,
        source_code=source,
        revises=latest,
        skip_hash_lookup=True,  # the same code under another key is another transform
    )
    if transform.id is None:
        transform.save()
        log.info(f"created Transform('{transform.uid}', key='{transform.key}')")
    return transform


def _check_version(transform: Any, version: str | None) -> None:
    if version is not None and transform.version_tag not in (None, version):
        raise ValueError(
            f"Transform is already tagged with version {transform.version_tag}, but you passed "
            f"{version}\nTo change its version, set it directly: transform.version_tag = "
            f"'{version}'; transform.save()"
        )
