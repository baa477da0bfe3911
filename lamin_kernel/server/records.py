"""The routes over records: a page of a registry's rows, one record's detail, and the lineage
around one record. Each validates the request, calls one public function of the package
(query/record_rows.py, records/record_detail.py, records/lineage.py) and makes it JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InvalidArgument
from ..query.record_rows import rows_page
from ..records.artifact_access import stored_location
from ..records.lineage import lineage_graph
from ..records.lineage_marks import mark_lineage
from ..records.record_detail import record_by_uid, record_ref
from ..records.record_detail import record_detail as detail_of
from ..records.registered import registered
from ..records.upstream import record_upstream_changes
from ..setup.session import read_session
from ..storage.paths import is_remote
from .filters import apply_filters, sort_spec
from .jsonable import jsonable
from .params import RecordQuery, registry_name, uid
from .registries import RegistrySpec, registry_spec, served_classes
from .search import CANDIDATES

LINEAGE_REGISTRIES = ("Artifact", "Collection", "Run", "Transform")

__all__ = ["get_record", "list_records", "record_detail", "record_lineage", "record_ref"]


def _columns(registry: RegistrySpec, requested: list[str] | None) -> list[str]:
    if requested is None:
        return [f.name for f in registry.columns if f.name != "id"]
    unknown = [c for c in requested if registry.column(c) is None]
    if unknown:
        raise InvalidArgument(f"{registry.name} has no column '{unknown[0][:80]}'")
    return requested


def list_records(name: str, query: RecordQuery) -> dict[str, Any]:
    """GET registries/<name>/records: one page, newest first unless sorted or searched."""
    registry = registry_spec(registry_name(name))
    columns = _columns(registry, query.columns)
    qs = apply_filters(registry.model.filter(), registry, query.filters)
    qs = apply_filters(qs, registry, query.excludes, exclude=True)
    order = sort_spec(registry, query.sort, searching=bool(query.search))
    found = rows_page(
        qs,
        ["uid", *columns],
        order=order,
        page=query.page,
        page_size=query.page_size,
        search=query.search,
        search_limit=CANDIDATES,
    )
    body = {
        "registry": registry.name,
        "page": query.page,
        "page_size": query.page_size,
        "total": found.total,
        "total_exact": found.total_exact,
        "columns": columns,
        "records": jsonable(found.rows),
    }
    if query.search:
        body["partial"] = not found.complete
    return body


def get_record(model: type, record_uid: str) -> Any:
    """The record with this exact uid (checked), on any branch."""
    return record_by_uid(model, uid(record_uid))


def path_in_root(record: Any, root_dir: str | None) -> str | None:
    """An artifact's stored file relative to the Jupyter server's root, if it lies inside and
    the file browser can show it (no hidden folder on the way)."""
    if root_dir is None or not isinstance(record, registered.Artifact):
        return None
    try:
        location = stored_location(record)
    except Exception:  # noqa: BLE001 - a storage that cannot be reached has no local path
        return None
    if is_remote(location):
        return None
    path, root = Path(location).resolve(), Path(root_dir).expanduser().resolve()
    if not path.is_relative_to(root):
        return None
    relative = path.relative_to(root)
    # JupyterLab's file browser does not list hidden files (the storage's .lamindb/ folder)
    if any(part.startswith(".") for part in relative.parts):
        return None
    return relative.as_posix()


def record_detail(name: str, record_uid: str, root_dir: str | None = None) -> dict[str, Any]:
    """GET registries/<name>/records/<uid>."""
    registry = registry_spec(registry_name(name))
    with read_session():  # one read transaction for its few dozen queries, not one each
        record = get_record(registry.model, record_uid)
        columns = [f.name for f in registry.columns if f.name != "id"]
        detail = detail_of(record, served_classes(), columns)
        if registry.name in LINEAGE_REGISTRIES:
            detail["upstream_changes"] = [c.to_json() for c in record_upstream_changes(record)]
    detail.update(module=registry.module, local_path=path_in_root(record, root_dir))
    return jsonable(detail)


def record_lineage(
    name: str, record_uid: str, direction: str, depth: int, cells: bool = False
) -> dict[str, Any]:
    """GET lineage/<registry>/<uid>: the graph with its "upstream changed" marks, and the runs'
    cells when asked."""
    registry = registry_spec(registry_name(name))
    if registry.name not in LINEAGE_REGISTRIES:
        raise InvalidArgument(
            f"lineage is drawn for {', '.join(LINEAGE_REGISTRIES)}, not {registry.name}"
        )
    record = get_record(registry.model, record_uid)
    graph = dict(lineage_graph(record, direction=direction, depth=depth))
    return jsonable(mark_lineage(graph, cells=cells))
