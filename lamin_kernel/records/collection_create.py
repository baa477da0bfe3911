"""Building a Collection: check its members, hash them in order, return or version it.

A collection's hash is a hash over its members' hashes in order, so the same artifacts in
the same order give the same collection (the existing record is returned), and new members
under a known key make the next version, as for artifacts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError as SAIntegrityError

from .. import log
from ..errors import IntegrityError, InvalidArgument
from ..setup.session import write_transaction
from ..storage.hashing import hash_bytes
from ..storage.keys import check_key
from . import versions
from .artifact_create import find_same_hash
from .display import record_repr
from .pending import clear_pending, set_pending
from .persist import TRASH, fill_defaults
from .registry import registry_class

USER_KWARGS = {
    "description",
    "revises",
    "run",
    "version",
    "version_tag",
    "reference",
    "reference_type",
    "meta_artifact",
}


@dataclass
class CollectionPending:
    """What an unsaved collection still has to do on save(): insert its ordered links."""

    artifact_ids: list[int]
    revises: Any | None = None

    def save(self, record: Any) -> None:
        save_new_collection(record, self)


@dataclass
class PreparedCollection:
    fields: dict[str, Any]
    pending: CollectionPending | None = None
    existing: Any | None = None
    extras: dict[str, Any] = field(default_factory=dict)


def members_hash(artifacts: list[Any]) -> str:
    """An order-sensitive hash over the members' content hashes."""
    return hash_bytes("\n".join(str(a.hash) for a in artifacts).encode())


def _as_artifacts(artifacts: Any) -> list[Any]:
    artifact_class = registry_class("Artifact")
    if artifacts is None:
        raise InvalidArgument(
            "Collection() needs its artifacts: ln.Collection([artifact1, artifact2], key=...)"
        )
    items = [artifacts] if isinstance(artifacts, artifact_class) else list(artifacts)
    if not items:
        raise InvalidArgument("a collection needs at least one artifact")
    seen: set[int] = set()
    for item in items:
        if not isinstance(item, artifact_class):
            raise InvalidArgument(f"a collection holds Artifact records, got {type(item).__name__}")
        if item.id is None:
            raise InvalidArgument(
                f"save the artifact {item.key or ''} before adding it to a collection"
            )
        if item.branch_id == TRASH:
            raise InvalidArgument(
                f"artifact {item.uid} is in the trash; restore it before adding it to a collection"
            )
        if item.id in seen:
            raise InvalidArgument(f"artifact {item.uid} is listed twice; a member appears once")
        seen.add(item.id)
    return items


def _check_kwargs(model: type, key: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(kwargs) - USER_KWARGS)
    if unknown:
        raise InvalidArgument(
            f"Collection() got unknown argument(s) {unknown}; valid: "
            f"{sorted(USER_KWARGS | {'artifacts', 'key'})}"
        )
    if key is not None:
        check_key(key, "collection key")
    description = kwargs.get("description")
    if description is not None and not isinstance(description, str):
        raise InvalidArgument(f"description must be a string, got {type(description).__name__}")
    revises = kwargs.get("revises")
    if revises is not None and not isinstance(revises, model):
        raise InvalidArgument(f"revises must be a Collection, got {type(revises).__name__}")
    if revises is not None and revises.id is None:
        raise InvalidArgument("revises must be a saved Collection")
    fields = {k: v for k, v in kwargs.items() if k not in {"revises", "run", "meta_artifact"}}
    if "version" in fields:
        fields["version_tag"] = fields.pop("version")
    if kwargs.get("run") is not None:
        fields["run_id"] = kwargs["run"].id
    if kwargs.get("meta_artifact") is not None:
        fields["meta_artifact_id"] = kwargs["meta_artifact"].id
    return fields


def prepare(model: type, artifacts: Any, key: str | None, kwargs: dict[str, Any]) -> Any:
    """Fields and pending links for Collection(artifacts, key=..., ...)."""
    kwargs = dict(kwargs)
    fields = _check_kwargs(model, key, kwargs)
    members = _as_artifacts(artifacts)
    fields.update(key=key, hash=members_hash(members))
    existing = find_same_hash(model, fields["hash"])
    if existing is not None:
        return PreparedCollection(fields, existing=existing)
    pending = CollectionPending([a.id for a in members], revises=kwargs.get("revises"))
    return PreparedCollection(fields, pending=pending)


def announce_existing(existing: Any) -> None:
    log.info(f"returning collection with same hash: {record_repr(existing)}")


def finish(record: Any, prepared: PreparedCollection) -> None:
    """Attach the pending links to a new collection."""
    if prepared.pending is not None:
        set_pending(record, prepared.pending)


def save_new_collection(record: Any, pending: CollectionPending) -> None:
    """Insert the collection and its ordered links in one transaction."""
    link = registry_class("CollectionArtifact")
    fill_defaults(record)
    try:
        with write_transaction() as session:
            previous = versions.assign_uid(session, record, pending.revises)
            if previous is not None:
                log.info(f"creating new collection version for key '{record.key}'")
            session.add(record)
            session.flush()
            session.add_all(
                [
                    link(collection_id=record.id, artifact_id=artifact_id, order=position)
                    for position, artifact_id in enumerate(pending.artifact_ids)
                ]
            )
            if previous is not None:
                versions.demote_others(session, record)
    except SAIntegrityError as exc:
        raise IntegrityError(f"could not save collection {record.key or ''}: {exc.orig}") from exc
    clear_pending(record)
