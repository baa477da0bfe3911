"""Edits a page in JupyterLab offers, as public functions a notebook can call the same way:
describe a record, label an artifact by name, move to trash and back, register a file,
find the artifact of a file and the transform of a notebook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import DoesNotExist, InvalidArgument, StorageError
from ..storage.hashing import file_hash_type, hash_file
from .registered import registered

MAX_DESCRIPTION = 100_000
MAX_HASHED_BYTES = 1 << 30  # files larger than this are matched by key only


def set_description(record: Any, description: str | None) -> Any:
    """Give a saved record a new description (None or "" removes it)."""
    if description is not None and not isinstance(description, str):
        raise InvalidArgument("description must be text")
    if description is not None and len(description) > MAX_DESCRIPTION:
        raise InvalidArgument(f"a description is limited to {MAX_DESCRIPTION} characters")
    record.description = description or None
    return record.save()


def add_ulabels(artifact: Any, names: list[str]) -> list[Any]:
    """Link ULabels to an artifact by name; a name that no ULabel has is a DoesNotExist."""
    model = registered.ULabel
    found = {label.name: label for label in model.filter(name__in=list(names))}
    missing = [n for n in names if n not in found]
    if missing:
        raise DoesNotExist(
            f"no ULabel named {', '.join(repr(n) for n in missing[:5])}; "
            "create it first with ln.ULabel(name=...).save()"
        )
    labels = [found[n] for n in dict.fromkeys(names)]
    artifact.ulabels.add(*labels)
    return labels


def remove_ulabels(artifact: Any, uids: list[str]) -> None:
    """Unlink ULabels (by uid) from an artifact; the labels themselves stay."""
    model = registered.ULabel
    labels = list(model.filter(uid__in=list(uids)))
    if labels:
        artifact.ulabels.remove(*labels)


def move_to_trash(record: Any) -> Any:
    """Move a record to the trash branch (what `record.delete()` does); restore() undoes it."""
    record.delete()
    return record


def restore(record: Any) -> Any:
    """Bring a record back from the trash."""
    record.restore()
    return record


def register_file(path: Path, key: str, description: str | None = None) -> Any:
    """Save a file as an artifact under `key` (the same content returns the existing one)."""
    if not path.is_file():
        raise InvalidArgument(f"not a file: {path.name}")
    model = registered.Artifact
    return model(path, key=key, description=description).save()


def artifact_for_file(path: Path, key: str | None = None) -> Any | None:
    """The artifact holding this file's content: the latest one saved under `key` with the
    same size, else any with the same size and hash; None when the file is not registered."""
    if not path.is_file():
        return None
    size = path.stat().st_size
    model = registered.Artifact
    if key is not None:
        found = model.filter(key=key, is_latest=True, size=size).order_by("-id").first()
        if found is not None:
            return found
    if size > MAX_HASHED_BYTES:
        return None
    candidates = list(model.filter(size=size).order_by("-id")[:100])
    digests: dict[str, str] = {}
    for candidate in candidates:
        hash_type = candidate.hash_type or ""
        if hash_type not in digests:
            try:
                digests[hash_type] = hash_file(path, hash_type=file_hash_type(hash_type or None))[0]
            except StorageError:  # a folder's or an unknown hash type
                digests[hash_type] = ""
        if digests[hash_type] and digests[hash_type] == candidate.hash:
            return candidate
    return None


def transform_for_notebook(path: str) -> Any:
    """The latest transform tracked from a notebook (keyed by its file name, as ln.track())."""
    name = Path(path).name
    model = registered.Transform
    found = model.filter(key=name, is_latest=True).order_by("-id").first()
    if found is None:
        raise DoesNotExist(f"no transform for notebook '{name}'; run ln.track() in it first")
    return found
