"""What a dry-run check (``lamin rerun --check``) makes of a save: a line in its manifest.

In the check's process (``runtime.check_folder()`` set by ``tracking.check_mode``) saving an
artifact or a collection writes nothing to the registry or to storage: the bytes, staged in the
check's folder already, move to ``outputs/`` there, and ``outputs.jsonl`` gets their hash, size,
suffix and otype (enough for ``lamin rerun`` to compare them with the original's outputs and
to load tables and AnnData for a content diff). A record found by its hash (the same content
as a saved artifact) is captured by its uid; a collection of captured artifacts lists their
keys. Labels and feature values the code adds are captured as well
(``records.check_annotations``). Saving any other record is refused: the check writes nothing
to the registry.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path
from typing import Any

from .. import runtime
from ..errors import NoWriteAccess
from .pending import get_pending

MANIFEST = "outputs.jsonl"
CAPTURED = ("Artifact", "Collection")


def capture(record: Any) -> None:
    """Capture one saved record in the check's manifest (see the module)."""
    folder = runtime.check_folder()
    assert folder is not None, "capture() runs in a dry-run check only"
    registry = type(record).__name__
    if registry not in CAPTURED:
        raise NoWriteAccess(
            f"lamin rerun --check writes nothing to the registry, but the rerun's code saves "
            f"a {registry}: rerun it without --check"
        )
    entry: dict[str, Any] = {
        "registry": registry,
        "uid": record.uid if getattr(record, "id", None) is not None else "",
        "label": record.key or record.description or "",
        "hash": record.hash,
        "size": getattr(record, "size", None),
        "suffix": getattr(record, "suffix", None),
        "otype": getattr(record, "otype", None),
        "path": None,
    }
    if registry == "Artifact" and not entry["uid"]:
        entry["path"] = _keep_bytes(record, Path(folder) / "outputs")
    if registry == "Collection" and not entry["uid"]:
        members = getattr(get_pending(record), "artifacts", None) or []
        entry["members"] = [a.key or a.uid for a in members]
    with open(Path(folder) / MANIFEST, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def _keep_bytes(record: Any, outputs: Path) -> str | None:
    """Move (or copy) an unsaved artifact's bytes into the check's ``outputs/``."""
    pending = get_pending(record)
    if pending is None:
        return None
    outputs.mkdir(parents=True, exist_ok=True)
    kept = outputs / f"{uuid.uuid4().hex}{record.suffix or ''}"
    if pending.staged is not None:
        pending.staged.place(str(kept))
    elif pending.local_source is not None or pending.local_path is not None:
        source = Path(pending.local_source or pending.local_path)
        if source.is_dir():
            shutil.copytree(source, kept)
        else:
            shutil.copyfile(source, kept)
    else:
        return None
    return str(kept)


def read_manifest(folder: str | Path) -> list[dict[str, Any]]:
    """The captured saves and annotations of a check, in order ([] when nothing was saved)."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
