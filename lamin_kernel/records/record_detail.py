"""One record as a page shows it: what a person calls it, links to the records it points at
(with their names), its versions, its labels and its feature values, and its describe() tree.

The same functions serve the JupyterLab pages (through the server) and a notebook user:
`record_detail(ln.Artifact.get(key="a.parquet"))` gives what the Artifact page shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import with_parent

from ..errors import DoesNotExist
from ..setup.session import read_session
from .describe import linked_labels, record_tree
from .registered import registered
from .versions import versions_of

MAX_VERSIONS = 100
MAX_LABELS = 200
MAX_RELATED = 20


def record_by_uid(model: type, uid: str) -> Any:
    """The record with this exact uid, on any branch (trash included: links may point there)."""
    qs = model.filter(uid=uid)
    if "branch_id" in inspect(model).columns:
        qs = qs.filter(branch_id__gte=-1)
    record = qs.one_or_none()
    if record is None:
        raise DoesNotExist(f"{model.__name__} with uid '{uid}' does not exist")
    return record


def record_label(record: Any) -> str:
    """What a person calls a record: its name or key, else its description, else its uid."""
    model = type(record)
    for name in (getattr(model, "__lk_name_field__", None), "key", "name", "handle"):
        value = getattr(record, name, None) if name else None
        if isinstance(value, str) and value:
            return value
    if model is registered.Run:
        transform = getattr(record, "transform", None)
        key = getattr(transform, "key", None)
        return f"{key} · run {record.uid[:7]}" if key else f"run {record.uid[:7]}"
    description = getattr(record, "description", None)
    return str(description)[:80] if description else str(getattr(record, "uid", ""))


def record_ref(record: Any) -> dict[str, str] | None:
    """{"registry", "uid", "label"} of a record, for links between pages; None for no record."""
    uid_value = getattr(record, "uid", None) if record is not None else None
    if not uid_value:
        return None
    return {"registry": type(record).__name__, "uid": uid_value, "label": record_label(record)}


def _shown(target: type, registries: Mapping[str, type] | None) -> bool:
    return registries is None or registries.get(target.__name__) is target


def record_links(
    record: Any, registries: Mapping[str, type] | None = None
) -> dict[str, dict[str, str] | None]:
    """The records this one points at (run, transform, storage, schema, ...), as refs.

    `registries` limits them to those classes (by name); a record that came from a run also
    links its run's transform.
    """
    links: dict[str, dict[str, str] | None] = {}
    relationships = inspect(type(record)).relationships
    for rel in relationships:
        if not rel.uselist and _shown(rel.mapper.class_, registries):
            links[rel.key] = record_ref(getattr(record, rel.key))
    if "run" in relationships and "transform" not in relationships:
        run = getattr(record, "run", None)
        links["transform"] = record_ref(run.transform) if run is not None else None
    if registries is not None:
        links.update(_foreign_key_links(record, registries, set(links)))
    return links


def _foreign_key_links(
    record: Any, registries: Mapping[str, type], known: set[str]
) -> dict[str, dict[str, str] | None]:
    """Links for `<name>_id` columns without a relationship (e.g. `created_by_id` of a bionty
    record): the referenced record of a listed registry, looked up by id."""
    by_table = {inspect(cls).local_table.name: cls for cls in registries.values()}
    links: dict[str, dict[str, str] | None] = {}
    for attr in inspect(type(record)).column_attrs:
        column = attr.columns[0]
        name = attr.key[:-3] if attr.key.endswith("_id") else None
        if name is None or name in known or not column.foreign_keys:
            continue
        target = by_table.get(next(iter(column.foreign_keys)).column.table.name)
        value = getattr(record, attr.key)
        if target is None or value is None:
            continue
        links[name] = record_ref(target.filter(id=value).one_or_none())
    return links


def version_list(record: Any, limit: int = MAX_VERSIONS) -> list[dict[str, Any]]:
    """The versions of a versioned record, newest first (empty for other registries)."""
    if not getattr(type(record), "__lk_versioned__", False):
        return []
    return [
        {
            "uid": v.uid,
            "version_tag": v.version_tag,
            "is_latest": bool(v.is_latest),
            "created_at": v.created_at,
        }
        for v in versions_of(record)[:limit]
    ]


def record_labels(
    record: Any, registries: Mapping[str, type] | None = None, limit: int = MAX_LABELS
) -> dict[str, list[dict[str, str]]]:
    """{relation: [{"uid", "name", "registry"}]} for each label registry linked to the record."""
    labels = {}
    relationships = inspect(type(record)).relationships
    for key, linked in linked_labels(record).items():
        target = relationships[key].mapper.class_
        if not _shown(target, registries):
            continue
        name_field = getattr(target, "__lk_name_field__", None) or "uid"
        labels[key] = [
            {"uid": r.uid, "name": str(getattr(r, name_field)), "registry": target.__name__}
            for r in linked[:limit]
        ]
    return labels


def related_records(
    record: Any, registries: Mapping[str, type] | None = None, limit: int = MAX_RELATED
) -> dict[str, dict[str, Any]]:
    """{relation: {"records": [ref, ...], "more": bool}} for the many-to-many relations to
    records that are not labels (a schema's features, a collection's artifacts, a label's
    artifacts): the newest `limit` of each, read with LIMIT (never the whole relation)."""
    model = type(record)
    found: dict[str, dict[str, Any]] = {}
    with read_session() as session:
        for rel in inspect(model).relationships:
            target = rel.mapper.class_
            if not rel.uselist or rel.secondary is None or rel.viewonly:
                continue
            if getattr(target, "__lk_is_label__", False) or not _shown(target, registries):
                continue
            statement = (
                select(target)
                .where(with_parent(record, getattr(model, rel.key)))
                .order_by(target.id.desc())
                .limit(limit + 1)
            )
            rows = list(session.scalars(statement))
            if rows:
                refs = [record_ref(r) for r in rows[:limit]]
                found[rel.key] = {"records": refs, "more": len(rows) > limit}
    return found


def feature_values(record: Any) -> dict[str, Any]:
    """{feature name: value} as `record.features.get_values()` reads them; {} for registries
    without feature values."""
    manager = getattr(record, "features", None) if getattr(record, "id", None) else None
    getter = getattr(manager, "get_values", None)
    return dict(getter()) if callable(getter) else {}


def record_detail(
    record: Any,
    registries: Mapping[str, type] | None = None,
    columns: list[str] | None = None,
) -> dict[str, Any]:
    """Everything a record's page shows, as plain Python values (datetimes stay datetimes).

    `columns` are the fields listed under "record" (all of the registry's columns by default),
    `registries` the classes whose records are linked and listed as labels (all by default).
    """
    model = type(record)
    if columns is None:
        columns = [c.key for c in inspect(model).column_attrs]
    return {
        "label": record_label(record),
        "registry": model.__name__,
        "record": {"id": record.id, **{name: getattr(record, name) for name in columns}},
        "describe": record_tree(record).to_json(),
        "links": record_links(record, registries),
        "versions": version_list(record),
        "labels": record_labels(record, registries),
        "related": related_records(record, registries),
        "features": feature_values(record),
    }
