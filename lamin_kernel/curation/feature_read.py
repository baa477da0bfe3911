"""Reading feature values back as LaminDB shows them.

get_values(): a label shows the field its feature validates (name, ontology_id, handle...);
several values of a to-one feature come back as a set (an aggregation), a list dtype as a
list in the order the values were added, dates as dates.
features[name]: the records themselves (one record, a QuerySet of several, or a list).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..query.queryset import QuerySet
from ..records.registered import registered
from ..setup.session import block_memo, read_session
from .dtype_values import read_value
from .dtypes import CatTarget, Dtype, parse_dtype
from .feature_values import Stored, Values, read_values, records_by_id
from .registries import IN_CHUNK, name_field, registry_of


def features_by_id(ids: list[int]) -> dict[int, Any]:
    feature = registered.Feature
    with read_session() as session:
        found: dict[int, Any] = {}
        for i in range(0, len(ids), IN_CHUNK):
            stmt = select(feature).where(feature.id.in_(ids[i : i + IN_CHUNK]))
            found.update({f.id: f for f in session.scalars(stmt)})
        return found


def _display_field(dtype: Dtype, target_label: str) -> str | None:
    for target in dtype.cat_targets:
        if target.registry == target_label:
            return target.field
    return None


@dataclass
class ValueReader:
    """Stored values of some owner records, with their features and linked records."""

    owner: str
    values: Values
    features: dict[int, Any]
    records: dict[str, dict[int, Any]]

    @classmethod
    def for_owners(cls, owner: str, owner_ids: Any) -> ValueReader:
        """The values of these owners, read once per read block (a record page shows them in
        its describe() tree and in its features)."""
        ids = tuple(owner_ids)
        known: dict = block_memo().setdefault("value_readers", {})
        if (owner, ids) not in known:
            known[(owner, ids)] = cls._read(owner, ids)
        return known[(owner, ids)]

    @classmethod
    def _read(cls, owner: str, owner_ids: Any) -> ValueReader:
        values = read_values(owner, owner_ids)
        feature_ids = sorted({f for per_owner in values.values() for f in per_owner})
        wanted: dict[str, set[int]] = {}
        for per_owner in values.values():
            for stored in per_owner.values():
                for label, ids in stored.record_ids.items():
                    wanted.setdefault(label, set()).update(ids)
        records = {label: records_by_id(label, sorted(ids)) for label, ids in wanted.items()}
        return cls(owner, values, features_by_id(feature_ids), records)

    def dtype(self, feature: Any) -> Dtype:
        return parse_dtype(feature.dtype) if feature.dtype else Dtype("object")

    def feature_named(self, name: str) -> Any | None:
        matches = [f for f in self.features.values() if f.name == name]
        matches.sort(key=lambda f: (f.type_id is not None, f.id))
        return matches[0] if matches else None

    def ordered_features(self, owner_id: int) -> list[Any]:
        """Features with values: categorical ones first, each group by name."""
        stored = self.values.get(owner_id, {})
        features = [self.features[f] for f in stored if f in self.features]
        return sorted(features, key=lambda f: (not stored[f.id].is_label, f.name, f.id))

    def _linked(self, stored: Stored) -> list[tuple[str, Any]]:
        found = []
        for label, ids in stored.record_ids.items():
            by_id = self.records.get(label, {})
            found.extend((label, by_id[i]) for i in ids if i in by_id)
        return found

    def shown(self, feature: Any, label: str, record: Any) -> Any:
        """The value of a linked record that the feature's dtype names."""
        field = _display_field(self.dtype(feature), label)
        if field is None:
            field = name_field(type(record))
        return getattr(record, field, None)

    def value(self, owner_id: int, feature: Any) -> Any:
        """One feature's value as get_values() returns it."""
        stored = self.values.get(owner_id, {}).get(feature.id)
        if stored is None:
            return None
        dtype = self.dtype(feature)
        if stored.is_label:
            items = [self.shown(feature, label, r) for label, r in self._linked(stored)]
        else:
            items = [read_value(dtype, v) for v in stored.json]
        if dtype.kind == "list" and not stored.is_label:
            return items[0] if len(items) == 1 else items
        if dtype.kind == "list" or len(items) != 1:
            if dtype.kind == "list":
                return list(dict.fromkeys(items))
            return set(items) if all(isinstance(i, Hashable) for i in items) else items
        return items[0]

    def values_of(self, owner_id: int) -> dict[str, Any]:
        return {f.name: self.value(owner_id, f) for f in self.ordered_features(owner_id)}

    def objects_of(self, owner_id: int, feature: Any) -> Any:
        """One feature's value as features[name] returns it (records for labels)."""
        stored = self.values.get(owner_id, {}).get(feature.id)
        if stored is None:
            return None
        dtype = self.dtype(feature)
        if not stored.is_label:
            items = [read_value(dtype, v) for v in stored.json]
            return items[0] if len(items) == 1 else items
        linked = [r for _, r in self._linked(stored)]
        if dtype.kind == "list":
            return list(linked)
        if len(linked) == 1:
            return linked[0]
        model = type(linked[0])
        return QuerySet(model).filter(id__in=[r.id for r in linked])

    def cell(self, owner_id: int, feature: Any) -> Any:
        """A DataFrame cell: the value, a set of several labels, NaN when there is none."""
        stored = self.values.get(owner_id, {}).get(feature.id)
        if stored is None:
            return float("nan")
        value = self.value(owner_id, feature)
        dtype = self.dtype(feature)
        if stored.is_label and dtype.kind != "list" and not isinstance(value, set):
            return value
        return value


def registry_for_label(label: str) -> type:
    module, _, name = label.rpartition(".")
    return registry_of(CatTarget(label)) if module else registered.named(name)
