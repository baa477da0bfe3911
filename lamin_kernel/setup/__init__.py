"""Instances, users and settings: `ln.setup`, LaminDB's `lamindb_setup`.

    init, connect, disconnect, delete     instances
    login, logout                         the local user
    switch, merge                         branches (done by `branches/`, registered from above)
    settings                              instance, user, storage, branch, dev_dir, cache_dir
    errors                                the error classes (the same module as ln.errors)

Names load on first use, so importing a submodule (`setup.paths`) stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS: dict[str, str] = {
    "init": "lamin_kernel.setup.public",
    "connect": "lamin_kernel.setup.public",
    "disconnect": "lamin_kernel.setup.public",
    "delete": "lamin_kernel.setup.public",
    "login": "lamin_kernel.setup.public",
    "logout": "lamin_kernel.setup.public",
    "switch": "lamin_kernel.setup.public",
    "merge": "lamin_kernel.setup.public",
    "settings": "lamin_kernel.setup.setup_settings",
    "errors": "lamin_kernel",  # ln.setup.errors.StorageAlreadyManaged, as in lamindb_setup
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'lamin_kernel.setup' has no attribute '{name}'")
    return getattr(import_module(_EXPORTS[name]), name)


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(globals()))
