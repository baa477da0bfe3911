"""Reading a store that versions share: never the bytes of another version.

Such a store holds the bytes of one version, the latest of its family (``versions.
shares_store``). A replacement of its content that was interrupted for good (its writer
was killed) can leave the store empty or holding a version whose row never committed, with
the latest version's bytes set aside (``storage/replacing.py``). Before such a store is
read (``load()``, ``cache()``, ``open()``, the server's file and preview routes):

- a replacement of it whose writer is gone is settled first, under the lock that keeps its
  writers out (the one `lamin check --fix` takes); a replacement under way (its writer
  alive) is waited for the same way: the lock is free once the writer's row committed or
  rolled back;
- the version read must still own the store (the family's latest row as committed now):
  an older version, or one another process superseded since this object was read, is
  refused (``InvalidArgument``: reading it would hand out the newer version's bytes);
- while a record of a replacement is still there (its writer is finishing, or the store
  could not be settled here: a dry-run check, another instance's storage), what is read is
  hashed and compared with the row first: the content of an uncommitted version is refused
  (``IntegrityError``), never handed out.
"""

from __future__ import annotations

from typing import Any

from ..db.locks import hold_placement
from ..errors import IntegrityError, InvalidArgument, NoWriteAccess
from ..setup.session import connection, read_session, write_transaction
from ..storage import replacing
from . import read_checks, shared_stores, versions

OUTDATED = (
    "{what}: its versions share one store, which holds the bytes of the latest version "
    "({owner}) now, not of this one; open or load the latest version"
)


def ready_to_read(artifact: Any, location: str) -> list[replacing.Replacing]:
    """Before the bytes of a saved artifact at `location` are read: a shared store is
    settled and owned by this version. Returns the replacements of the store still recorded
    (then the read is hashed first, ``verify_during_replacement``); none for every other
    artifact."""
    if artifact.id is None or not versions.shares_store(artifact):
        return []
    root = str(artifact.storage.root)
    if _replacements_of(root, location) and _owned(artifact):
        _settle_or_wait(root, location)
    stem = artifact.uid[: versions.stem_length(type(artifact))]
    with read_session() as session:
        owner = shared_stores.owner_of(session, stem)
    if owner.uid != artifact.uid:
        raise InvalidArgument(
            OUTDATED.format(what=read_checks.describe(artifact), owner=owner.uid or "none")
        )
    return _replacements_of(root, location)


def verify_during_replacement(
    artifact: Any, read_from: str, recorded: list[replacing.Replacing]
) -> None:
    """Hash what is at `read_from` (the store, or its downloaded copy) while `recorded`
    replacements of the store exist: the bytes of the version read, or an IntegrityError
    that says a replacement is under way."""
    try:
        read_checks.verify(artifact, read_from)
    except IntegrityError as exc:
        writers = ", ".join(sorted({i.writer_pid for i in recorded}))
        raise IntegrityError(
            f"{exc}. A new version is replacing this store, or did and was interrupted "
            f"(process {writers}): read again once it is saved, or run `lamin check --fix`"
        ) from exc


def _replacements_of(root: str, location: str) -> list[replacing.Replacing]:
    return [i for i in replacing.records_in(root) if i.location == location]


def _owned(artifact: Any) -> bool:
    """Whether this instance manages the artifact's storage (only its own are settled)."""
    instance_uid = getattr(artifact.storage, "instance_uid", None)
    return instance_uid is None or instance_uid == connection().settings.uid


def _settle_or_wait(root: str, location: str) -> None:
    """Settle the abandoned replacements of the store, once no writer of it is between
    placing bytes and committing (a live one is waited for). Nothing when this process may
    not write (then the read is hashed)."""
    try:
        with write_transaction(to_branch=False) as session:
            hold_placement(session.connection())
            shared_stores.settle_abandoned(session, root, location)
    except NoWriteAccess:
        return
