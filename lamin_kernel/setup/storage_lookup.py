"""The StorageSettings of a root, read from the connected instance's Storage registry."""

from __future__ import annotations

from typing import Any

from ..db import bootstrap
from .storage_settings import StorageSettings


def describe_storage(db: Any, root: str, instance_uid: str | None = None) -> StorageSettings:
    """The settings of storage `root` as its Storage row has them (`db`: a Core connection)."""
    row = bootstrap.storage_row(db, root)
    if row is None:
        return StorageSettings(root_as_str=root, instance_uid=instance_uid)
    return StorageSettings(
        root_as_str=row["root"],
        uid=row["uid"],
        region=row["region"],
        instance_uid=row["instance_uid"],
        id=int(row["id"]),
    )
