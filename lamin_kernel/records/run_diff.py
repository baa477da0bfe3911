"""What differs between two runs: ``ln.Run.diff(a, b)`` and ``lamin diff RUN_A RUN_B``.

Params and feature values by name; inputs by artifact (or collection) and version: the same
uid is the same input, another version of the same uid stem a changed one; outputs (not the
run's report and environment) matched by uid stem, else by key, and compared by hash; the
environment's packages; the source as a unified diff, and cell by cell for notebooks whose
reports keep their cells. A handful of grouped queries, whatever the number of inputs.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from ..errors import InvalidArgument
from ..setup.session import read_session
from .environment_diff import environment_packages
from .registered import registered
from .report_cells import ReportCell, run_code_cells
from .run_diff_render import diff_html, diff_text
from .run_links import RUN_FILE_KIND, link_model, read_rows
from .staleness import KINDS, REGISTRY, STEM_LENGTH, record_class


class RunDiff:
    """The differences between run ``a`` and run ``b``; prints as text, shows as HTML in a
    notebook; ``to_dict()`` is the plain data (the compare-runs page's)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> dict[str, Any]:
        return self._data

    def __getitem__(self, section: str) -> Any:
        return self._data[section]

    @property
    def differs(self) -> bool:
        """Whether anything but the runs' identities differs."""
        return bool(self._data["differs"])

    def __bool__(self) -> bool:
        return self.differs

    def __str__(self) -> str:
        return diff_text(self._data)

    def __repr__(self) -> str:
        return diff_text(self._data)

    def _repr_html_(self) -> str:
        return diff_html(self._data)


def mapping_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{"added": {name: value}, "removed": {...}, "changed": {name: [a, b]}, "n_same"}``."""
    changed = {
        name: [before[name], after[name]]
        for name in sorted(before.keys() & after.keys(), key=str)
        if not _equal(before[name], after[name])
    }
    return {
        "added": {n: after[n] for n in sorted(after.keys() - before.keys(), key=str)},
        "removed": {n: before[n] for n in sorted(before.keys() - after.keys(), key=str)},
        "changed": changed,
        "n_same": len(before.keys() & after.keys()) - len(changed),
    }


def _equal(x: Any, y: Any) -> bool:
    try:
        return bool(x == y)
    except (TypeError, ValueError):  # arrays compare elementwise
        return repr(x) == repr(y)


def _summary(run: Any) -> dict[str, Any]:
    transform = run.transform
    return {
        "uid": run.uid,
        "transform": {
            "uid": transform.uid,
            "key": transform.key,
            "kind": transform.kind,
            "version_tag": transform.version_tag,
        },
        "started_at": run.started_at,
        "status": getattr(run, "status", None),
    }


def _ref(registry: str, row: Any) -> dict[str, Any]:
    return {
        "registry": registry,
        "uid": row.uid,
        "label": row.key or row.description or row.uid,
        "version_tag": row.version_tag,
        "hash": row.hash,
    }


def run_records(run_ids: Sequence[int], inputs: bool) -> dict[int, list[dict[str, Any]]]:
    """{run id: [ref]} of the runs' inputs, or outputs (made, or recreated: the same content
    saved again), artifacts then collections."""
    found: dict[int, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for kind in KINDS:
        model = record_class(kind)
        columns = (model.id, model.uid, model.key, model.description, model.version_tag, model.hash)
        link = link_model(kind, "input" if inputs else "output")
        linked = select(link.run_id, *columns).join(model, model.id == getattr(link, f"{kind}_id"))
        statements = [linked.where(link.run_id.in_(run_ids))]
        if not inputs:
            made = select(model.run_id, *columns).where(model.run_id.in_(run_ids))
            if kind == "artifact":
                made = made.where(func.coalesce(model.kind, "") != RUN_FILE_KIND)
            statements.append(made)
        seen: set[tuple[int, int]] = set()
        for statement in statements:
            for row in read_rows(statement):
                if (row[0], row.id) not in seen:
                    seen.add((row[0], row.id))
                    found[row[0]].append((row.id, _ref(REGISTRY[kind], row)))
    return {
        run_id: [ref for _, ref in sorted(refs, key=lambda x: (x[1]["registry"], x[0]))]
        for run_id, refs in found.items()
    }


def records_diff(
    before: list[dict[str, Any]], after: list[dict[str, Any]], compare_hash: bool
) -> dict[str, Any]:
    """Records matched by uid stem, else by label. Inputs (``compare_hash=False``) are the same
    when they are the same version; outputs when their hashes agree."""
    pairs, only_a, only_b = _match(before, after)
    same, changed = [], []
    for a, b in pairs:
        equal = a["hash"] == b["hash"] if compare_hash else a["uid"] == b["uid"]
        (same if equal else changed).append({"label": b["label"], "a": a, "b": b})
    return {"added": only_b, "removed": only_a, "changed": changed, "same": same}


def _match(
    before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    def identity(ref: dict[str, Any]) -> tuple[str, str]:
        return ref["registry"], ref["uid"][:STEM_LENGTH]

    def by_label(ref: dict[str, Any]) -> tuple[str, str]:
        return ref["registry"], ref["label"]

    pairs: list[tuple[dict, dict]] = []
    rest_a, rest_b = list(before), list(after)
    for key in (identity, by_label):
        index: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for ref in rest_b:
            index[key(ref)].append(ref)
        unmatched = []
        for ref in rest_a:
            candidates = index.get(key(ref))
            if candidates:
                pairs.append((ref, candidates.pop(0)))
            else:
                unmatched.append(ref)
        taken = {id(b) for _, b in pairs}
        rest_a, rest_b = unmatched, [ref for ref in rest_b if id(ref) not in taken]
    return pairs, rest_a, rest_b


def _feature_values(run: Any) -> dict[str, Any]:
    return dict(run.features.get_values())


def _unified(a: str, b: str, name_a: str, name_b: str) -> str:
    lines = difflib.unified_diff(
        a.splitlines(keepends=True), b.splitlines(keepends=True), name_a, name_b
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def source_diff(run_a: Any, run_b: Any) -> dict[str, Any]:
    """``{"same", "unified", "cells"}``; ``cells`` (notebooks whose reports are readable) lists
    the cells that differ: ``{"status": added|removed|changed, "cell_id", "index_a",
    "index_b", "diff"}``, with ``n_same_cells``."""
    source_a = run_a.transform.source_code or ""
    source_b = run_b.transform.source_code or ""
    name_a, name_b = (
        f"{run_a.transform.key} (run {run_a.uid})",
        f"{run_b.transform.key} (run {run_b.uid})",
    )
    result: dict[str, Any] = {
        "same": source_a == source_b,
        "unified": "" if source_a == source_b else _unified(source_a, source_b, name_a, name_b),
        "cells": None,
        "n_same_cells": None,
    }
    notebooks = run_a.transform.kind == "notebook" and run_b.transform.kind == "notebook"
    if notebooks and not result["same"]:
        cells_a, cells_b = run_code_cells(run_a), run_code_cells(run_b)
        if cells_a is not None and cells_b is not None:
            result["cells"], result["n_same_cells"] = cell_diff(cells_a, cells_b)
    return result


def cell_diff(
    cells_a: Sequence[ReportCell], cells_b: Sequence[ReportCell]
) -> tuple[list[dict[str, Any]], int]:
    """The cells that differ, matched by cell id (by source where a cell has no id)."""

    def key(cell: ReportCell) -> str:
        return f"id:{cell.cell_id}" if cell.cell_id else f"src:{cell.source}"

    matcher = difflib.SequenceMatcher(
        None, [key(c) for c in cells_a], [key(c) for c in cells_b], autojunk=False
    )
    changes: list[dict[str, Any]] = []
    n_same = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                a, b = cells_a[i], cells_b[j]
                if a.source == b.source:
                    n_same += 1
                    continue
                diff = _unified(a.source + "\n", b.source + "\n", f"cell {i + 1}", f"cell {j + 1}")
                changes.append(_cell("changed", b.cell_id, i, j, diff))
            continue
        for i in range(i1, i2):
            text = "".join(f"-{line}\n" for line in cells_a[i].source.splitlines())
            changes.append(_cell("removed", cells_a[i].cell_id, i, None, text))
        for j in range(j1, j2):
            text = "".join(f"+{line}\n" for line in cells_b[j].source.splitlines())
            changes.append(_cell("added", cells_b[j].cell_id, None, j, text))
    return changes, n_same


def _cell(status: str, cell_id: str | None, i: int | None, j: int | None, diff: str) -> dict:
    return {"status": status, "cell_id": cell_id, "index_a": i, "index_b": j, "diff": diff}


def _check_run(run: Any) -> None:
    if not isinstance(run, registered.Run) or getattr(run, "id", None) is None:
        raise InvalidArgument(f"Run.diff() compares two saved runs, got {run!r}")


def diff_runs(a: Any, b: Any) -> RunDiff:
    """Everything that differs from run ``a`` to run ``b``."""
    _check_run(a)
    _check_run(b)
    with read_session():  # lazy loads (transform, environment) end with the block
        return _diff(a, b)


def _diff(a: Any, b: Any) -> RunDiff:
    inputs, outputs = (
        run_records([a.id, b.id], inputs=True),
        run_records([a.id, b.id], inputs=False),
    )
    data: dict[str, Any] = {
        "a": _summary(a),
        "b": _summary(b),
        "params": mapping_diff(a.params or {}, b.params or {}),
        "features": mapping_diff(_feature_values(a), _feature_values(b)),
        "inputs": records_diff(inputs.get(a.id, []), inputs.get(b.id, []), compare_hash=False),
        "outputs": records_diff(outputs.get(a.id, []), outputs.get(b.id, []), compare_hash=True),
        "environment": mapping_diff(environment_packages(a), environment_packages(b)),
        "source": source_diff(a, b),
    }
    data["differs"] = _differs(data)
    return RunDiff(data)


def _differs(data: dict[str, Any]) -> bool:
    for section in ("params", "features", "environment", "inputs", "outputs"):
        part = data[section]
        if part["added"] or part["removed"] or part["changed"]:
            return True
    return not data["source"]["same"]
