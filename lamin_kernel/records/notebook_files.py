"""Where a tracked notebook's file is now, inside a folder (the Jupyter server's root), and
whether a recorded cell is still in it.

A notebook's transform key is its path in the development directory, or its file name
(``transform_create.key_for_path``). The file is looked for at that path from the folder or
one of its parents, then by its name in a bounded walk of the folder (hidden folders and
virtual environments skipped) whose match must have the same key.
"""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from .provenance import cell_status
from .source_code import notebook_cells
from .transform_create import key_for_path

MAX_WALKED_ENTRIES = 20_000
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "site-packages", "venv"})
CellState = Literal["same", "changed", "gone", "unknown"]


def _relative_key(key: str) -> PurePosixPath | None:
    path = PurePosixPath(key)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return path


def locate_notebook(key: str, root: Path) -> Path | None:
    """The notebook file tracked under ``key`` inside ``root`` (absolute), or None."""
    relative = _relative_key(key)
    if relative is None or relative.suffix != ".ipynb":
        return None
    root = root.expanduser().resolve()
    for base in (root, *root.parents):
        candidate = (base / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    found = [p for p in _walk_for(relative.name, root) if _has_key(p, key)]
    return found[0] if len(found) == 1 else None


def _has_key(path: Path, key: str) -> bool:
    try:
        return key in (key_for_path(path), path.name)
    except (OSError, ValueError):
        return False


def _walk_for(name: str, root: Path) -> list[Path]:
    """Files called ``name`` below ``root``, breadth first, at most MAX_WALKED_ENTRIES seen."""
    found: list[Path] = []
    folders: deque[Path] = deque([root])
    seen = 0
    while folders and seen < MAX_WALKED_ENTRIES:
        try:
            entries = list(os.scandir(folders.popleft()))
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_FOLDERS:
                    folders.append(Path(entry.path))
            elif entry.name == name and entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
    return found


def recorded_cell_state(path: Path, site: dict[str, Any]) -> CellState | None:
    """Whether the cell of ``site`` is in the notebook file as saved: ``same``, ``changed``
    (its source hash differs), ``gone`` or ``unknown``; None if the file cannot be read."""
    try:
        cells = notebook_cells(path)
    except (OSError, ValueError):
        return None
    return cell_status(site, cells)  # type: ignore[return-value]
