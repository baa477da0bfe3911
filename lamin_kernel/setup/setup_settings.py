"""`ln.setup.settings`: the current instance, user, storage, branch and development directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import runtime
from . import dev_dirs, services
from . import settings_files as sf
from .cache_paths import SetupPaths, paths
from .paths import cache_dir, settings_dir
from .session import connection
from .storage_settings import StorageSettings


class SetupSettings:
    """What this process works with; LaminDB's `lamindb_setup.settings`."""

    # LaminDB's hint, set at connect, when the instance's modules differ from this
    # environment's; modules are added to an instance as it is used here, so never set
    modules_warning: str | None = None

    @property
    def paths(self) -> SetupPaths:
        """Cloud paths to local cache paths (`cloud_to_local`, `cloud_to_local_no_update`)."""
        return paths

    @property
    def instance(self) -> sf.InstanceSettings:
        """The current instance (the connected one, else the one a new connection would use)."""
        conn = runtime.connection()
        if conn is not None:
            return conn.settings
        slug = sf.current_slug()
        if slug is None:
            return connection().settings  # raises InstanceNotSetupError with the fix
        return sf.load_instance(slug)

    @property
    def user(self) -> sf.UserSettings:
        return sf.load_user_settings()

    @property
    def storage(self) -> StorageSettings:
        """The default storage of the current instance."""
        return self.instance.storage

    @property
    def modules(self) -> set[str]:
        return set(self.instance.modules)

    @property
    def cache_dir(self) -> Any:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return services.as_path(str(folder))

    @property
    def settings_dir(self) -> Path:
        return settings_dir()

    @property
    def is_configured(self) -> bool:
        """Whether an instance is set up for this environment."""
        return runtime.connection() is not None or sf.current_slug() is not None

    @property
    def is_connected(self) -> bool:
        return runtime.connection() is not None

    @property
    def auto_connect(self) -> bool:
        """`import lamin_kernel` connects to the current instance on first use (always)."""
        return True

    @property
    def dev_dir(self) -> Path | None:
        """The development directory of the current instance that holds the cwd, if any."""
        marked = dev_dirs.nearest_marked()
        if marked is None or marked[1] != self.instance.slug:
            return None
        return marked[0]

    @dev_dir.setter
    def dev_dir(self, value: str | Path | None) -> None:
        slug = self.instance.slug
        if value is None:
            current = self.dev_dir
            if current is not None:
                dev_dirs.unmark(current, slug)
            return
        dev_dirs.mark(Path(value), slug)

    @property
    def branch(self) -> Any:
        """The Branch this user works on in the current instance (`lamin switch`)."""
        return services.branch_service().current_branch()

    @branch.setter
    def branch(self, value: Any) -> None:
        services.branch_service().switch(value)

    @property
    def space(self) -> Any:
        """The Space new records of this user go to (`lamin switch --space NAME`)."""
        return services.branch_service().current_space()

    @space.setter
    def space(self, value: Any) -> None:
        services.branch_service().switch_space(value)

    def __repr__(self) -> str:
        lines = []
        if self.is_configured:
            instance = self.instance
            head, *details = repr(instance).split("\n")
            lines += [
                head,
                f" - branch: {sf.load_user_settings().branches.get(instance.slug, 'main')}",
                f" - space: {sf.load_user_settings().spaces.get(instance.slug, 'all')}",
                f" - dev-dir: {self.dev_dir}",
                *details,
            ]
        else:
            lines.append("Instance: None")
        lines += [
            "Settings:",
            f" - cache: {cache_dir().as_posix()}",
            f" - user settings: {settings_dir().as_posix()}",
            f"User: {self.user.handle}",
        ]
        return "\n".join(lines)


settings = SetupSettings()
