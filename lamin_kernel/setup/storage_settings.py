"""`ln.setup.settings.storage` / `ln.settings.storage`: where new artifacts are written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .paths import cache_dir
from .services import as_path
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

    def __repr__(self) -> str:
        return f"StorageSettings(root='{self.root_as_str}', uid='{self.uid}')"
