"""The lookup object of PublicOntology.lookup(); InspectResult lives in lamin_kernel.records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from lamin_kernel.bionty.public.matching import lookup_key


def quoted(values: Iterable[str], limit: int = 10) -> str:
    """'a', 'b', ... for messages, cut after limit values."""
    values = list(values)
    text = ", ".join(repr(v) for v in values[:limit])
    return text + (f", ... ({len(values) - limit} more)" if len(values) > limit else "")


class Lookup:
    """Attribute access to terms: `lookup.b_cell`, or `lookup["B cell"]` by the original name.

    A name shared by several terms gives a list of their records.
    """

    def __init__(self, records: Iterable[tuple[str, Any]], entity: str) -> None:
        self._entity = entity
        self._by_name: dict[str, Any] = {}
        for name, record in records:
            if not isinstance(name, str) or not name:
                continue
            if name in self._by_name:
                previous = self._by_name[name]
                self._by_name[name] = (
                    [*previous, record] if isinstance(previous, list) else [previous, record]
                )
            else:
                self._by_name[name] = record
        self._by_key: dict[str, str] = {}
        for name in self._by_name:
            self._by_key.setdefault(lookup_key(name), name)

    def __getattr__(self, key: str) -> Any:
        names = self.__dict__.get("_by_key", {})
        if key in names:
            return self._by_name[names[key]]
        raise AttributeError(f"{self.__dict__.get('_entity', 'Lookup')} has no term {key!r}")

    def __getitem__(self, name: str) -> Any:
        if name in self._by_name:
            return self._by_name[name]
        if name in self._by_key:
            return self._by_name[self._by_key[name]]
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name or name in self._by_key

    def __dir__(self) -> list[str]:
        return list(self._by_key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def dict(self) -> dict[str, Any]:
        """Original name → record."""
        return dict(self._by_name)

    def __repr__(self) -> str:
        keys = ", ".join(list(self._by_key)[:5])
        return f"Lookup of {len(self)} {self._entity} terms: .{keys}, ..."
