"""The "Imported packages" section of a run's describe() tree: what its code imported."""

from __future__ import annotations

from typing import Any

from . import describe


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
    """Add the section to every describe() tree (it is empty for other registries)."""
    if imported_packages_section not in describe.SECTION_PROVIDERS:
        describe.SECTION_PROVIDERS.append(imported_packages_section)
