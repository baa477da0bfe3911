"""Instances, users and settings: `ln.setup`, LaminDB's `lamindb_setup`.

    init, connect, disconnect, delete     instances
    login, logout                         the local user
    switch, merge                         branches (done by `branches/`, registered from above)
    settings                              instance, user, storage, branch, dev_dir, cache_dir
    migrate                               the database migrations (deploy, check)
    logger                                the same logger as ln.logger
    errors                                the error classes (the same module as ln.errors)

Names load on first use, so importing a submodule (`setup.paths`) stays cheap.
"""

from __future__ import annotations

from typing import Any

from .. import errors as errors  # ln.setup.errors.StorageAlreadyManaged, as in lamindb_setup

_PUBLIC = (
    "init",
    "connect",
    "disconnect",
    "close",
    "delete",
    "login",
    "logout",
    "switch",
    "merge",
)

__all__ = sorted((*_PUBLIC, "settings", "errors", "migrate", "logger"))


def __getattr__(name: str) -> Any:
    # plain imports on first use (no import by string: import-linter sees them)
    if name in _PUBLIC:
        from . import public

        return getattr(public, name)
    if name == "settings":
        from .setup_settings import settings

        return settings
    if name == "migrate":
        from .migrations_api import migrate

        return migrate
    if name == "logger":
        from ..log import logger

        return logger
    raise AttributeError(f"module 'lamin_kernel.setup' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(globals()))
