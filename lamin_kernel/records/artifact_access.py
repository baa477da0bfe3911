"""Reading an artifact: its path, a local cached copy, load() and open(); inputs of runs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import runtime
from ..errors import StorageError
from ..setup.options import options
from ..setup.paths import cache_dir
from ..setup.session import connection, write_transaction
from ..storage import formats, transfer
from ..storage.paths import filesystem, is_remote, join, upath
from .artifact_save import managed_key
from .registry import registry_class


def stored_location(artifact: Any) -> str:
    """The artifact's bytes as a local path or a URL."""
    root = artifact.storage.root
    if artifact.key_is_virtual:
        return join(root, managed_key(artifact))
    return join(root, artifact.real_key or artifact.key)


def artifact_path(artifact: Any) -> Any:
    return upath(stored_location(artifact))


def _cache_location(url: str) -> Path:
    scheme, rest = url.split("://", 1)
    safe = re.sub(r"[^A-Za-z0-9._/-]", "_", rest)
    return cache_dir() / scheme / safe


def cache(artifact: Any, mark_input: bool = True) -> Any:
    """A local path: the stored file itself for local storage, else a cached download."""
    location = stored_location(artifact)
    if not is_remote(location):
        if not Path(location).exists():
            raise StorageError(
                f"the bytes of artifact {artifact.uid} are missing at {location}; run `lamin check`"
            )
        local = Path(location)
    else:
        local = _cache_location(location)
        if not local.exists() or (
            artifact.n_files is None and local.stat().st_size != artifact.size
        ):
            transfer.download(location, local)
    if mark_input:
        record_input(artifact)
    return upath(local)


def load(artifact: Any, **kwargs: Any) -> Any:
    """Load into memory by suffix."""
    local = Path(str(cache(artifact, mark_input=False)))
    data = formats.load_local(local, artifact.suffix or "", **kwargs)
    record_input(artifact)
    return data


def open_artifact(artifact: Any, **kwargs: Any) -> Any:
    """A streaming handle without loading everything."""
    location = stored_location(artifact)
    suffix = artifact.suffix or ""
    if suffix == ".h5ad" and is_remote(location):
        location = str(cache(artifact, mark_input=False))
    fs, inner = filesystem(location)
    handle = formats.open_local_or_remote(location, suffix, fs, inner, **kwargs)
    record_input(artifact)
    return handle


def record_input(artifact: Any) -> None:
    """Link the artifact as an input of the current run, unless that run made it."""
    run = runtime.current_run()
    if run is None or artifact.id is None or artifact.run_id == run.id:
        return
    if not options.track_run_inputs:
        return
    link = registry_class("RunInputArtifact")
    with write_transaction() as session:
        exists = session.execute(
            select(link.id).where(link.run_id == run.id, link.artifact_id == artifact.id)
        ).first()
        if exists is None:
            session.add(link(run_id=run.id, artifact_id=artifact.id))


def plan_bytes_removal(artifact: Any) -> Any:
    """Before a permanent delete: a callable that removes the bytes once the row is gone.

    Bytes registered in place in a storage this instance does not manage are never removed,
    nor bytes that another artifact still points at.
    """
    location = stored_location(artifact)
    if not artifact.key_is_virtual:
        if artifact.storage.instance_uid != connection().settings.uid:
            return lambda: None
        model = type(artifact)
        others = (
            model.filter(
                storage_id=artifact.storage_id, real_key=artifact.real_key, branch_id__in=[-1, 0, 1]
            )
            .exclude(id=artifact.id)
            .count()
        )
        if others:
            return lambda: None
    return lambda: transfer.remove(location)
