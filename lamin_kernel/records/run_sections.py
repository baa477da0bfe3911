"""Run sections of describe(): a run's imported packages; an output's cell and stale inputs."""

from __future__ import annotations

from typing import Any

from . import describe
from .provenance import provenance_section


def imported_packages_section(record: Any) -> list[describe.Section]:
    """One row per package, `name  version`, for records that store `imported_packages`."""
    packages = getattr(record, "imported_packages", None)
    if not isinstance(packages, dict) or not packages:
        return []
    rows = [[name, str(version)] for name, version in sorted(packages.items(), key=_by_name)]
    return [describe.Section("Imported packages", rows=rows)]


def _by_name(item: tuple[str, Any]) -> str:
    return item[0].lower()


def register() -> None:
    """Add the sections to every describe() tree (they are empty for other registries): a
    run's imported packages, and where an artifact or collection came from."""
    for provider in (imported_packages_section, provenance_section):
        if provider not in describe.SECTION_PROVIDERS:
            describe.SECTION_PROVIDERS.append(provider)
