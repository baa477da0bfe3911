"""Functions of the public namespace that span registries: save, view, connect, settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import log, models
from .db import bootstrap
from .errors import IntegrityError, InvalidArgument
from .records.persist import save_records
from .setup import instance, other_instances, settings_files
from .setup.session import connection, current_user_id, set_default_storage, write_transaction
from .setup.storage_roots import normalize_root, storage_type
from .storage.paths import upath

CORE_REGISTRIES = (
    "Artifact",
    "Collection",
    "Feature",
    "JsonValue",
    "Project",
    "Record",
    "Reference",
    "Run",
    "Schema",
    "Storage",
    "Transform",
    "ULabel",
)


def save(
    records: Iterable[Any],
    ignore_conflicts: bool | None = False,
    batch_size: int = 10000,
    using: str | None = None,
) -> list[Any]:
    """Save many records at once: new ones in one bulk insert per registry and batch.

    `batch_size` bounds how many records one insert carries; `using` names another
    instance to save them into instead of the connected one.
    """
    if isinstance(records, models.SQLRecord) or not isinstance(records, Iterable):
        raise InvalidArgument("ln.save() takes a list of records; use record.save() for one")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise InvalidArgument(f"batch_size must be a positive integer, got {batch_size!r}")
    items = list(records)
    for item in items:
        if not isinstance(item, models.SQLRecord):
            raise InvalidArgument(f"ln.save() got a {type(item).__name__}, not a record")
    with other_instances.using_instance(using):
        for start in range(0, len(items), batch_size):
            batch = items[start : start + batch_size]
            try:
                save_records(batch)
            except IntegrityError:
                if not ignore_conflicts:
                    raise
                _save_each_ignoring_conflicts(batch)
    return items


def _save_each_ignoring_conflicts(records: list[Any]) -> None:
    """ignore_conflicts=True: records that break a unique rule are left unsaved."""
    for record in records:
        try:
            save_records([record])
        except IntegrityError:
            log.debug(f"ignored a conflicting record: {record!r}")


def view(limit: int = 7, registries: Iterable[str] | None = None) -> None:
    """Print the latest rows of every registry that has any."""
    for name in registries or CORE_REGISTRIES:
        model = getattr(models, name)
        df = model.filter().order_by("-id").to_dataframe(limit=limit)
        if len(df):
            print(name)
            print(df.to_string(max_colwidth=40))


def connect(name: str | None = None) -> None:
    """Connect this process to an instance by name or owner/name."""
    instance.connect(name)


class Settings:
    """ln.settings: the instance, the user and the default storage of this process."""

    @property
    def instance(self) -> settings_files.InstanceSettings:
        return connection().settings

    @property
    def user(self) -> settings_files.UserSettings:
        return settings_files.load_user_settings()

    @property
    def storage(self) -> Any:
        """The storage new artifacts are written to."""
        return StorageLocation(connection().extras["storage_root"])

    @storage.setter
    def storage(self, root: Any) -> None:
        normalized = normalize_root(str(root))
        with write_transaction() as session:
            storage_id = bootstrap.ensure_storage(
                session.connection(),
                normalized,
                storage_type(normalized),
                connection().settings.uid,
                current_user_id(),
            )
        set_default_storage(storage_id, normalized)
        log.info(f"set default storage to {normalized}")

    def __repr__(self) -> str:
        conn = connection()
        return (
            f"Settings\n  instance: {conn.settings.slug}\n  storage: {conn.extras['storage_root']}"
            f"\n  user: {self.user.handle}"
        )


class StorageLocation:
    """The default storage: its root as a UPath."""

    def __init__(self, root: str) -> None:
        self.root_as_str = root

    @property
    def root(self) -> Any:
        return upath(self.root_as_str)

    @property
    def type(self) -> str:
        return storage_type(self.root_as_str)

    def __repr__(self) -> str:
        return f"StorageSettings(root='{self.root_as_str}', type='{self.type}')"


settings = Settings()
