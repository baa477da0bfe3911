"""Annotations in a dry-run check (``lamin rerun --check``): labels linked to and feature values
set on the rerun's outputs are captured in the check's manifest instead of written, and then
compared with the original outputs' labels and values.

A manifest line ``{"registry": "annotation", "owner": <label>, "owner_uid": <uid or "">,
"relation": <"ulabels", ... or "features">, "op": "add"|"remove"|"set"|"clear", "values": ...}``
records one call; ``annotations_of`` replays them per output (by its key or uid, as outputs are
matched). Labels are recorded by uid (they exist: a check saves no new records), feature
values as ``{feature name: value}`` with records shown by name.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from .. import runtime
from .check_capture import MANIFEST

ANNOTATION = "annotation"
FEATURES = "features"


def active() -> bool:
    """Whether this process is a dry-run check (annotations are captured, not written)."""
    return runtime.check_folder() is not None


def owner_label(owner: Any) -> str:
    return getattr(owner, "key", None) or getattr(owner, "description", None) or ""


def _shown(value: Any) -> Any:
    """A feature value as JSON: records by name (else uid), lists as lists, the rest as text
    unless it is a plain JSON value."""
    if isinstance(value, list | tuple | set):
        return sorted((_shown(v) for v in value), key=str)
    if hasattr(value, "uid") and hasattr(value, "id"):
        return getattr(value, "name", None) or value.uid
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def capture_annotation(owner: Any, relation: str, op: str, values: Any) -> None:
    """Record one annotation call of the check's code (see the module)."""
    folder = runtime.check_folder()
    assert folder is not None, "capture_annotation() runs in a dry-run check only"
    if relation == FEATURES:
        values = {str(getattr(k, "name", k)): _shown(v) for k, v in dict(values or {}).items()}
    else:
        values = [_shown_label(v) for v in values]
    entry = {
        "registry": ANNOTATION,
        "owner_registry": type(owner).__name__,
        "owner": owner_label(owner),
        "owner_uid": owner.uid if getattr(owner, "id", None) is not None else "",
        "relation": relation,
        "op": op,
        "values": values,
    }
    with open(Path(folder) / MANIFEST, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def _shown_label(record: Any) -> str:
    return str(getattr(record, "name", None) or getattr(record, "uid", record))


def label_records(groups: tuple) -> list[Any]:
    """The records of ``add(*records)``'s arguments (records, lists, QuerySets)."""
    found: list[Any] = []
    for group in groups:
        if isinstance(group, list | tuple) or hasattr(group, "to_list"):
            found.extend(group)
        else:
            found.append(group)
    return found


def annotations_of(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """{output key or uid: {relation: {"linked", "unlinked", "exact"}, "features": {name:
    value}}} from the captured calls, replayed in order: the labels the code linked and
    unlinked; ``exact`` after ``set``/``clear`` (then the linked labels are all there are)."""
    result: dict[str, dict[str, Any]] = defaultdict(dict)
    for entry in entries:
        if entry.get("registry") != ANNOTATION:
            continue
        owner = result[entry["owner_uid"] or entry["owner"]]
        relation, op, values = entry["relation"], entry["op"], entry["values"]
        if relation == FEATURES:
            current = {} if op == "set" else owner.get(FEATURES, {})
            owner[FEATURES] = {**current, **values}
            continue
        state = owner.setdefault(relation, {"linked": set(), "unlinked": set(), "exact": False})
        if op in ("set", "clear"):
            state.update(linked=set(values), unlinked=set(), exact=True)
        elif op == "remove":
            state["linked"] -= set(values)
            state["unlinked"] |= set(values)
        else:
            state["linked"] |= set(values)
            state["unlinked"] -= set(values)
    return dict(result)


def original_annotations(record: Any, relations: list[str]) -> dict[str, Any]:
    """The same shape for a saved output: its labels in these relations and its values."""
    found: dict[str, Any] = {}
    for relation in relations:
        if relation == FEATURES:
            found[FEATURES] = {k: _shown(v) for k, v in record.features.get_values().items()}
        else:
            found[relation] = {_shown_label(r) for r in getattr(record, relation)}
    return found


def annotation_differences(original: dict[str, Any], rerun: dict[str, Any]) -> dict[str, Any]:
    """What differs: per relation the labels the rerun linked that the original output lacks
    ("added") and those it has that the rerun unlinked or, after a ``set``, left out
    ("removed"); per feature the original's and the rerun's value."""
    differences: dict[str, Any] = {}
    for relation, made in rerun.items():
        before = original.get(relation)
        if relation == FEATURES:
            before = before or {}
            changed = {
                name: [before.get(name), value]
                for name, value in made.items()
                if before.get(name) != value
            }
            if changed:
                differences[FEATURES] = changed
            continue
        before = before or set()
        gone = before - made["linked"] if made["exact"] else before & made["unlinked"]
        added = made["linked"] - before
        if added or gone:
            differences[relation] = {"added": sorted(added), "removed": sorted(gone)}
    return differences
