"""Cell provenance routes: the cells of a notebook's run (JupyterLab's cell badges) and the
cells that saved or loaded an artifact (its page's "saved by cell [7] of …"). Each calls one
function of ``records.cell_sites``; what is added here is where the notebook file lies in the
server's root and whether the recorded cell is still in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import models
from ..records.cell_sites import artifact_cell_sites, notebook_cells
from ..records.notebook_files import locate_notebook, recorded_cell_state
from .jsonable import jsonable
from .records import get_record
from .reports import notebook_path


def notebook_cell_links(path: str, run_uid: str | None, root_dir: str) -> dict[str, Any]:
    """GET notebook-cells?path=<notebook>[&run=<uid>]: what each cell of the run (default:
    the notebook's latest run) saved and loaded."""
    absolute = Path(notebook_path(path, root_dir))
    run = get_record(models.Run, run_uid) if run_uid is not None else None
    return jsonable({"path": path, **notebook_cells(absolute, run=run)})


def artifact_cell_links(artifact_uid: str, root_dir: str) -> dict[str, Any]:
    """GET artifacts/<uid>/cells: the cells that saved and loaded it, each with its notebook's
    path in the server's root (``notebook_path``, null when not there) and ``cell_state``."""
    artifact = get_record(models.Artifact, artifact_uid)
    sites = artifact_cell_sites(artifact)
    located: dict[str, Path | None] = {}
    root = Path(root_dir)
    for site in [sites["saved_by"], *sites["loaded_by"]]:
        if site is not None:
            _add_location(site, root, located)
    return jsonable(sites)


def _add_location(site: dict[str, Any], root: Path, located: dict[str, Path | None]) -> None:
    key = site["transform"]["key"]
    if site["transform"]["kind"] != "notebook" or not key:
        site.update(notebook_path=None, cell_state=None)
        return
    if key not in located:
        located[key] = locate_notebook(key, root)
    path = located[key]
    resolved_root = root.expanduser().resolve()
    site["notebook_path"] = None if path is None else path.relative_to(resolved_root).as_posix()
    site["cell_state"] = None if path is None else recorded_cell_state(path, site)
