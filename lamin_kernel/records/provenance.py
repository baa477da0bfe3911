"""Which cell (or file and line) saved or loaded what: read back from a run's links.

``creation_site(record)`` is where an artifact or collection was saved; ``run_cells(run)``
groups a run's inputs and outputs by the cell that loaded or saved them (the cell badge, the
lineage graph's cells). ``provenance_section`` adds both, with the stale-input marker, to
``describe()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from . import describe
from .call_sites import CALL_SITE_COLUMNS, cell_source_hash
from .registered import registered
from .run_links import link_model, read_rows
from .staleness import KINDS, REGISTRY, kind_of, record_class
from .upstream import record_upstream_changes

UNKNOWN_CELL = "unrecorded"


def _site(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in CALL_SITE_COLUMNS}


def creation_site(record: Any) -> dict[str, Any] | None:
    """Where the run that made an artifact or collection saved it, or None if unknown.

    ``{"run": uid, "transform": {"uid", "key", "kind"}, "cell_id", "execution_count",
    "cell_source_hash", "call_file", "call_line"}``
    """
    kind = kind_of(record)
    if kind is None or getattr(record, "run_id", None) is None or record.id is None:
        return None
    link = link_model(kind, "output")
    run, transform = registered.Run, registered.Transform
    statement = (
        select(link, run.uid, transform.uid, transform.key, transform.kind)
        .join(run, run.id == link.run_id)
        .join(transform, transform.id == run.transform_id)
        .where(getattr(link, f"{kind}_id") == record.id, link.run_id == record.run_id)
    )
    rows = read_rows(statement)
    if not rows:
        return None
    found, run_uid, transform_uid, key, transform_kind = rows[0]
    return {
        "run": run_uid,
        "transform": {"uid": transform_uid, "key": key, "kind": transform_kind},
        **_site(found),
    }


def _cell_key(site: dict[str, Any]) -> str:
    if site["cell_id"]:
        return f"cell:{site['cell_id']}"
    if site["execution_count"] is not None:
        return f"count:{site['execution_count']}"
    if site["call_file"]:
        return f"line:{site['call_file']}:{site['call_line']}"
    return UNKNOWN_CELL


def _link_rows(kind: str, direction: str, run_ids: Sequence[int]) -> list[Any]:
    link = link_model(kind, direction)  # type: ignore[arg-type]
    model = record_class(kind)
    statement = (
        select(link, model.uid, model.key, model.description, model.version_tag)
        .join(model, model.id == getattr(link, f"{kind}_id"))
        .where(link.run_id.in_(sorted(set(run_ids))))
        .order_by(link.id)
    )
    return read_rows(statement)


def run_cells(run: Any) -> list[dict[str, Any]]:
    """A run's inputs and outputs grouped by the cell (or file and line) that loaded or saved
    them, in the order the cells first appear (by execution count).

    ``[{"key", "cell_id", "execution_count", "cell_source_hash", "call_file", "call_line",
    "inputs": [ref], "outputs": [ref]}]`` where a ref is
    ``{"registry", "uid", "label", "version_tag", "execution_count"}``. Links made before the
    call sites were recorded are grouped under the key ``"unrecorded"``.
    """
    return runs_cells([run.id]).get(run.id, [])


def runs_cells(run_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """``run_cells`` of many runs at once (4 queries in all): {run id: cells}."""
    by_run: dict[int, dict[str, dict[str, Any]]] = {}
    if not run_ids:
        return {}
    for kind in KINDS:
        for direction in ("input", "output"):
            for link, uid, key, description, version_tag in _link_rows(kind, direction, run_ids):
                site = _site(link)
                cells = by_run.setdefault(link.run_id, {})
                cell = cells.setdefault(_cell_key(site), {**site, "inputs": [], "outputs": []})
                count = site["execution_count"]
                if count is not None and (cell["execution_count"] or -1) < count:
                    cell.update(execution_count=count, cell_source_hash=site["cell_source_hash"])
                cell[f"{direction}s"].append(
                    {
                        "registry": REGISTRY[kind],
                        "uid": uid,
                        "label": key or description or uid,
                        "version_tag": version_tag,
                        "execution_count": count,
                    }
                )
    return {
        run_id: [
            {"key": key, **cell}
            for key, cell in sorted(cells.items(), key=lambda item: _order(item[1]))
        ]
        for run_id, cells in by_run.items()
    }


def _order(cell: dict[str, Any]) -> tuple[int, int]:
    count = cell["execution_count"]
    return (0, count) if count is not None else (1, cell["call_line"] or 0)


def describe_site(site: dict[str, Any]) -> str:
    """``cell [7] of analysis.ipynb``, ``make.py:12``, in words."""
    key = (site.get("transform") or {}).get("key") or "the notebook"
    if site.get("cell_id") or site.get("execution_count") is not None:
        count = site.get("execution_count")
        text = f"cell [{count if count is not None else '?'}] of {key}"
        if site.get("call_line"):
            text += f", line {site['call_line']}"
        return text
    if site.get("call_file"):
        return f"{site['call_file']}:{site.get('call_line') or '?'}"
    return key


def provenance_section(record: Any) -> list[describe.Section]:
    """Describe rows: the cell that saved the record, and inputs that changed upstream (for a
    run: of its own inputs)."""
    is_run = isinstance(record, registered.Run)
    if not (is_run or kind_of(record)) or record.id is None:
        return []
    rows: list[list[str]] = []
    site = None if is_run else creation_site(record)
    if site is not None:
        rows.append(["saved by", f"{describe_site(site)} in run {site['run']}"])
    for change in record_upstream_changes(record):
        rows.append(["upstream changed", change.describe_text()])
    return [describe.Section("Provenance", rows=rows)] if rows else []


def cells_by_count(cells: Sequence[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The cells that have an execution count, by it."""
    return {c["execution_count"]: c for c in cells if c["execution_count"] is not None}


def cell_status(site: dict[str, Any], cells: Sequence[dict[str, Any]]) -> str:
    """Whether the recorded cell is still in a notebook's cells (as saved on disk):
    ``"same"``, ``"changed"`` (its source hash differs), ``"gone"`` or ``"unknown"`` (no id
    was recorded and no cell has that execution count)."""
    cell_id, count = site.get("cell_id"), site.get("execution_count")
    code = [c for c in cells if c.get("cell_type") == "code"]
    if cell_id:
        found = next((c for c in code if c.get("id") == cell_id), None)
        if found is None:
            return "gone"
    else:
        found = next(
            (c for c in code if count is not None and c.get("execution_count") == count), None
        )
        if found is None:
            return "unknown"
    source = found.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    recorded = site.get("cell_source_hash")
    return "same" if recorded is None or cell_source_hash(text) == recorded else "changed"
