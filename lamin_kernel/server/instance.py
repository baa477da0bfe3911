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


def ensure_connected() -> runtime.Connection:
    """The connected instance; the first caller connects to the current one (`lamin init`)."""
    conn = runtime.connection()
    if conn is not None:
        return conn
    with _connect_lock:
        return connection()


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
        connection()
    return instance_info()
