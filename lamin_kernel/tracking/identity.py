"""Which Transform a tracked file is: the same one across runs, a new version when its code changed.

A file is found by its uid stem (``ln.track("<12 characters>")``, which survives renames)
or else by its key (its path in the development directory, or its name), latest version
first. That version is reused while its key is the same and its source is the one stored at
its last ``finish()`` (or none was stored yet); otherwise the file gets a new version of the
same stem (``…0001``), which becomes ``is_latest``.

A full uid (16 characters) pins one version, as in LaminDB: it is loaded (renamed when the
file moved) or created with that very uid; ``ln.context.version`` tags it, and a tag another
version of the family has already is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .. import log
from ..db.uid import base62, decode_counter, encode_counter
from ..errors import InvalidArgument, UpdateContext
from ..models import Transform
from ..records import versions
from ..records.persist import fill_defaults
from ..setup.session import write_transaction

How = Literal["created", "loaded", "new_version"]
TRASH = -1


@dataclass(frozen=True)
class TransformSpec:
    """What is known about the code to track."""

    key: str | None
    kind: str
    stem: str | None = None  # a uid stem passed by the user
    source_hash: str | None = None
    description: str | None = None
    full_uid: str | None = None  # a 16-character uid passed by the user: that very version
    version: str | None = None  # ln.context.version


@dataclass(frozen=True)
class Resolved:
    transform: Any
    how: How


def latest_transform(spec: TransformSpec) -> Any | None:
    """The latest visible version with the spec's stem, else with its key."""
    if spec.stem is not None:
        query = Transform.filter(uid__startswith=spec.stem)
    elif spec.key is not None:
        query = Transform.filter(key=spec.key)
    else:
        return None
    return query.filter(is_latest=True).order_by("-id").first() or query.order_by("-id").first()


def is_current(transform: Any, spec: TransformSpec) -> bool:
    """Same key (if one is asked for) and no source change since the last finished run."""
    if spec.key is not None and transform.key != spec.key:
        return False
    return transform.hash is None or spec.source_hash in (None, transform.hash)


def get_or_create_transform(spec: TransformSpec) -> Resolved:
    """The Transform to start a run of: found, or created, or a new version of the found one."""
    if spec.full_uid is not None:
        return pinned_version(spec)
    latest = latest_transform(spec)
    if latest is not None and is_current(latest, spec):
        return Resolved(latest, "loaded")
    if latest is None and spec.key is None:
        raise InvalidArgument(
            f"no Transform has the uid {spec.stem!r} and no key names a new one; "
            "pass key= as well, e.g. ln.track(uid, key='analysis.py')"
        )
    stem = spec.stem or (latest.uid[:-4] if latest is not None else None)
    # revises or a fresh uid: the constructor then never returns a saved draft by key
    family = {"revises": latest} if latest is not None else {"uid": (stem or base62(12)) + "0000"}
    transform = Transform(
        **family,
        key=spec.key or latest.key,
        kind=latest.kind if latest is not None and spec.key is None else spec.kind,
        description=spec.description or (latest.description if latest is not None else None),
        version=spec.version,
        skip_hash_lookup=True,
    )
    insert_version(transform, stem)
    return Resolved(transform, "created" if latest is None else "new_version")


def pinned_version(spec: TransformSpec) -> Resolved:
    """`ln.track("<16-character uid>")`: that version, loaded or created with that uid."""
    uid = spec.full_uid
    assert uid is not None
    existing = Transform.filter(uid=uid).exclude(branch_id=TRASH).first()
    check_version_free(uid, spec.version, existing)
    if existing is None:
        family = Transform.filter(uid__startswith=uid[:-4], is_latest=True).first()
        if family is not None and spec.key is not None and family.key != spec.key:
            log.info(f"renaming transform {family.key} to {spec.key}")
        transform = Transform(
            uid=uid,
            key=spec.key or (family.key if family is not None else None),
            kind=spec.kind,
            description=spec.description,
            version=spec.version,
            revises=family,
            skip_hash_lookup=True,
        )
        transform.save()
        return Resolved(transform, "created")
    if spec.key is not None and existing.key != spec.key:
        log.info(f"renaming transform {existing.key} to {spec.key}")
        existing.key = spec.key
    if spec.version is not None and existing.version_tag is None:
        existing.version_tag = spec.version
    if existing.hash is not None and spec.source_hash not in (None, existing.hash):
        raise UpdateContext(
            "✗ source code changed, please update the `uid` argument in `track()` to "
            f'"{uid[:-4]}{encode_counter(decode_counter(uid[-4:]) + 1)}"'
        )
    existing.save()
    return Resolved(existing, "loaded")


def check_version_free(uid: str, version: str | None, existing: Any | None) -> None:
    """A version tag names one version of a family: refuse a second one, as LaminDB does."""
    if version is None:
        return
    if existing is not None and existing.version_tag not in (None, version):
        raise ValueError(
            f"Transform is already tagged with version {existing.version_tag}, but you passed "
            f"{version}\nTo change its version, set it outside ln.track(): "
            f"transform.version_tag = '{version}'; transform.save()"
        )
    taken = (
        Transform.filter(uid__startswith=uid[:-4], version_tag=version)
        .exclude(uid=uid)
        .exclude(branch_id=TRASH)
        .first()
    )
    if taken is not None:
        raise SystemExit(
            f"✗ version '{version}' is already taken by Transform('{taken.uid}'); please set "
            f"another version, e.g., ln.context.version = '{bump_version(version)}'"
        )


def bump_version(version: str) -> str:
    """'1' -> '1.1', '1.2' -> '1.3': a suggestion for a free version tag."""
    head, _, last = version.rpartition(".")
    if head and last.isdigit():
        return f"{head}.{int(last) + 1}"
    return f"{version}.1"


def insert_version(transform: Any, stem: str | None) -> None:
    """Insert ``transform`` as the next version of ``stem`` (or of its key) and make it latest."""
    fill_defaults(transform)
    with write_transaction() as session:
        if stem is not None:
            counter = versions.next_counter(session, Transform, stem)
            transform.uid = stem + encode_counter(counter)
            previous = counter > 0
        else:
            previous = versions.assign_uid(session, transform, None) is not None
        session.add(transform)
        session.flush()
        if previous:
            versions.demote_others(session, transform)


def settle_source(transform: Any, source: str, source_hash: str) -> Any:
    """Store the source on the transform; if another source was stored already, on a new version.

    Returns the transform the run belongs to from now on.
    """
    if transform.hash not in (None, source_hash):
        transform = _new_version_of(transform)
    with write_transaction() as session:
        transform.source_code = source
        transform.hash = source_hash
        session.add(transform)
    return transform


def _new_version_of(transform: Any) -> Any:
    new = Transform(
        key=transform.key,
        kind=transform.kind,
        description=transform.description,
        revises=transform,
        skip_hash_lookup=True,
    )
    insert_version(new, transform.uid[:-4])
    return new
