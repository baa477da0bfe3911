"""The source of a tracked file as text and hash, its title, and the packages it imports."""

from __future__ import annotations

import json
from pathlib import Path

from ..records.source_code import notebook_code_cells, notebook_source_as_python, script_source
from ..storage.hashing import hash_bytes
from .imports import format_imports, imported_packages


def read_source(kind: str, path: Path | None) -> str | None:
    """A script's text or a notebook's code cells as Python; None when the file cannot be read."""
    if path is None:
        return None
    try:
        return notebook_source_as_python(path) if kind == "notebook" else script_source(path)
    except (OSError, ValueError):
        return None


def source_hash(source: str | None) -> str | None:
    """The hash stored in ``transform.hash``: same source, same hash."""
    return None if source is None else hash_bytes(source.encode("utf-8"))


def notebook_title(path: Path | None) -> str | None:
    """The first ``# Title`` of a notebook's markdown cells, LaminDB's transform description."""
    if path is None:
        return None
    try:
        notebook = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        for line in text.splitlines():
            if line.startswith("# "):
                return line[2:].strip() or None
    return None


def packages_imported(kind: str, path: Path | None, source: str | None) -> dict[str, str] | None:
    """``{distribution: version}`` for what the code imports; None when its source is unknown."""
    if source is None:
        return None
    try:
        code = notebook_code_cells(path) if kind == "notebook" and path is not None else source
    except (OSError, ValueError):
        code = source
    return imported_packages(code)


def imports_line(kind: str, packages: dict[str, str] | None) -> str | None:
    """``"notebook imports: anndata==0.12.10 pandas==2.3.3"``, or None if nothing is imported."""
    return f"{kind} imports: {format_imports(packages)}" if packages else None
