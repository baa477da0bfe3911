"""Result objects of PublicOntology: inspect(), standardize() and lookup()."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lamin_kernel.bionty.public.matching import lookup_key


def quoted(values: Iterable[str], limit: int = 10) -> str:
    """'a', 'b', ... for messages, cut after limit values."""
    values = list(values)
    text = ", ".join(repr(v) for v in values[:limit])
    return text + (f", ... ({len(values) - limit} more)" if len(values) > limit else "")


@dataclass
class InspectResult:
    """Which values validate, which do not, and which of those have a standard form."""

    validated: list[str]
    non_validated: list[str]
    synonyms_mapper: dict[str, str] = field(default_factory=dict)
    field: str = "name"
    # values a registry lacks that its public source has (registry-level inspect only)
    in_public_source: list[str] = dataclasses.field(default_factory=list)

    @property
    def frac_validated(self) -> float:
        """Share of unique values that validated (1.0 for no values)."""
        total = len(self.validated) + len(self.non_validated)
        return len(self.validated) / total if total else 1.0

    @property
    def message(self) -> str:
        """What did not validate and what to do about it."""
        if not self.non_validated:
            return f"all {len(self.validated)} terms are validated for {self.field}"
        n = len(self.non_validated)
        text = f"{n} term{'s' if n != 1 else ''} not validated: {quoted(self.non_validated)}"
        if self.synonyms_mapper:
            pairs = ", ".join(f"{k!r} → {v!r}" for k, v in list(self.synonyms_mapper.items())[:10])
            text += (
                f"\n   {len(self.synonyms_mapper)} can be standardized with .standardize(): {pairs}"
            )
        if self.in_public_source:
            text += (
                f"\n   {len(self.in_public_source)} are in the public source; create records with"
                f" .from_values(): {quoted(self.in_public_source)}"
            )
        return text

    def __repr__(self) -> str:
        return f"InspectResult({len(self.validated)} validated, {len(self.non_validated)} not)\n{self.message}"


class StandardizedList(list):
    """standardize()'s output: a plain list that also names the values left unchanged."""

    def __init__(self, values: Iterable[Any], non_standardized: list[str]) -> None:
        super().__init__(values)
        self.non_standardized = non_standardized

    @property
    def all_standardized(self) -> bool:
        """True when every value was found."""
        return not self.non_standardized


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
