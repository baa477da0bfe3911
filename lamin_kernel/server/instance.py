"""The instance the server answers for: the process's connection, made on first request."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from .. import runtime
from ..errors import InvalidArgument
from ..models import Branch
from ..setup import instance as setup_instance
from ..setup.session import connection, current_branch_id
from ..setup.storage_roots import storage_type

_connect_lock = threading.Lock()
_mappers_ready: runtime.Connection | None = None


def ensure_connected() -> runtime.Connection:
    """The connected instance; the first caller connects to the current one (`lamin init`).

    Before any request queries, the registries of the instance's modules are imported and
    the ORM's mappers configured, under the lock: importing `lamin_kernel.bionty` adds
    relationships to Artifact and Schema, and a request that queried while another thread
    imported it configured the half-built mappers and failed (`AttributeError: strategy`).
    """
    conn = runtime.connection()
    if conn is not None and conn is _mappers_ready:
        return conn
    with _connect_lock:
        conn = connection()
        _configure_registries(conn)
        return conn


def _configure_registries(conn: runtime.Connection) -> None:
    global _mappers_ready
    from sqlalchemy.orm import configure_mappers

    if "bionty" in conn.settings.modules:
        from .. import bionty  # noqa: F401  (its registries, mapped once and for all)
    configure_mappers()
    _mappers_ready = conn


def end_request() -> None:
    """Drop this thread's session so the next request starts from a fresh snapshot."""
    conn = runtime.connection()
    remove = getattr(conn.session_factory, "remove", None) if conn is not None else None
    if remove is not None:
        remove()


def instance_info() -> dict[str, Any]:
    """GET instance."""
    conn = ensure_connected()
    settings = conn.settings
    root = str(conn.extras.get("storage_root") or settings.storage_root)
    branch = Branch.filter(id=current_branch_id()).one_or_none()
    return {
        "name": settings.name,
        "owner": settings.owner,
        "slug": settings.slug,
        "storage": {"root": root, "type": storage_type(root)},
        "db": settings.dialect,
        "modules": list(settings.modules),
        "branch": branch.name if branch is not None else str(current_branch_id()),
    }


def create_instance(storage: str, root_dir: str) -> dict[str, Any]:
    """POST instance {"storage"}: make (or connect to) an instance in a folder of the
    server's root and make it current, like `lamin init --storage <folder>`."""
    root = Path(root_dir).expanduser().resolve()
    folder = (root / storage).resolve()
    if not folder.is_relative_to(root) or folder == root:
        raise InvalidArgument("the storage folder must be a folder inside the server's root")
    with _connect_lock:
        runtime.reset_connection()
        setup_instance.init(str(folder))
        _configure_registries(connection())
    return instance_info()
