"""`artifact.delete(permanent=..., storage=...)` with LaminDB's rules for the bytes.

Bytes in a storage location this instance does not manage are never touched: deleting such
an artifact needs `storage=False` (the row only). A permanent delete removes the bytes of an
artifact with a virtual key; those at a real path (`key_is_virtual=False`) only with
`storage=True`. Versions that share one store (`overwrite_versions`) go together when the
latest one is deleted; an older one leaves the store alone.
"""

from __future__ import annotations

from typing import Any

from .. import log
from ..errors import IntegrityError
from ..setup.session import connection, write_transaction
from ..storage import transfer
from . import persist
from .artifact_access import plan_bytes_removal, stored_location

TRASH = -1


def delete_artifact(artifact: Any, permanent: bool | None, storage: bool | None) -> None:
    """Trash, or delete for good (permanent=True or already in the trash)."""
    if persist.is_new(artifact):
        persist.delete_record(artifact, permanent=permanent)  # explains the error
        return
    managed = artifact.storage.instance_uid == connection().settings.uid
    if not managed and storage is not False:
        raise IntegrityError(
            "Cannot simply delete artifacts outside of this instance's managed storage "
            "locations.\n(1) If you only want to delete the metadata record in this instance, "
            "pass `storage=False`\n(2) If you want to delete the artifact in storage, please "
            "connect to the writing lamindb instance "
            f"(uid={artifact.storage.instance_uid})."
        )
    for_good = permanent is True or (permanent is None and artifact.branch_id == TRASH)
    if not for_good:
        persist.delete_record(artifact, permanent=permanent)
        return
    if getattr(artifact, "overwrite_versions", False) and artifact.is_latest:
        _delete_shared_store(artifact, storage)
        return
    persist.delete_record(artifact, permanent=True, after_delete=_bytes_plan(artifact, storage))


def _bytes_plan(artifact: Any, storage: bool | None) -> Any:
    location = stored_location(artifact)
    if storage is False:
        return lambda: log.info(f"a file/folder remains here: {location}")
    if getattr(artifact, "overwrite_versions", False) and not artifact.is_latest:
        if storage:
            log.warning(
                "storage argument is ignored; can't delete store of a previous version if "
                "overwrite_versions is True"
            )
        return lambda: None
    if not artifact.key_is_virtual and storage is None:
        return lambda: log.info(
            f"a file/folder remains here: {location} (pass storage=True to delete it)"
        )
    if storage is True and not artifact.key_is_virtual:
        return lambda: transfer.remove(location)
    return plan_bytes_removal(artifact)


def _delete_shared_store(artifact: Any, storage: bool | None) -> None:
    """The latest of versions sharing one store: every version goes, then the store."""
    log.info("deleting all versions of this artifact because they all share the same store")
    location = stored_location(artifact)
    model = type(artifact)
    family = model.filter(uid__startswith=artifact.uid[:16], branch_id__gte=TRASH).to_list()
    with write_transaction() as session:
        for version in family:
            session.delete(version)
    if storage is not False:
        transfer.remove(location)
