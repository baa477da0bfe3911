"""`ln.setup.settings.storage` / `ln.settings.storage`: where new artifacts are written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .cache_paths import paths
from .paths import cache_dir
from .services import as_path, storage_record
from .storage_roots import storage_type


@dataclass(frozen=True)
class StorageSettings:
    """A storage location as LaminDB's settings describe it: root, type, region, uid, owner."""

    root_as_str: str
    uid: str | None = None
    region: str | None = None
    instance_uid: str | None = None
    id: int | None = None

    @property
    def root(self) -> Any:
        """The root as a UPath (a local path for folders)."""
        return as_path(self.root_as_str)

    @property
    def type(self) -> str:
        """'local', 's3', ...: the root's protocol."""
        return storage_type(self.root_as_str)

    @property
    def type_is_cloud(self) -> bool:
        return self.type != "local"

    @property
    def host(self) -> str | None:
        """For a local folder, the host it lives on (LaminDB keeps it in `region`)."""
        return self.region if self.type == "local" else None

    @property
    def is_on_hub(self) -> bool:
        return False

    @property
    def cache_dir(self) -> Any:
        return as_path(str(cache_dir()))

    def key_to_filepath(self, filekey: str) -> Any:
        """The path of `filekey` inside this storage."""
        return self.root / str(filekey)

    def local_filepath(self, filekey: str) -> Any:
        """The local path of `filekey`: the file itself in a local storage, else its cache
        file, fetched when the cache has no current copy."""
        return self.cloud_to_local(self.key_to_filepath(filekey))

    def cloud_to_local(self, filepath: Any, cache_key: str | None = None, **kwargs: Any) -> Any:
        """See `ln.setup.settings.paths.cloud_to_local`."""
        return paths.cloud_to_local(filepath, cache_key, **kwargs)

    def cloud_to_local_no_update(self, filepath: Any, cache_key: str | None = None) -> Any:
        """See `ln.setup.settings.paths.cloud_to_local_no_update`."""
        return paths.cloud_to_local_no_update(filepath, cache_key)

    @property
    def record(self) -> Any:
        """The Storage record of this location in the current instance."""
        return storage_record(self.root_as_str)

    @property
    def hub_record(self) -> dict[str, Any] | None:
        """The hub's row of this storage location: None, there is no hub."""
        return None

    def __repr__(self) -> str:
        return f"StorageSettings(root='{self.root_as_str}', uid='{self.uid}')"
