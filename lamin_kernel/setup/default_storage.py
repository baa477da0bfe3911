"""Switching the storage new artifacts go to (`ln.settings.storage = root`)."""

from __future__ import annotations

from typing import Any

from .. import log
from ..db import bootstrap
from .session import connection, current_user_id, set_default_storage, write_transaction
from .storage_lookup import describe_storage
from .storage_roots import normalize_root, storage_type


def root_of(value: Any) -> tuple[str, str | None]:
    """`root` or `(root, host_or_fsspec_kwargs)` as LaminDB's setter takes it: (root, host)."""
    host = None
    if isinstance(value, tuple):
        value, extra = value
        host = extra if isinstance(extra, str) else (extra or {}).get("host")
    return normalize_root(str(value)), host


def check_writable(root: str, instance_uid: str | None) -> None:
    """Refuse a registered storage this instance does not manage, with LaminDB's words.

    A plain ValueError, as LaminDB raises, so code matching its message keeps working.
    """
    if instance_uid is None:
        raise ValueError(
            f"Storage '{root}' is not managed by any instance, cannot write to it from here."
        )
    if instance_uid != connection().settings.uid:
        raise ValueError(
            f"Storage '{root}' exists in another instance ({instance_uid}), "
            "cannot write to it from here."
        )


def switch_default_storage(value: Any) -> None:
    """New artifacts of this process go to storage `value` (registered here if new)."""
    root, host = root_of(value)
    conn = connection()
    with write_transaction() as session:
        db = session.connection()
        described = describe_storage(db, root)
        if described.uid is not None:
            check_writable(root, described.instance_uid)
        else:
            bootstrap.ensure_storage(
                db, root, storage_type(root), conn.settings.uid, current_user_id(), region=host
            )
            described = describe_storage(db, root)
            log.info(f"registered storage {root} in {conn.settings.slug}")
    set_default_storage(described)
    log.info(f"set default storage to {root}")
