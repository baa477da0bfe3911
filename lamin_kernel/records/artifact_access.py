"""Reading an artifact: its path, a local cached copy, load() and open(); inputs of runs.

An artifact that is not saved yet is read from where its bytes are now (the path it was
made from, or its staged copy); `load()` of one made from an object returns that object.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import runtime
from ..errors import StorageError
from ..setup.cache_paths import cache_location
from ..setup.options import options
from ..setup.session import connection, write_transaction
from ..storage import backed, formats, transfer
from ..storage.paths import is_remote, join, upath
from . import read_checks, run_links, shared_store_reads
from .artifact_save import ArtifactPending, managed_key
from .pending import get_pending

OUTDATED_STORE = (
    "The underlying data of this version was overwritten by a newer version "
    "(overwrite_versions=True); open or load the latest version."
)


def _unsaved(artifact: Any) -> ArtifactPending | None:
    pending = get_pending(artifact)
    return pending if isinstance(pending, ArtifactPending) else None


def stored_location(artifact: Any) -> str:
    """The artifact's bytes as a local path or a URL (where they are now, if unsaved)."""
    pending = _unsaved(artifact)
    if pending is not None and pending.local_path is not None:
        return pending.local_path
    root = artifact.storage.root
    if artifact.key_is_virtual:
        return join(root, managed_key(artifact))
    return join(root, artifact.real_key or artifact.key)


def artifact_path(artifact: Any) -> Any:
    return upath(stored_location(artifact))


def _check_current(artifact: Any) -> None:
    if getattr(artifact, "overwrite_versions", False) and not artifact.is_latest:
        raise ValueError(OUTDATED_STORE)


def cache(artifact: Any, mark_input: bool = True) -> Any:
    """A local path: the stored file itself for local storage, else a cached download."""
    _check_current(artifact)
    location = stored_location(artifact)
    saved = _unsaved(artifact) is None and artifact.id is not None
    replacements = shared_store_reads.ready_to_read(artifact, location) if saved else []
    if not is_remote(location):
        if not Path(location).exists():
            raise StorageError(
                f"the bytes of artifact {artifact.uid} are missing at {location}; run `lamin check`"
            )
        if saved:
            read_checks.check_local_read(artifact, location)
        local = Path(location)
    else:
        local = cache_location(location)
        fresh = (
            bool(replacements)
            or not local.exists()
            or (artifact.n_files is None and local.stat().st_size != artifact.size)
        )
        if fresh:
            transfer.download(location, local)
        if saved:
            read_checks.check_download(artifact, local, fresh)
    if replacements:
        shared_store_reads.verify_during_replacement(artifact, str(local), replacements)
    if mark_input:
        record_input(artifact)
    return upath(local)


def load(artifact: Any, **kwargs: Any) -> Any:
    """Load into memory by suffix (an unsaved artifact of an object: that object)."""
    pending = _unsaved(artifact)
    if pending is not None and pending.memory is not None and not kwargs:
        return pending.memory
    local = Path(str(cache(artifact, mark_input=False)))
    data = formats.load_local(local, artifact.suffix or "", **kwargs)
    record_input(artifact)
    return data


def open_artifact(artifact: Any, mode: str = "r", engine: str = "pyarrow", **kwargs: Any) -> Any:
    """A streaming handle without loading everything (see storage.backed)."""
    suffix = artifact.suffix or ""
    backed.check_openable(suffix, mode)
    _check_current(artifact)
    if mode != "r" and not getattr(artifact, "overwrite_versions", False):
        raise ValueError(
            "It is not possible to open artifacts having `overwrite_versions=False` in "
            "non-read mode (other than `mode='r'`)."
        )
    location = stored_location(artifact)
    saved = _unsaved(artifact) is None
    replacements = shared_store_reads.ready_to_read(artifact, location) if saved else []
    if is_remote(location) and (replacements or suffix in backed.H5_SUFFIXES):
        location = str(cache(artifact, mark_input=False))  # hashed there if need be
    elif replacements:
        shared_store_reads.verify_during_replacement(artifact, location, replacements)
    on_close = (lambda: refresh_content(artifact)) if mode != "r" else None
    handle = backed.open_location(location, suffix, mode, engine, on_close=on_close, **kwargs)
    record_input(artifact)
    return handle


def refresh_content(artifact: Any) -> None:
    """After writing into a store in place: its hash and size follow the new bytes."""
    if artifact.id is None:
        return
    file_hash, hash_type, size, n_files = transfer.hash_path(stored_location(artifact))
    with write_transaction() as session:
        artifact.hash, artifact.hash_type, artifact.size = file_hash, hash_type, size
        artifact.n_files = n_files
        session.add(artifact)


def record_input(artifact: Any) -> None:
    """Link the artifact as an input of the current run, unless that run made it."""
    run = runtime.current_run()
    if run is None or artifact.id is None or artifact.run_id == run.id:
        return
    if not options.track_run_inputs:
        return
    run_links.add_input("artifact", run.id, artifact.id)


def plan_bytes_removal(artifact: Any) -> Any:
    """Before a permanent delete: a callable that removes the bytes once the row is gone.

    Bytes registered in place in a storage this instance does not manage are never removed,
    nor bytes that another artifact still points at (a store shared by versions included).
    """
    location = stored_location(artifact)
    model = type(artifact)
    if not artifact.key_is_virtual:
        if artifact.storage.instance_uid != connection().settings.uid:
            return lambda: None
        others = (
            model.filter(
                storage_id=artifact.storage_id, real_key=artifact.real_key, branch_id__gte=-1
            )
            .exclude(id=artifact.id)
            .count()
        )
        if others:
            return lambda: None
    elif getattr(artifact, "overwrite_versions", False):
        sharing = model.filter(uid__startswith=artifact.uid[:16]).exclude(id=artifact.id)
        if sharing.filter(branch_id__gte=-1).count():
            return lambda: None
    return lambda: transfer.remove(location)
