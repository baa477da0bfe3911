"""Building a Collection: check its members, hash them in order, return or version it.

A collection's hash is a hash over its members' hashes in order, so the same artifacts in
the same order give the same collection (the existing record is returned), and new members
under a known key make the next version, as for artifacts.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError as SAIntegrityError

from .. import log
from ..errors import FieldValidationError, IntegrityError, InvalidArgument, ValidationError
from ..setup.session import write_transaction
from ..storage.hashing import hash_bytes
from ..storage.keys import check_key
from . import check_annotations, run_links, versions
from .artifact_create import find_same_hash
from .display import record_repr
from .pending import clear_pending, set_pending
from .persist import TRASH, fill_defaults
from .registered import registered

# LaminDB's argument names, in its order (its error for unknown ones lists them)
PUBLIC_ARGUMENTS = (
    "artifacts",
    "key",
    "description",
    "schema",
    "meta",
    "reference",
    "reference_type",
    "run",
    "revises",
    "skip_hash_lookup",
    "branch",
    "space",
)
USER_KWARGS = {*PUBLIC_ARGUMENTS, "version", "version_tag", "meta_artifact"} - {
    "artifacts",
    "key",
}


@dataclass
class CollectionPending:
    """What an unsaved collection still has to do on save(): insert its ordered links."""

    artifact_ids: list[int]
    revises: Any | None = None
    artifacts: list[Any] = field(default_factory=list)

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
    artifact_class = registered.Artifact
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
        if item.id is None and not check_annotations.active():
            raise InvalidArgument(
                f"save the artifact {item.key or ''} before adding it to a collection"
            )  # a dry-run check captured its saves: they have no id
        if item.branch_id == TRASH:
            raise InvalidArgument(
                f"artifact {item.uid} is in the trash; restore it before adding it to a collection"
            )
        if item.id is not None and item.id in seen:
            raise InvalidArgument(f"artifact {item.uid} is listed twice; a member appears once")
        seen.add(item.id)
    return items


def _check_kwargs(model: type, key: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(kwargs) - USER_KWARGS)
    if unknown:
        passed = {name: kwargs[name] for name in unknown}
        raise FieldValidationError(
            f"Only {', '.join(PUBLIC_ARGUMENTS)} can be passed, you passed: {passed}"
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
    plain = {"description", "reference", "reference_type", "version", "version_tag"}
    fields = {k: v for k, v in kwargs.items() if k in plain and v is not None}
    if "version" in fields:
        fields["version_tag"] = fields.pop("version")
    for name, column in (("run", "run_id"), ("branch", "branch_id"), ("space", "space_id")):
        if kwargs.get(name) is not None:
            fields[column] = _saved(kwargs[name], name).id
    if "branch_id" in fields:
        fields["created_on_id"] = fields["branch_id"]
    meta = _meta_artifact(kwargs)
    if meta is not None:
        fields["meta_artifact_id"] = meta.id
    if kwargs.get("schema") is not None:
        fields["schema_id"] = _saved(kwargs["schema"], "schema").id
    return fields


def _saved(record: Any, name: str) -> Any:
    if getattr(record, "id", None) is None:
        raise InvalidArgument(f"save the {name} first: {record!r} is not saved yet")
    return record


def _meta_artifact(kwargs: dict[str, Any]) -> Any | None:
    """meta= (the name LaminDB documents) or meta_artifact=: a saved Artifact."""
    if kwargs.get("meta") is not None and kwargs.get("meta_artifact") is not None:
        raise InvalidArgument("pass meta= or meta_artifact=, not both")
    meta = kwargs.get("meta") if kwargs.get("meta") is not None else kwargs.get("meta_artifact")
    if meta is None:
        return None
    if not isinstance(meta, registered.Artifact):
        raise InvalidArgument("meta_artifact has to be an Artifact")
    if meta.id is None:
        raise InvalidArgument("Save meta_artifact artifact before creating collection!")
    return meta


def check_schema(schema: Any, members: list[Any]) -> None:
    """Members of a collection with a schema all have that schema."""
    if schema is None:
        return
    found = {a.uid: a.schema_id for a in members}
    if set(found.values()) != {schema.id}:
        raise ValidationError(
            "Artifact schemas do not match the collection schema. Expected "
            f"schema_id={schema.id}, got: {found}"
        )


def prepare(model: type, artifacts: Any, key: str | None, kwargs: dict[str, Any]) -> Any:
    """Fields and pending links for Collection(artifacts, key=..., ...)."""
    kwargs = dict(kwargs)
    fields = _check_kwargs(model, key, kwargs)
    if key is not None:
        key = unicodedata.normalize("NFC", key)  # as check_key stores it
    members = _as_artifacts(artifacts)
    revises = kwargs.get("revises")
    if revises is not None:
        key = key or revises.key
        if "description" not in fields and revises.description is not None:
            fields["description"] = revises.description
    check_schema(kwargs.get("schema"), members)
    fields.update(key=key, hash=members_hash(members))
    existing = None if kwargs.get("skip_hash_lookup") else find_same_hash(model, fields["hash"])
    if existing is not None:
        return PreparedCollection(fields, existing=existing)
    pending = CollectionPending([a.id for a in members], revises=revises, artifacts=members)
    return PreparedCollection(fields, pending=pending)


def announce_existing(existing: Any) -> None:
    log.info(f"returning collection with same hash: {record_repr(existing)}")
    run_links.add_recreated("collection", existing)


def finish(record: Any, prepared: PreparedCollection) -> None:
    """Attach the pending links to a new collection."""
    if prepared.pending is not None:
        set_pending(record, prepared.pending)


def save_new_collection(record: Any, pending: CollectionPending) -> None:
    """Insert the collection and its ordered links in one transaction."""
    link = registered.CollectionArtifact
    fill_defaults(record)
    site = run_links.output_call_site()
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
            run_links.add_outputs(session, "collection", [record], site)
    except SAIntegrityError as exc:
        raise IntegrityError(f"could not save collection {record.key or ''}: {exc.orig}") from exc
    clear_pending(record)
