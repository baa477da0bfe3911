"""Records of a registry: a page of rows (column values, no ORM objects), one record's detail,
and the lineage around one record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import inspect

from ..errors import DoesNotExist, InvalidArgument
from ..query.queryset import QuerySet
from ..records.artifact_access import stored_location
from ..records.describe import record_tree
from ..records.lineage import lineage_graph
from ..records.versions import versions_of
from ..setup.session import end_read, get_session
from ..storage.paths import is_remote
from .features import feature_values
from .filters import apply_filters, sort_spec
from .jsonable import jsonable
from .params import RecordQuery, registry_name, uid
from .registries import RegistrySpec, registry_spec, served_classes
from .search import search_results

MAX_VERSIONS = 100
MAX_LABELS = 200
LINEAGE_REGISTRIES = ("Artifact", "Collection", "Run", "Transform")


def _columns(registry: RegistrySpec, requested: list[str] | None) -> list[str]:
    if requested is None:
        return [f.name for f in registry.columns if f.name != "id"]
    unknown = [c for c in requested if registry.column(c) is None]
    if unknown:
        raise InvalidArgument(f"{registry.name} has no column '{unknown[0][:80]}'")
    return requested


def page_rows(qs: QuerySet, names: list[str]) -> list[dict[str, Any]]:
    """The selected columns of a QuerySet's rows, straight from SQL (no ORM object, no pandas)."""
    model = qs.model
    session = get_session()
    try:
        rows = session.execute(qs.statement(model.id, *(getattr(model, n) for n in names))).all()
    finally:
        end_read(session)
    return [
        {"id": row[0], **dict(zip(names, jsonable(list(row[1:])), strict=True))} for row in rows
    ]


def list_records(name: str, query: RecordQuery) -> dict[str, Any]:
    """GET registries/<name>/records: one page, newest first unless sorted or searched."""
    registry = registry_spec(registry_name(name))
    columns = _columns(registry, query.columns)
    qs = apply_filters(registry.model.filter(), registry, query.filters)
    qs = apply_filters(qs, registry, query.excludes, exclude=True)
    order = sort_spec(registry, query.sort, searching=bool(query.search))
    start = (query.page - 1) * query.page_size
    partial = None
    if query.search:
        found = search_results(qs, query.search)
        ids, total, partial = found.ids, len(found.ids), not found.complete
        if order:
            page = qs.filter(id__in=ids).order_by(*order)[start : start + query.page_size]
        else:
            page = qs.in_id_order(ids[start : start + query.page_size])
    else:
        total = qs.count()
        page = qs.order_by(*order)[start : start + query.page_size]
    body = {
        "registry": registry.name,
        "page": query.page,
        "page_size": query.page_size,
        "total": total,
        "columns": columns,
        "records": page_rows(page, ["uid", *columns]) if total else [],
    }
    if partial is not None:
        body["partial"] = partial
    return body


def get_record(model: type, record_uid: str) -> Any:
    """The record with this exact uid, on any branch (trash included: links may point there)."""
    qs = model.filter(uid=uid(record_uid))
    if "branch_id" in inspect(model).columns:
        qs = qs.filter(branch_id__gte=-1)
    record = qs.one_or_none()
    if record is None:
        raise DoesNotExist(f"{model.__name__} with uid '{record_uid}' does not exist")
    return record


def record_label(record: Any) -> str:
    """What a person calls a record: its name or key, else its description, else its uid."""
    model = type(record)
    for name in (getattr(model, "__lk_name_field__", None), "key", "name", "handle"):
        value = getattr(record, name, None) if name else None
        if isinstance(value, str) and value:
            return value
    if model.__name__ == "Run":
        transform = getattr(record, "transform", None)
        key = getattr(transform, "key", None)
        return f"{key} · run {record.uid[:7]}" if key else f"run {record.uid[:7]}"
    description = getattr(record, "description", None)
    return str(description)[:80] if description else str(getattr(record, "uid", ""))


def record_ref(record: Any) -> dict[str, str] | None:
    """{"registry", "uid", "label"} of a record, for links between pages."""
    uid_value = getattr(record, "uid", None) if record is not None else None
    if not uid_value:
        return None
    return {"registry": type(record).__name__, "uid": uid_value, "label": record_label(record)}


def _links(record: Any, served: dict[str, type]) -> dict[str, Any]:
    links: dict[str, Any] = {}
    relationships = inspect(type(record)).relationships
    for rel in relationships:
        if not rel.uselist and served.get(rel.mapper.class_.__name__) is rel.mapper.class_:
            links[rel.key] = record_ref(getattr(record, rel.key))
    if "run" in relationships and "transform" not in relationships:
        run = getattr(record, "run", None)
        links["transform"] = record_ref(run.transform) if run is not None else None
    return links


def _versions(record: Any) -> list[dict[str, Any]]:
    if not getattr(type(record), "__lk_versioned__", False):
        return []
    return [
        {
            "uid": v.uid,
            "version_tag": v.version_tag,
            "is_latest": bool(v.is_latest),
            "created_at": jsonable(v.created_at),
        }
        for v in versions_of(record)[:MAX_VERSIONS]
    ]


def _labels(record: Any, served: dict[str, type]) -> dict[str, list[dict[str, str]]]:
    labels = {}
    for rel in inspect(type(record)).relationships:
        target = rel.mapper.class_
        if not rel.uselist or not getattr(target, "__lk_is_label__", False):
            continue
        if served.get(target.__name__) is not target:
            continue
        name_field = getattr(target, "__lk_name_field__", None) or "uid"
        labels[rel.key] = [
            {"uid": r.uid, "name": str(getattr(r, name_field)), "registry": target.__name__}
            for r in list(getattr(record, rel.key))[:MAX_LABELS]
        ]
    return labels


def path_in_root(record: Any, root_dir: str | None) -> str | None:
    """An artifact's stored file relative to the Jupyter server's root, if it lies inside."""
    if root_dir is None or type(record).__name__ != "Artifact":
        return None
    try:
        location = stored_location(record)
    except Exception:  # noqa: BLE001 - a storage that cannot be reached has no local path
        return None
    if is_remote(location):
        return None
    path, root = Path(location).resolve(), Path(root_dir).expanduser().resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else None


def record_detail(name: str, record_uid: str, root_dir: str | None = None) -> dict[str, Any]:
    """GET registries/<name>/records/<uid>."""
    registry = registry_spec(registry_name(name))
    record = get_record(registry.model, record_uid)
    served = served_classes()
    fields = {"id": record.id}
    fields.update({f.name: jsonable(getattr(record, f.name)) for f in registry.columns})
    return {
        "label": record_label(record),
        "module": registry.module,
        "local_path": path_in_root(record, root_dir),
        "registry": registry.name,
        "record": fields,
        "describe": jsonable(record_tree(record).to_json()),
        "links": _links(record, served),
        "versions": _versions(record),
        "labels": _labels(record, served),
        "features": feature_values(record),
    }


def record_lineage(name: str, record_uid: str, direction: str, depth: int) -> dict[str, Any]:
    """GET lineage/<registry>/<uid>."""
    registry = registry_spec(registry_name(name))
    if registry.name not in LINEAGE_REGISTRIES:
        raise InvalidArgument(
            f"lineage is drawn for {', '.join(LINEAGE_REGISTRIES)}, not {registry.name}"
        )
    record = get_record(registry.model, record_uid)
    return dict(lineage_graph(record, direction=direction, depth=depth))
