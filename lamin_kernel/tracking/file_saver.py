"""``lamin save FILE``: a script's or notebook's source (and a notebook's report), or a plan.

A script or notebook is found as ``track()`` finds it: by the uid in its
``ln.track("…")`` call, else by its file name. Its source is stored on that Transform (on a
new version if another source is stored already); a notebook that has outputs also gets
its report and the notebook file, on the transform's latest run (or a new run, when it has
none). A markdown file is saved as a plan (``tracking.plans``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import log
from ..errors import InvalidArgument
from ..models import Branch, Run
from ..records.source_code import notebook_cells
from ..records.transform_create import key_for_path
from ..setup.session import current_branch_id
from . import capture
from .identity import TransformSpec, get_or_create_transform, settle_source
from .plans import PLAN_SUFFIXES, save_plan
from .report import render_notebook_html
from .run_files import RunFile, store_run_file
from .runs import RunOptions, end_run, start_run, update_run
from .target import check_uid

_TRACK_CALL = re.compile(
    r"""\btrack\(\s*(?:uid\s*=\s*)?["']([0-9A-Za-z]{12}(?:[0-9A-Za-z]{4})?)["']"""
)


@dataclass(frozen=True)
class Saved:
    """What ``lamin save`` stored."""

    kind: str
    transform: Any | None = None
    run: Any | None = None
    report: Any | None = None
    plan: Any | None = None


def save_file(path: str | Path) -> Saved:
    """Save a script (.py), a notebook (.ipynb) or a plan (.md)."""
    file = Path(path).expanduser().resolve()
    if not file.is_file():
        raise InvalidArgument(f"no such file: {path}")
    if file.suffix.lower() in PLAN_SUFFIXES:
        return _save_plan(file)
    if file.suffix not in (".py", ".ipynb"):
        raise InvalidArgument(
            f"lamin save takes a script (.py), a notebook (.ipynb) or a plan (.md), got {file.name}"
        )
    kind = "notebook" if file.suffix == ".ipynb" else "script"
    if kind == "notebook":
        try:
            notebook_cells(file)
        except ValueError as exc:
            raise InvalidArgument(f"{file.name} is not a Jupyter notebook: {exc}") from exc
    source = capture.read_source(kind, file)
    if source is None:
        raise InvalidArgument(f"cannot read {file} as a {kind}")
    transform = _transform_for(file, kind, source)
    log.success(f"saved source of Transform('{transform.uid}', key='{transform.key}')")
    if kind == "notebook" and has_outputs(file):
        run, report = _save_report(file, transform)
        return Saved(kind, transform=transform, run=run, report=report)
    return Saved(kind, transform=transform)


def uid_in_source(source: str) -> str | None:
    """The uid passed to ``ln.track("…")`` in the code, if any."""
    match = _TRACK_CALL.search(source)
    return None if match is None else match.group(1)


def has_outputs(notebook: Path) -> bool:
    return any(c.get("outputs") for c in notebook_cells(notebook) if c.get("cell_type") == "code")


def _transform_for(file: Path, kind: str, source: str) -> Any:
    source_hash = capture.source_hash(source) or ""
    spec = TransformSpec(
        key=key_for_path(file.resolve()),
        kind=kind,
        stem=check_uid(uid_in_source(source)),
        source_hash=source_hash,
        description=capture.notebook_title(file) if kind == "notebook" else None,
    )
    transform = get_or_create_transform(spec).transform
    return settle_source(transform, source, source_hash)


def _save_report(file: Path, transform: Any) -> tuple[Any, Any]:
    run = Run.filter(transform_id=transform.id).order_by("-id").first()
    if run is None:
        run = start_run(transform, RunOptions())
        end_run(run, "completed")
    report = store_run_file(
        RunFile(render_notebook_html(file).encode("utf-8"), ".html", f"Report of run {run.uid}")
    )
    store_run_file(
        RunFile(file.read_bytes(), ".ipynb", f"Notebook of run {run.uid}", run_id=run.id)
    )
    if run.finished_at is None:
        end_run(run, "completed", report_id=report.id)
    else:
        update_run(run, report_id=report.id)
    log.success(f"saved report of Run('{run.uid}'): Artifact('{report.uid}')")
    return run, report


def _save_plan(file: Path) -> Saved:
    plan = save_plan(file)
    branch = Branch.filter(id=current_branch_id()).first()
    log.success(
        f"saved plan Artifact('{plan.uid}', key='{plan.key}') on branch "
        f"'{branch.name if branch is not None else current_branch_id()}'"
    )
    return Saved("plan", plan=plan)
