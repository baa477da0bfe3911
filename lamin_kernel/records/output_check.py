"""Whether a rerun reproduced a run's outputs: ``lamin rerun --check``.

Outputs are matched as in ``Run.diff`` (uid stem, else key). The same hash: reproduced. Else,
for tables (DataFrame artifacts) and AnnData a content diff — shape, columns added and removed,
the number of values that differ — and for other files their sizes and hashes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..storage.formats import load_local
from .check_annotations import (
    ANNOTATION,
    annotation_differences,
    annotations_of,
    original_annotations,
)
from .registered import registered
from .run_diff import records_diff, run_records

TABLE_SUFFIXES = (".parquet", ".csv", ".tsv")
ANNDATA_SUFFIXES = (".h5ad", ".zarr")


@dataclass
class OutputCheck:
    """One output of the original run and what the rerun made of it."""

    label: str
    status: str  # reproduced | differs | missing (not made again) | new (not made before)
    original: str | None = None  # uid
    rerun: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def detail_text(self) -> str:
        d = self.details
        if self.status == "reproduced":
            return f"same hash {d.get('hash')}"
        if self.status in ("missing", "new"):
            return ""
        parts = []
        if "shape" in d:
            parts.append(f"shape {tuple(d['shape'][0])} → {tuple(d['shape'][1])}")
        for name in ("columns_added", "columns_removed", "obs_added", "var_added"):
            if d.get(name):
                parts.append(f"{name.replace('_', ' ')}: {', '.join(map(str, d[name]))}")
        if d.get("changed_values") is not None:
            parts.append(f"{d['changed_values']} values differ")
        parts += annotation_texts(d.get("annotations") or {})
        if "size" in d:
            parts.append(f"size {d['size'][0]} → {d['size'][1]}")
        parts.append(f"hash {d['hash'][0]} → {d['hash'][1]}")
        return "; ".join(parts)


def annotation_texts(differences: dict[str, Any]) -> list[str]:
    """``ulabels +a -b``, ``feature x: 2 → 3`` for an output's differing annotations."""
    texts = []
    for relation, change in differences.items():
        if relation == "features":
            texts += [f"feature {n}: {old} → {new}" for n, (old, new) in change.items()]
        else:
            signs = [f"+{v}" for v in change["added"]] + [f"-{v}" for v in change["removed"]]
            texts.append(f"{relation} {' '.join(signs)}")
    return texts


def _changed_values(before: Any, after: Any) -> int:
    """Cells that differ between two frames of one shape and columns (NaN equals NaN)."""
    after = after[list(before.columns)]
    same = (before.values == after.values) | (before.isna().values & after.isna().values)
    return int((~same).sum())


def table_diff(before: Any, after: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "shape": [list(before.shape), list(after.shape)],
        "columns_added": [c for c in after.columns if c not in before.columns],
        "columns_removed": [c for c in before.columns if c not in after.columns],
        "changed_values": None,
    }
    if before.shape == after.shape and not details["columns_added"]:
        details["changed_values"] = _changed_values(
            before.reset_index(drop=True), after.reset_index(drop=True)
        )
    return details


def anndata_diff(before: Any, after: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "shape": [list(before.shape), list(after.shape)],
        "obs_added": [c for c in after.obs.columns if c not in before.obs.columns],
        "var_added": [c for c in after.var.columns if c not in before.var.columns],
        "changed_values": None,
    }
    if before.shape == after.shape:
        import numpy as np

        x, y = before.X, after.X
        if hasattr(x, "toarray"):
            x = x.toarray()
        if hasattr(y, "toarray"):
            y = y.toarray()
        details["changed_values"] = int(np.sum(~np.isclose(x, y, equal_nan=True)))
    return details


def _content_diff(original: Any, rerun: Any) -> dict[str, Any]:
    """A content diff of a table or an AnnData; ``rerun`` is an artifact or a loader."""
    suffix = (original.suffix or "").lower()
    load = rerun if callable(rerun) else rerun.load
    try:
        if suffix in TABLE_SUFFIXES or original.otype == "DataFrame":
            return table_diff(original.load(), load())
        if suffix in ANNDATA_SUFFIXES or original.otype == "AnnData":
            return anndata_diff(original.load(), load())
    except Exception as exc:  # unreadable content: size and hash still tell
        return {"error": f"{type(exc).__name__}: {exc}"}
    return {}


def check_outputs(original_run: Any, rerun: Any) -> list[OutputCheck]:
    """Each output of the original run: reproduced by the rerun, differs, or missing; and the
    rerun's outputs that the original did not make."""
    found = run_records([original_run.id, rerun.id], inputs=False)
    compared = records_diff(found.get(original_run.id, []), found.get(rerun.id, []), True)
    checks = [
        OutputCheck(
            p["label"], "reproduced", p["a"]["uid"], p["b"]["uid"], {"hash": p["b"]["hash"]}
        )
        for p in compared["same"]
    ]
    for pair in compared["changed"]:
        checks.append(_differing(pair))
    checks += [OutputCheck(r["label"], "missing", original=r["uid"]) for r in compared["removed"]]
    checks += [OutputCheck(r["label"], "new", rerun=r["uid"]) for r in compared["added"]]
    return checks


def _differing(pair: dict[str, Any]) -> OutputCheck:
    a, b = pair["a"], pair["b"]
    details: dict[str, Any] = {"hash": [a["hash"], b["hash"]]}
    if a["registry"] == "Artifact":
        model = registered.Artifact
        original, rerun = model.get(a["uid"]), model.get(b["uid"])
        details["size"] = [original.size, rerun.size]
        details.update(_content_diff(original, rerun))
    return OutputCheck(pair["label"], "differs", a["uid"], b["uid"], details)


def check_captured(original_run: Any, captured: list[dict[str, Any]]) -> list[OutputCheck]:
    """The same as ``check_outputs``, against the saves a dry-run check captured
    (``records.check_capture``): nothing of the rerun is in the registry. The labels and
    feature values the code gave an output are compared with the original's too: an output
    with the same bytes but other annotations differs."""
    found = run_records([original_run.id], inputs=False).get(original_run.id, [])
    saves = [c for c in captured if c["registry"] != ANNOTATION]
    refs = [{**c, "key": c["label"], "label": c["label"] or "(no key)"} for c in saves]
    compared = records_diff(found, refs, True)
    annotations = annotations_of(captured)
    checks = [
        OutputCheck(p["label"], "reproduced", p["a"]["uid"], None, {"hash": p["b"]["hash"]})
        for p in compared["same"]
    ]
    checks += [
        _differing_capture(pair["label"], pair["a"], pair["b"]) for pair in compared["changed"]
    ]
    for check, pair in zip(checks, compared["same"] + compared["changed"], strict=True):
        made = annotations.get(pair["b"].get("uid") or pair["b"]["key"])
        _compare_annotations(check, pair["a"], made)
    checks += [OutputCheck(r["label"], "missing", original=r["uid"]) for r in compared["removed"]]
    checks += [OutputCheck(r["label"], "new") for r in compared["added"]]
    return checks


def _compare_annotations(check: OutputCheck, original: dict[str, Any], made: Any) -> None:
    if not made:
        return
    model = registered.Collection if original["registry"] == "Collection" else registered.Artifact
    record = model.get(original["uid"])
    differences = annotation_differences(original_annotations(record, list(made)), made)
    if differences:
        check.status = "differs"
        if not isinstance(check.details.get("hash"), list):  # same bytes, other annotations
            check.details["hash"] = [original["hash"], original["hash"]]
        check.details["annotations"] = differences


def _differing_capture(label: str, a: dict[str, Any], b: dict[str, Any]) -> OutputCheck:
    details: dict[str, Any] = {"hash": [a["hash"], b["hash"]]}
    if a["registry"] == "Artifact":
        original = registered.Artifact.get(a["uid"])
        details["size"] = [original.size, b.get("size")]
        if b.get("path"):
            suffix = b.get("suffix") or Path(b["path"]).suffix
            details.update(_content_diff(original, lambda: load_local(Path(b["path"]), suffix)))
        elif b.get("uid"):
            details.update(_content_diff(original, registered.Artifact.get(b["uid"])))
    return OutputCheck(label, "differs", a["uid"], b.get("uid") or None, details)
