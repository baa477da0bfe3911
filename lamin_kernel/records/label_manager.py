"""`artifact.labels` (and a collection's): labels of every registry, optionally per feature.

`add(records, feature=None)` links records of any label registry (ULabel, Record, Project,
bionty...) through the host's relation to that registry; `get(feature)` returns the labels
linked under a feature; `add_from(other)` copies another artifact's or collection's labels,
with their features.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import inspect, select

from ..errors import InvalidArgument, ValidationError
from ..query.queryset import QuerySet
from ..setup.session import read_session, write_transaction
from .display import record_repr
from .registered import registered


def label_relations(model: type) -> dict[type, Any]:
    """label registry -> the host's many-to-many relationship to it."""
    found: dict[type, Any] = {}
    for rel in inspect(model).relationships:
        target = rel.mapper.class_
        if rel.uselist and rel.secondary is not None and getattr(target, "__lk_is_label__", False):
            found.setdefault(target, rel)
    return found


def _link_model(rel: Any) -> type:
    for mapper in inspect(rel.parent.class_).registry.mappers:
        if mapper.local_table is rel.secondary:
            return mapper.class_
    raise InvalidArgument(f"no link table for {rel.key}")


def _link_columns(rel: Any) -> tuple[str, str]:
    """(host id column, label id column) of a relation's link table."""
    host = next(iter(rel.synchronize_pairs))[1].key
    label = next(iter(rel.secondary_synchronize_pairs))[1].key
    return host, label


def _as_list(records: Any) -> list[Any]:
    if isinstance(records, QuerySet):
        return records.to_list()
    if hasattr(records, "__table__"):
        return [records]
    if isinstance(records, str) or not isinstance(records, Iterable):
        raise InvalidArgument(
            "Please pass a record (a `SQLRecord` object), not a string, e.g., via: "
            f"label = ln.Record(name='{records}')"
        )
    return list(records)


class LabelManager:
    """The labels of an artifact or collection, across label registries."""

    def __init__(self, host: Any) -> None:
        self._host = host

    def _relations(self) -> dict[type, Any]:
        return label_relations(type(self._host))

    def add(self, records: Any, feature: Any | None = None) -> None:
        """Link label records (one, a list or a QuerySet), under `feature` if given."""
        if self._host.id is None:
            raise InvalidArgument("Please save the artifact/collection before adding a label!")
        items = _as_list(records)
        relations = self._relations()
        for item in items:
            if not hasattr(item, "__table__"):
                raise InvalidArgument(
                    "Please pass a record (a `SQLRecord` object), not a string, e.g., via: "
                    f"label = ln.Record(name='{item}')"
                )
            if item.id is None:
                raise ValidationError(
                    f"{record_repr(item)} not validated. If it looks correct: record.save()"
                )
            if type(item) not in relations:
                raise InvalidArgument(f"Can't add labels to {type(item)} record!")
        if feature is not None and feature.id is None:
            raise InvalidArgument(f"save the feature {feature.name!r} first")
        with write_transaction() as session:
            for item in items:
                self._link(session, relations[type(item)], item, feature)
            _refresh_later(session, self._host)

    def _link(self, session: Any, rel: Any, item: Any, feature: Any | None) -> None:
        link = _link_model(rel)
        host_column, label_column = _link_columns(rel)
        feature_id = feature.id if feature is not None else None
        conditions = [
            getattr(link, host_column) == self._host.id,
            getattr(link, label_column) == item.id,
        ]
        has_feature = "feature_id" in inspect(link).columns
        if has_feature:
            column = link.feature_id
            conditions.append(column.is_(None) if feature_id is None else column == feature_id)
        if session.execute(select(link.id).where(*conditions)).first() is not None:
            return
        values = {host_column: self._host.id, label_column: item.id}
        if has_feature:
            values["feature_id"] = feature_id
        session.add(link(**values))

    def get(self, feature: Any, mute: bool = False, flat_names: bool = False) -> Any:
        """The labels linked under `feature`: a QuerySet (a dict per registry if several
        registries hold some), or their names with flat_names=True."""
        found: dict[str, QuerySet] = {}
        with read_session() as session:
            for target, rel in self._relations().items():
                link = _link_model(rel)
                if "feature_id" not in inspect(link).columns:
                    continue
                host_column, label_column = _link_columns(rel)
                ids = session.scalars(
                    select(getattr(link, label_column)).where(
                        getattr(link, host_column) == self._host.id,
                        link.feature_id == feature.id,
                    )
                ).all()
                if ids:
                    found[target.__name__] = QuerySet(target).filter(id__in=list(ids))
        if flat_names:
            return [
                getattr(r, type(r).__lk_name_field__ or "uid") for qs in found.values() for r in qs
            ]
        if len(found) == 1:
            return next(iter(found.values()))
        return found

    def add_from(self, data: Any) -> None:
        """Link the labels of another artifact or collection here, with their features."""
        if data.id is None:
            raise InvalidArgument("add_from() needs a saved artifact or collection")
        relations = self._relations()
        with write_transaction() as session:
            for target, rel in label_relations(type(data)).items():
                if target not in relations:
                    continue
                link = _link_model(rel)
                host_column, label_column = _link_columns(rel)
                has_feature = "feature_id" in inspect(link).columns
                columns = [getattr(link, label_column)]
                if has_feature:
                    columns.append(link.feature_id)
                rows = session.execute(
                    select(*columns).where(getattr(link, host_column) == data.id)
                ).all()
                for row in rows:
                    label = session.get(target, row[0])
                    feature = (
                        session.get(registered.Feature, row[1]) if has_feature and row[1] else None
                    )
                    self._link(session, relations[target], label, feature)
            _refresh_later(session, self._host)

    def describe(self, return_str: bool = True) -> str | None:
        lines = ["Labels"]
        for target, rel in self._relations().items():
            names = [
                str(getattr(r, target.__lk_name_field__ or "uid"))
                for r in getattr(self._host, rel.key)
            ]
            if names:
                lines.append(f"  .{rel.key} ({target.__name__}): {', '.join(names)}")
        text = "\n".join(lines)
        if return_str:
            return text
        print(text)
        return None

    def __repr__(self) -> str:
        return self.describe(return_str=True) or ""


def _refresh_later(session: Any, host: Any) -> None:
    """The host's relations are read again on next access (they just changed)."""
    if host in session:
        session.expire(host, [rel.key for rel in label_relations(type(host)).values()])
