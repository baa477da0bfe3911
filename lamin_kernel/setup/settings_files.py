"""Instance, user and user-settings files under the settings folder."""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import runtime
from ..errors import InstanceNotSetupError
from . import dev_dirs
from .paths import instances_dir, settings_dir, write_private
from .storage_settings import StorageSettings


@dataclass
class InstanceSettings:
    """What identifies and reaches one instance."""

    name: str
    owner: str
    uid: str
    storage_root: str
    db_url: str
    modules: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def dialect(self) -> str:
        return "postgresql" if self.db_url.startswith("postgres") else "sqlite"

    @property
    def storage_is_local(self) -> bool:
        return "://" not in self.storage_root

    # -- LaminDB's names (ln.setup.settings.instance) ---------------------------------
    @property
    def db(self) -> str:
        """The database URL (with its password: print `repr(instance)` to hide it)."""
        return self.db_url

    @property
    def vendor(self) -> str:
        return self.dialect

    @property
    def storage(self) -> StorageSettings:
        """The default storage: the one `ln.settings.storage` set in this process, if any."""
        conn = runtime.connection()
        if conn is not None and conn.settings.slug == self.slug and "storage" in conn.extras:
            return conn.extras["storage"]  # described at connect, replaced when switched
        return StorageSettings(root_as_str=self.storage_root, instance_uid=self.uid)

    @property
    def is_remote(self) -> bool:
        """Whether nothing of the instance is on this machine (PostgreSQL and cloud storage)."""
        return self.dialect == "postgresql" and not self.storage_is_local

    @property
    def is_on_hub(self) -> bool:
        return False  # instances are local to this project; there is no hub

    @property
    def is_managed_by_hub(self) -> bool:
        return False

    @property
    def keep_artifacts_local(self) -> bool:
        return False

    @property
    def git_repo(self) -> str | None:
        return None

    @property
    def api_url(self) -> str | None:
        """The hub's REST API for this instance: None, instances here are not on a hub."""
        return None

    @property
    def ui_url(self) -> str | None:
        """The hub's web UI for this instance: None (JupyterLab's panels are the UI here)."""
        return None

    @property
    def available_spaces(self) -> dict[str, list[Any]] | None:
        """Spaces by role for instances with fine-grained (hub) permissions: None here, every
        user of an instance may read and write all of its spaces."""
        return None

    @property
    def is_read_only_connection(self) -> bool:
        """Whether the database connection may only read: never here (LaminDB's read-only
        connections are hub-issued credentials)."""
        return False

    @property
    def local_storage(self) -> StorageSettings:
        """LaminDB's alternative local storage for `keep_artifacts_local`, which is always
        False here: an error, as in LaminDB when it is not enabled."""
        raise ValueError(
            "`keep_artifacts_local` is False for this instance: artifacts are written to its "
            f"storage {self.storage_root}"
        )

    def __repr__(self) -> str:
        db = self.db_url if self.dialect == "sqlite" else hide_password(self.db_url)
        lines = [
            f"Instance: {self.slug}",
            f" - storage: {self.storage.root_as_str}",
            f" - db: {db}",
        ]
        if self.modules:
            lines.append(f" - modules: {','.join(self.modules)}")
        return "\n".join(lines)


@dataclass
class UserSettings:
    """The local user and their preferences (auto-track, branches, OpenLineage)."""

    handle: str = "anonymous"
    uid: str = "00000000"
    name: str | None = None
    auto_track: bool = False
    openlineage: dict[str, Any] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    spaces: dict[str, str] = field(default_factory=dict)  # instance slug -> space name

    @property
    def id(self) -> int | None:
        """This user's id in the connected instance (None before connecting)."""
        conn = runtime.connection()
        return None if conn is None else int(conn.extras["user_id"])

    # hub account credentials (LaminDB's names): there is no hub account here
    @property
    def email(self) -> str | None:
        """The hub account's email: None, users here are local handles."""
        return None

    @property
    def access_token(self) -> str | None:
        return None

    @property
    def api_key(self) -> str | None:
        return None

    @property
    def password(self) -> str | None:
        return None

    def __repr__(self) -> str:
        return f"Current user:\n - handle: {self.handle}\n - uid: {self.uid}"


def instance_file(slug: str) -> Path:
    owner, name = slug.split("/", 1)
    return instances_dir() / f"{owner}--{name}.json"


def save_instance(settings: InstanceSettings) -> None:
    write_private(instance_file(settings.slug), json.dumps(asdict(settings), indent=2))


def load_instance(slug: str) -> InstanceSettings:
    path = instance_file(slug)
    if not path.exists():
        known = ", ".join(list_instances()) or "none"
        raise InstanceNotSetupError(
            f"no instance '{slug}' in {instances_dir()} (known: {known}); "
            "create one with: lamin init --storage DIR"
        )
    return InstanceSettings(**json.loads(path.read_text()))


def list_instances() -> list[str]:
    folder = instances_dir()
    if not folder.exists():
        return []
    return sorted(p.stem.replace("--", "/", 1) for p in folder.glob("*.json"))


def delete_instance_file(slug: str) -> None:
    instance_file(slug).unlink(missing_ok=True)
    if global_slug() == slug:
        (settings_dir() / "current_instance").unlink(missing_ok=True)


def current_slug() -> str | None:
    """The instance this process uses by default.

    In order: `$LAMIN_CURRENT_INSTANCE`, the development directory holding the cwd, the
    global current instance (`lamin connect`). A name unknown here is skipped.
    """
    from_env = os.environ.get("LAMIN_CURRENT_INSTANCE")
    if from_env and known(from_env):
        return resolve_slug(from_env)
    marked = dev_dirs.nearest_marked()
    if marked is not None and known(marked[1]):
        return marked[1]
    return global_slug()


def global_slug() -> str | None:
    """The current instance outside development directories."""
    path = settings_dir() / "current_instance"
    return path.read_text().strip() or None if path.exists() else None


def clear_global_slug() -> None:
    (settings_dir() / "current_instance").unlink(missing_ok=True)


def known(name_or_slug: str) -> bool:
    """Whether an instance of this name or slug is set up in this settings folder."""
    try:
        return instance_file(resolve_slug(name_or_slug)).exists()
    except (InstanceNotSetupError, ValueError):
        return False


def set_current_slug(slug: str) -> None:
    write_private(settings_dir() / "current_instance", slug)


def resolve_slug(name_or_slug: str) -> str:
    """Accept 'owner/name' or a bare name that matches one known instance."""
    if "/" in name_or_slug:
        return name_or_slug
    matches = [s for s in list_instances() if s.split("/", 1)[1] == name_or_slug]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(list_instances()) or "none"
        raise InstanceNotSetupError(
            f"no instance named '{name_or_slug}' (known: {known}); create it with: "
            f"lamin init --storage DIR --name {name_or_slug}"
        )
    raise InstanceNotSetupError(f"several instances are named '{name_or_slug}': {matches}")


def load_user_settings() -> UserSettings:
    path = settings_dir() / "user.json"
    if not path.exists():
        return UserSettings()
    data = json.loads(path.read_text())
    known = UserSettings.__dataclass_fields__
    return UserSettings(**{k: v for k, v in data.items() if k in known})


def save_user_settings(user: UserSettings) -> None:
    write_private(settings_dir() / "user.json", json.dumps(asdict(user), indent=2))


def hide_password(url: str) -> str:
    """A database URL with its password replaced by ***."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
