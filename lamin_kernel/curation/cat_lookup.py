"""`curator.cat.lookup()`: the registries of a curator's categorical features, for
auto-completing their values (`lookup["perturbation"].dmso`, `lookup.columns.treatment`)."""

from __future__ import annotations

from typing import Any

from ..records.registered import registered
from .dtypes import parse_dtype
from .registries import registry_of


def categorical_registries(features: list[Any]) -> dict[str, type]:
    """feature name -> the registry of its first categorical target."""
    registries: dict[str, type] = {}
    for feature in features:
        dtype = parse_dtype(feature.dtype) if feature.dtype else None
        if dtype is not None and dtype.is_cat and dtype.cat_targets:
            registries[feature.name] = registry_of(dtype.cat_targets[0])
    return registries


class CatLookup:
    """Lookups of the registries behind categorical features, by feature name (and
    `columns` for the Feature registry); public=True looks up the public ontologies."""

    def __init__(self, registries: dict[str, type], public: bool = False) -> None:
        self._registries = {**registries, "columns": registered.Feature}
        self._public = public

    def _lookup(self, name: str) -> Any:
        registry = self._registries[name]
        if self._public and hasattr(registry, "public"):
            return registry.public().lookup()
        return registry.lookup()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self._registries:
            raise AttributeError(f'"CatLookup" object has no attribute "{name}"')
        return self._lookup(name)

    def __getitem__(self, name: str) -> Any:
        if name not in self._registries:
            raise AttributeError(f'"CatLookup" object has no attribute "{name}"')
        return self._lookup(name)

    def __repr__(self) -> str:
        names = list(self._registries)
        by_attribute = "\n ".join(f".{n}" for n in names if n.isidentifier())
        by_item = "\n ".join(str([n]) for n in names if not n.isidentifier())
        source = "public" if self._public else "registries"
        first = names[0]
        return (
            f"Lookup objects from the {source}:\n {by_attribute}\n {by_item}\n"
            f'Example:\n    → terms = curator.cat.lookup()["{first}"]\n'
            "    → terms.<tab> completes the values\n\n"
            "To look up public ontologies, use .lookup(public=True)"
        )
