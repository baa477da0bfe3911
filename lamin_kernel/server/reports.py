"""Answers that other layers own: validation reports (curation) and notebook state (tracking).

Both are imported when first asked for, so the server works before those layers exist:
without them there are no reports and no notebook is tracked.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import InvalidArgument
from .jsonable import jsonable


def _optional(module: str) -> ModuleType | None:
    """The module, or None if it is not there (any other import error is raised)."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (module == exc.name or module.startswith(exc.name + ".")):
            return None
        raise


def validation_reports(artifact_uid: str | None, run_uid: str | None) -> dict[str, Any]:
    """GET validation-reports?artifact=<uid> or ?run=<uid>."""
    reports = _optional("lamin_kernel.curation.reports")
    if reports is None:
        return {"reports": []}
    return {"reports": jsonable(reports.list_reports(artifact_uid=artifact_uid, run_uid=run_uid))}


def notebook_path(path: str, root_dir: str) -> str:
    """A notebook path from the frontend (relative to the server's root) as an absolute path."""
    root = Path(root_dir).expanduser().resolve()
    absolute = (root / path.lstrip("/")).resolve()
    if not absolute.is_relative_to(root):
        raise InvalidArgument("the notebook path leaves the server's root directory")
    return str(absolute)


def notebook_state(kernel_id: str | None, path: str | None, root_dir: str) -> dict[str, Any]:
    """GET notebook-state?kernel_id=<id> or ?path=<notebook path>."""
    kernel_state = _optional("lamin_kernel.tracking.kernel_state")
    if kernel_state is None:
        return {"tracked": False}
    absolute = notebook_path(path, root_dir) if path is not None else None
    state = kernel_state.read_state(kernel_id=kernel_id, path=absolute)
    return jsonable(state) if state else {"tracked": False}
