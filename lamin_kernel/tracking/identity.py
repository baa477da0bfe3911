"""Which Transform a tracked file is: the same one across runs, a new version when its code changed.

A file is found by its uid stem (``ln.track("<12 characters>")``, which survives renames)
or else by its key (the file name), latest version first. That version is reused while its
key is the same and its source is the one stored at its last ``finish()`` (or none was
stored yet); otherwise the file gets a new version of the same stem (``…0001``), which
becomes ``is_latest``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..db.uid import encode_counter
from ..errors import InvalidArgument
from ..models import Transform
from ..records import versions
from ..records.persist import fill_defaults
from ..setup.session import write_transaction

How = Literal["created", "loaded", "new_version"]


@dataclass(frozen=True)
class TransformSpec:
    """What is known about the code to track."""

    key: str | None
    kind: str
    stem: str | None = None  # a uid stem passed by the user
    source_hash: str | None = None
    description: str | None = None


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
    latest = latest_transform(spec)
    if latest is not None and is_current(latest, spec):
        return Resolved(latest, "loaded")
    if latest is None and spec.key is None:
        raise InvalidArgument(
            f"no Transform has the uid {spec.stem!r} and no key names a new one; "
            "pass key= as well, e.g. ln.track(uid, key='analysis.py')"
        )
    transform = Transform(
        key=spec.key or latest.key,
        kind=latest.kind if latest is not None and spec.key is None else spec.kind,
        description=spec.description or (latest.description if latest is not None else None),
    )
    stem = spec.stem or (latest.uid[:-4] if latest is not None else None)
    insert_version(transform, stem)
    return Resolved(transform, "created" if latest is None else "new_version")


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
    new = Transform(key=transform.key, kind=transform.kind, description=transform.description)
    insert_version(new, transform.uid[:-4])
    return new
