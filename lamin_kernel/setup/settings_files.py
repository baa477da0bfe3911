"""Instance, user and user-settings files under the settings folder."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InstanceNotSetupError
from .paths import instances_dir, settings_dir, write_private


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


@dataclass
class UserSettings:
    """The local user and their preferences (auto-track, branches, OpenLineage)."""

    handle: str = "anonymous"
    uid: str = "00000000"
    name: str | None = None
    auto_track: bool = False
    openlineage: dict[str, Any] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)


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
    if current_slug() == slug:
        (settings_dir() / "current_instance").unlink(missing_ok=True)


def current_slug() -> str | None:
    path = settings_dir() / "current_instance"
    return path.read_text().strip() or None if path.exists() else None


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
