"""What changed between two versions of an artifact (or any two artifacts).

`diff_versions(old, new)` compares what a person checks first: size, hash, rows, the
schema's features, labels, feature values and, for tables, the columns (read from the
file's header or footer only, never the whole file).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import inspect

from ..errors import InvalidArgument
from ..storage.paths import filesystem
from .artifact_access import stored_location
from .registered import registered

FIELDS = ("key", "description", "suffix", "otype", "size", "hash", "n_observations", "n_files")
MAX_COLUMNS = 2000


def _set_diff(old: Iterable[str], new: Iterable[str]) -> dict[str, list[str]]:
    before, after = list(dict.fromkeys(old)), list(dict.fromkeys(new))
    return {
        "added": [x for x in after if x not in set(before)],
        "removed": [x for x in before if x not in set(after)],
        "kept": [x for x in after if x in set(before)],
    }


def label_names(artifact: Any) -> dict[str, list[str]]:
    """{relation: sorted label names} of an artifact's label relations."""
    names: dict[str, list[str]] = {}
    for rel in inspect(type(artifact)).relationships:
        target = rel.mapper.class_
        if not rel.uselist or not getattr(target, "__lk_is_label__", False):
            continue
        field = getattr(target, "__lk_name_field__", None) or "uid"
        found = sorted(str(getattr(r, field)) for r in getattr(artifact, rel.key))
        if found:
            names[rel.key] = found
    return names


def feature_values(artifact: Any) -> dict[str, Any]:
    """{feature name: value} as `artifact.features.get_values()` reads them."""
    manager = getattr(artifact, "features", None)
    getter = getattr(manager, "get_values", None)
    return dict(getter()) if callable(getter) else {}


def schema_members(artifact: Any) -> list[str]:
    """Feature names of the artifact's schema and of its slot schemas."""
    schema = getattr(artifact, "schema", None)
    if schema is None:
        return []
    names = [f.name for f in getattr(schema, "members", None) or []]
    for slot, component in (getattr(schema, "slots", None) or {}).items():
        names += [f"{slot}: {f.name}" for f in getattr(component, "members", None) or []]
    return list(dict.fromkeys(names))


def _parquet_columns(handle: Any) -> list[str]:
    import pyarrow.parquet as pq

    schema = pq.read_schema(handle)
    meta = schema.pandas_metadata or {}
    index = {c for c in meta.get("index_columns", []) if isinstance(c, str)}
    return [c for c in schema.names if c not in index]


def _csv_columns(handle: Any, sep: str) -> list[str]:
    first = handle.readline(1 << 20).decode("utf-8", errors="replace").rstrip("\r\n")
    return [c.strip('"') for c in first.split(sep)] if first else []


def _h5ad_columns(handle: Any) -> list[str]:
    import h5py

    with h5py.File(handle, "r") as file:
        order = file["obs"].attrs.get("column-order", []) if "obs" in file else []
        return [str(c) for c in order]


COLUMN_READERS = {
    ".parquet": _parquet_columns,
    ".csv": lambda handle: _csv_columns(handle, ","),
    ".tsv": lambda handle: _csv_columns(handle, "\t"),
    ".h5ad": _h5ad_columns,
}


def table_columns(artifact: Any) -> list[str] | None:
    """Column names of a table artifact (obs columns of an AnnData); None when not a table
    or the bytes cannot be read."""
    reader = COLUMN_READERS.get((artifact.suffix or "").lower())
    if reader is None or artifact.n_files is not None:
        return None
    try:
        fs, inner = filesystem(stored_location(artifact))
        with fs.open(inner, "rb") as handle:
            return reader(handle)[:MAX_COLUMNS]
    except (OSError, ValueError, KeyError, ImportError):
        return None


def _changed_values(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    names = list(dict.fromkeys([*old, *new]))
    return [
        {"name": n, "old": old.get(n), "new": new.get(n)} for n in names if old.get(n) != new.get(n)
    ]


def diff_versions(old: Any, new: Any) -> dict[str, Any]:
    """The differences between two artifacts, typically two versions of one key.

    Returns ``{"old": uid, "new": uid, "fields": [{"name", "old", "new"}] (changed only),
    "columns": {"added", "removed", "kept"} or None, "schema": {...}, "labels": {relation:
    {...}}, "features": [{"name", "old", "new"}] (changed only)}``.
    """
    for record in (old, new):
        if not isinstance(record, registered.Artifact) or getattr(record, "id", None) is None:
            raise InvalidArgument("diff_versions() compares two saved artifacts")
    fields = [
        {"name": f, "old": getattr(old, f), "new": getattr(new, f)}
        for f in FIELDS
        if getattr(old, f) != getattr(new, f)
    ]
    old_columns, new_columns = table_columns(old), table_columns(new)
    columns = (
        _set_diff(old_columns or [], new_columns or [])
        if old_columns is not None or new_columns is not None
        else None
    )
    old_labels, new_labels = label_names(old), label_names(new)
    labels = {
        relation: _set_diff(old_labels.get(relation, []), new_labels.get(relation, []))
        for relation in dict.fromkeys([*old_labels, *new_labels])
    }
    return {
        "old": old.uid,
        "new": new.uid,
        "same_content": old.hash is not None and old.hash == new.hash,
        "fields": fields,
        "columns": columns,
        "schema": _set_diff(schema_members(old), schema_members(new)),
        "labels": labels,
        "features": _changed_values(feature_values(old), feature_values(new)),
    }
