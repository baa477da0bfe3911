"""``ln.finish()``: end the tracked run with its source, and for a notebook its report.

In a notebook, the file on disk must be current first: front ends registered for
``BEFORE_FINISH`` ask JupyterLab to save it and wait for the file to change (never for a
reply on the kernel's busy shell channel). When nobody saved it and it looks older than the
last executed cell, the report is still made from the file as it is, with a warning.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .. import log, runtime
from ..errors import TrackNotCalled
from ..models import Transform
from ..records.source_code import notebook_has_executed_cells
from ..runtime import RunRef
from ..setup.session import read_session
from . import capture, state
from .ending import end_tracked
from .finishing_branch import finishing_writes
from .identity import settle_source
from .jupyter_sessions import find_notebook_path
from .report import render_notebook_html
from .run_files import RunFile, store_run_file
from .runs import format_duration, format_time


def finish(ignore_non_consecutive: bool | None = None) -> None:
    """Mark the run finished and save its source code (and a notebook's report).

    `ignore_non_consecutive` is LaminDB's answer to its prompt about cells run out of order;
    here a notebook's cells are recorded as they ran and nothing is asked, so any value
    gives the same result."""
    if runtime.check_folder() is not None:
        return  # `lamin rerun --check`: a dry run started no run (tracking.check_mode)
    tracked = state.current()
    if tracked is None:
        raise TrackNotCalled(
            "ln.finish() ends the run that ln.track() started, but nothing is tracked in this "
            "process: call ln.track() first"
        )
    with finishing_writes(tracked):  # a branch merged meanwhile: where the run went
        _finish(tracked)
    log.success(
        f"finished Run('{tracked.run.uid}') after "
        f"{format_duration(time.monotonic() - tracked.started)} at "
        f"{format_time(tracked.run.finished_at)}"
    )


def _finish(tracked: state.Tracked) -> None:
    """The run's source (a new transform version if it changed), a notebook's report and
    file, then the run's end."""
    fields: dict[str, Any] = {}
    path = tracked.path
    if tracked.kind == "notebook":
        path, fields["report_id"] = _notebook_report(tracked)
    transform = _settle_source(tracked, path)
    if transform.id != tracked.transform.id:
        fields["transform_id"] = transform.id
        tracked.run = RunRef.of(tracked.run, transform)
        runtime.set_current_run(tracked.run)
    end_tracked(tracked, "completed", **fields)


def _settle_source(tracked: state.Tracked, path: Path | None) -> Any:
    """The transform with the run's source stored on it (a new version if the code changed)."""
    source = capture.read_source(tracked.kind, path)
    if source is None:
        return tracked.transform
    with read_session() as session:
        stored = session.get(Transform, tracked.transform.id)
    transform = settle_source(stored, source, capture.source_hash(source) or "")
    if transform.id != tracked.transform.id:
        log.info(
            f"the source changed since Transform('{tracked.transform.uid}') was saved: "
            f"the run now belongs to its new version Transform('{transform.uid}')"
        )
    return transform


def _notebook_report(tracked: state.Tracked) -> tuple[Path | None, int | None]:
    """Make sure the notebook file is current, then store its report and the file itself."""
    path, in_server = _locate(tracked)
    if path is None or not path.is_file():
        where = "no Jupyter session names it" if path is None else f"{path} does not exist"
        log.warning(
            f"cannot find the notebook file ({where}): finishing without a report; "
            "add one with: lamin save NOTEBOOK.ipynb"
        )
        return path, None
    if not _request_save(path, expect_frontend=in_server) and _looks_stale(path):
        log.warning(
            f"the notebook file {path.name} looks older than the last executed cell (nobody "
            "saved it): the report shows it as last saved. Save the notebook and call "
            f"ln.finish() again, or run: lamin save {path}"
        )
    data = path.read_bytes()
    try:
        html = render_notebook_html(path)
    except Exception as exc:  # a broken notebook file must not lose the run
        log.warning(f"could not render the report of {path.name}: {exc}")
        report = None
    else:
        report = store_run_file(
            RunFile(html.encode("utf-8"), ".html", f"Report of run {tracked.run.uid}")
        )
    store_run_file(
        RunFile(data, ".ipynb", f"Notebook of run {tracked.run.uid}", run_id=tracked.run.id)
    )
    return path, None if report is None else report.id


def _locate(tracked: state.Tracked) -> tuple[Path | None, bool]:
    """The notebook's path now (the Jupyter server knows it after a rename), and whether a
    Jupyter server runs this kernel, so that a frontend may be there to save the file."""
    if tracked.kernel_id is not None:
        found = find_notebook_path(tracked.kernel_id, timeout=1.0)
        if found is not None:
            if found.is_file():
                tracked.path = found
            return tracked.path, True
    return tracked.path, False


def _request_save(path: Path, expect_frontend: bool) -> bool:
    """Ask the front ends to save the notebook; True when the file changed on disk."""
    results = runtime.call_hooks(
        state.BEFORE_FINISH,
        path,
        expect_frontend,
        failure="could not ask the frontend to save the notebook",
    )
    return any(bool(saved) for saved in results)


def _looks_stale(path: Path) -> bool:
    """Older than the last cell run before this one, or missing one of the recent cells."""
    failure = "could not ask the kernel which cells ran"
    for cells in runtime.call_hooks(state.EXECUTED_CELLS, failure=failure):
        if cells is None:
            continue
        if cells.last_started is not None and path.stat().st_mtime < cells.last_started:
            return True
        return not notebook_has_executed_cells(path, cells.recent_sources)
    return False
