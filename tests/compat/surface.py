"""Compare LaminDB 2.12's measured public surface (`lamindb_2_12_surface.json`, written by
`scripts/lamindb_surface.py`) with lamin_kernel's: which names are missing, which callables
lack a parameter LaminDB has.

`python -m tests.compat.surface [--write-missing]` (with HOME and LAMIN_SETTINGS_DIR pointing
to a temporary folder) prints the figures and the missing names.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SURFACE_FILE = Path(__file__).with_name("lamindb_2_12_surface.json")
CALLABLE_KINDS = ("method", "classmethod", "staticmethod", "function")
OBJECT_PATHS = {  # where each measured settings object is in lamin_kernel
    "settings": ("settings",),
    "settings.creation": ("settings", "creation"),
    "setup.settings": ("setup", "settings"),
    "setup.settings.instance": ("setup", "settings", "instance"),
    "setup.settings.storage": ("setup", "settings", "storage"),
    "setup.settings.user": ("setup", "settings", "user"),
}


@dataclass(frozen=True)
class Gap:
    """A listed name that is missing (`parameter` None) or lacks a parameter."""

    place: str  # "lamindb.models", "class Artifact", "object settings"
    name: str
    parameter: str | None = None

    @property
    def label(self) -> str:
        what = f"{self.place}: {self.name}"
        return what if self.parameter is None else f"{what}({self.parameter}=)"


def load_surface() -> dict[str, Any]:
    return json.loads(SURFACE_FILE.read_text())


def _our_module(name: str) -> Any:
    import lamin_kernel as ln

    if name == "lamindb":
        return ln
    return getattr(ln, name.split(".")[1])  # ln.models, ln.curators, ...


def _our_class(name: str) -> type | None:
    for module_name in ("lamindb", "lamindb.models", "lamindb.curators"):
        value = getattr(_our_module(module_name), name, None)
        if inspect.isclass(value):
            return value
    return None


def missing_parameters(ours: Any, listed: list[list[str]] | None) -> list[str]:
    """LaminDB's named parameters that `ours` cannot take by that name."""
    if not listed:
        return []
    try:
        signature = inspect.signature(ours)
    except (TypeError, ValueError):
        return []
    params = signature.parameters.values()
    names = {p.name for p in params}
    takes_keywords = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
    takes_positionals = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params)
    missing = []
    for name, kind in listed:
        if kind in ("var_positional", "var_keyword") or name in names:
            continue
        if kind == "positional_only" and takes_positionals:
            continue
        if kind != "positional_only" and takes_keywords:
            continue
        missing.append(name)
    return missing


def _entry_gaps(place: str, name: str, entry: dict[str, Any], owner: Any) -> Iterator[Gap]:
    try:
        ours = getattr(owner, name)
    except Exception:  # a property may raise (LaminDB's may, too): it exists
        cls = owner if inspect.isclass(owner) else type(owner)
        if any(name in vars(b) for b in cls.__mro__):
            return
        yield Gap(place, name)
        return
    if entry["kind"] in CALLABLE_KINDS:
        if not callable(ours):
            yield Gap(place, name, "<not callable>")
            return
        for parameter in missing_parameters(ours, entry.get("parameters")):
            yield Gap(place, name, parameter)


def module_gaps(surface: dict[str, Any]) -> Iterator[Gap]:
    for module_name, entries in surface["modules"].items():
        module = _our_module(module_name)
        for name, entry in entries.items():
            if entry["kind"] == "unavailable":
                continue
            yield from _entry_gaps(module_name, name, entry, module)


def class_gaps(surface: dict[str, Any]) -> Iterator[Gap]:
    for class_name, members in surface["classes"].items():
        ours = _our_class(class_name)
        if ours is None:
            continue  # the class itself is reported by module_gaps
        for name, entry in members.items():
            yield from _entry_gaps(f"class {class_name}", name, entry, ours)


def object_gaps(surface: dict[str, Any]) -> Iterator[Gap]:
    import lamin_kernel as ln

    for object_name, members in surface["objects"].items():
        owner: Any = ln
        for part in OBJECT_PATHS[object_name]:
            owner = getattr(owner, part)
        for name, entry in members.items():
            yield from _entry_gaps(f"object {object_name}", name, entry, owner)


def counted_names(surface: dict[str, Any]) -> list[tuple[str, str]]:
    """Every listed (place, name) the figures count, the available ones only."""
    names = [
        (module_name, name)
        for module_name, entries in surface["modules"].items()
        for name, entry in entries.items()
        if entry["kind"] != "unavailable"
    ]
    names += [
        (f"class {c}", name)
        for c, members in surface["classes"].items()
        if _our_class(c) is not None
        for name in members
    ]
    names += [
        (f"object {o}", name) for o, members in surface["objects"].items() for name in members
    ]
    return names


def all_gaps(surface: dict[str, Any], objects: bool = True) -> list[Gap]:
    gaps = [*module_gaps(surface), *class_gaps(surface)]
    if objects:
        gaps += object_gaps(surface)
    return gaps


def report(write_missing: bool) -> None:
    """Print the figures; with write_missing, rewrite surface_missing.txt."""
    from .test_lamindb_surface import MISSING_FILE, _excluded

    surface = load_surface()
    gaps = all_gaps(surface)
    names = counted_names(surface)
    missing = {(g.place, g.name) for g in gaps if g.parameter is None}
    excluded = {(g.place, g.name) for g in gaps if g.parameter is None and _excluded(g)}
    open_gaps = sorted(g.label for g in gaps if not _excluded(g))
    print(f"names present: {len(names) - len(missing)} / {len(names)} listed")
    print(
        f"names present: {len(names) - len(missing)} / {len(names) - len(excluded)} "
        f"listed and not excluded"
    )
    print(f"parameters missing: {sum(g.parameter is not None for g in gaps if not _excluded(g))}")
    if write_missing:
        header = "# LaminDB 2.12 names not built yet (tests/compat/test_lamindb_surface.py)\n"
        MISSING_FILE.write_text(header + "".join(f"{label}\n" for label in open_gaps))
    else:
        print("\n".join(open_gaps))


if __name__ == "__main__":
    import sys
    import tempfile

    from lamin_kernel.setup import instance as setup_instance

    with tempfile.TemporaryDirectory() as tmp:
        setup_instance.init(f"{tmp}/storage", name="surface-check")
        report(write_missing="--write-missing" in sys.argv)
