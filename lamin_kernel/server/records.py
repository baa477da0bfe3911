"""Records of a registry: a page of rows (column values, no ORM objects), one record's detail,
and the lineage around one record."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from ..errors import DoesNotExist, InvalidArgument
from ..query.queryset import QuerySet
from ..records.describe import record_tree
from ..records.lineage import lineage_graph
from ..records.versions import versions_of
from ..setup.session import end_read, get_session
from .features import feature_values
from .filters import apply_filters, sort_spec
from .jsonable import jsonable
from .params import RecordQuery, registry_name, uid
from .registries import RegistrySpec, registry_spec, served_classes
from .search import search_ids

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
    order = sort_spec(registry, query.sort, searching=bool(query.search))
    start = (query.page - 1) * query.page_size
    if query.search:
        ids = search_ids(qs, query.search)
        total = len(ids)
        if order:
            page = qs.filter(id__in=ids).order_by(*order)[start : start + query.page_size]
        else:
            page = qs.in_id_order(ids[start : start + query.page_size])
    else:
        total = qs.count()
        page = qs.order_by(*order)[start : start + query.page_size]
    return {
        "registry": registry.name,
        "page": query.page,
        "page_size": query.page_size,
        "total": total,
        "columns": columns,
        "records": page_rows(page, ["uid", *columns]),
    }


def get_record(model: type, record_uid: str) -> Any:
    """The record with this exact uid, on any branch (trash included: links may point there)."""
    qs = model.filter(uid=uid(record_uid))
    if "branch_id" in inspect(model).columns:
        qs = qs.filter(branch_id__gte=-1)
    record = qs.one_or_none()
    if record is None:
        raise DoesNotExist(f"{model.__name__} with uid '{record_uid}' does not exist")
    return record


def _ref(record: Any) -> dict[str, str] | None:
    uid_value = getattr(record, "uid", None) if record is not None else None
    return {"registry": type(record).__name__, "uid": uid_value} if uid_value else None


def _links(record: Any, served: dict[str, type]) -> dict[str, Any]:
    links: dict[str, Any] = {}
    relationships = inspect(type(record)).relationships
    for rel in relationships:
        if not rel.uselist and served.get(rel.mapper.class_.__name__) is rel.mapper.class_:
            links[rel.key] = _ref(getattr(record, rel.key))
    if "run" in relationships and "transform" not in relationships:
        run = getattr(record, "run", None)
        links["transform"] = _ref(run.transform) if run is not None else None
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
            {"uid": r.uid, "name": str(getattr(r, name_field))}
            for r in list(getattr(record, rel.key))[:MAX_LABELS]
        ]
    return labels


def record_detail(name: str, record_uid: str) -> dict[str, Any]:
    """GET registries/<name>/records/<uid>."""
    registry = registry_spec(registry_name(name))
    record = get_record(registry.model, record_uid)
    served = served_classes()
    fields = {"id": record.id}
    fields.update({f.name: jsonable(getattr(record, f.name)) for f in registry.columns})
    return {
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
