"""``lamin rerun RUN_UID [--check]``: run a run's transform again from its stored source.

Scripts run as a subprocess with the original command-line arguments; notebooks in a fresh
kernel through nbclient (their cells, with their ids, rebuilt from the run's report; the stored
Python source as one cell when there is no report). The rerun is a normal tracked run whose
``initiated_by_run`` is the original; its queries return the versions the original read
instead of newer ones (by uid stem; ``LAMIN_KERNEL_RERUN_PINS``, ``query.pins``), so it sees
the same inputs. With
``check=True`` the code runs as a dry run (``check_mode``): no Run, its saves captured in a
temporary folder (hash, size, the bytes) and compared there with the original's outputs; the
registry and the storage are never written, whatever happens to the process.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DoesNotExist, InvalidArgument, LaminError
from ..models import Artifact, Collection, Run
from ..records.check_capture import read_manifest
from ..records.environment_diff import changes_since_run, parse_requirements
from ..records.output_check import OutputCheck, check_captured, check_outputs
from ..records.report_cells import run_code_cells
from ..records.run_diff import run_records
from ..records.staleness import downstream_plan
from ..setup.session import read_session
from ..setup.settings_files import current_slug
from .check_mode import CHECK_ENV, was_tracked
from .environment_store import current_environment_text
from .rerun_control import RerunCancelled, RerunControl, kernel_killer
from .rerun_pins import PINS_ENV, pin_key
from .runs import end_run
from .track_context import INITIATED_BY_ENV

TRASH = -1
MAX_ERROR_CHARS = 4000


class RerunFailed(LaminError):
    """The rerun could not start (a missing input, no source) or its code failed."""


@dataclass
class RerunResult:
    original: Any
    rerun: Any | None
    environment: dict[str, Any]
    checks: list[OutputCheck] = field(default_factory=list)
    checked: bool = False
    seconds: float = 0.0

    @property
    def reproduced(self) -> bool:
        return all(c.status == "reproduced" for c in self.checks)


def _inputs(run: Any) -> list[dict[str, Any]]:
    return run_records([run.id], inputs=True).get(run.id, [])


def check_inputs(run: Any) -> dict[str, str]:
    """The pins of the run's inputs; RerunFailed names an input that is in the trash or
    whose bytes are gone."""
    pins = {}
    for ref in _inputs(run):
        if ref["registry"] == "Artifact":
            record = Artifact.filter(uid=ref["uid"]).first()  # uid: any branch, the trash too
            if record is None or record.branch_id == TRASH or not _bytes_exist(record):
                where = (
                    "its file is gone"
                    if record is not None and record.branch_id != TRASH
                    else "in the trash"
                )
                raise RerunFailed(
                    f"input '{ref['label']}' ({ref['uid']}) of run {run.uid} is missing "
                    f"({where}): cannot rerun it with the same inputs"
                )
        pins[pin_key(ref["registry"], ref["uid"])] = ref["uid"]
    return pins


def _bytes_exist(artifact: Any) -> bool:
    try:
        return bool(artifact.path.exists())
    except Exception:
        return False


def environment_changes(run: Any) -> dict[str, Any]:
    """Packages added, removed and changed from the run's environment to this one
    (``records.environment_diff.changes_since_run``)."""
    return changes_since_run(run, parse_requirements(current_environment_text()))


def _file_name(transform: Any) -> str:
    name = Path(transform.key or "rerun").name
    if transform.kind == "notebook" and not name.endswith(".ipynb"):
        name += ".ipynb"
    if transform.kind != "notebook" and not name.endswith(".py"):
        name += ".py"
    return name


def _child_env(original: Any, pins: dict[str, str], notebook: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "JPY_SESSION_NAME"}
    env[INITIATED_BY_ENV] = original.uid
    env[PINS_ENV] = json.dumps(pins)
    slug = current_slug()
    if slug:
        env["LAMIN_CURRENT_INSTANCE"] = slug
    if notebook is not None:
        env["JPY_SESSION_NAME"] = str(notebook)
    return env


def _run_script(original: Any, folder: Path, env: dict[str, str], control: RerunControl) -> None:
    path = folder / _file_name(original.transform)
    path.write_text(original.transform.source_code)
    args = shlex.split(original.cli_args or "")
    child = subprocess.Popen(
        [sys.executable, path.name, *args],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with control.child(child.kill):
        stdout, stderr = child.communicate()
    control.raise_if_cancelled()
    if child.returncode != 0:
        tail = (stderr or stdout)[-MAX_ERROR_CHARS:]
        raise RerunFailed(f"the rerun of {path.name} failed (exit {child.returncode}):\n{tail}")


def rebuilt_notebook(original: Any) -> Any:
    """The notebook to execute: its code cells (and ids) from the report, else one cell."""
    import nbformat

    v4 = nbformat.v4
    notebook = v4.new_notebook()
    cells = run_code_cells(original)
    if cells is None:
        notebook.cells = [v4.new_code_cell(original.transform.source_code)]
        return notebook
    title = original.transform.description
    notebook.cells = [v4.new_markdown_cell(f"# {title}")] if title else []
    for cell in cells:
        code = v4.new_code_cell(cell.source)
        if cell.cell_id:
            code.id = cell.cell_id
        notebook.cells.append(code)
    return notebook


def _run_notebook(original: Any, folder: Path, env: dict[str, str], control: RerunControl) -> None:
    import nbformat
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    from .notebook_client import cell_id_client

    path = folder / _file_name(original.transform)
    notebook = rebuilt_notebook(original)
    nbformat.write(notebook, path)
    env["JPY_SESSION_NAME"] = str(path)
    client = cell_id_client(
        notebook,
        before_cell=control.raise_if_cancelled,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    try:
        with control.child(kernel_killer(client)):
            client.execute(env=env)
    except (CellExecutionError, DeadKernelError) as exc:
        control.raise_if_cancelled()
        raise RerunFailed(
            f"the rerun of {path.name} failed:\n{str(exc)[-MAX_ERROR_CHARS:]}"
        ) from exc


def _newest_rerun(original: Any, after_id: int) -> Any | None:
    with read_session() as session:
        session.expire_all()  # the child process wrote the run
        return Run.filter(initiated_by_run_id=original.id, id__gt=after_id).order_by("-id").first()


def rerun(
    run_uid: str,
    check: bool = False,
    same_inputs: bool = True,
    control: RerunControl | None = None,
) -> RerunResult:
    """Run the transform of run ``run_uid`` again with the same inputs (see the module);
    ``same_inputs=False``: with the newest versions of its inputs (``--stale``); ``control``
    lets another thread cancel it."""
    control = control if control is not None else RerunControl()
    original = Run.get(run_uid)
    transform = original.transform
    if not transform.source_code:
        raise RerunFailed(f"run {original.uid}: its transform {transform.key} has no stored source")
    if transform.kind not in ("script", "notebook", "pipeline"):
        raise InvalidArgument(f"cannot rerun a {transform.kind}: only scripts and notebooks")
    pins = check_inputs(original) if same_inputs else {}
    result = RerunResult(original, None, environment_changes(original), checked=check)
    if check:
        return _checked(original, pins, result, control)
    last = Run.filter().order_by("-id").first()
    started = time.monotonic()
    after_id = last.id if last is not None else 0
    with tempfile.TemporaryDirectory(prefix="lamin-rerun-") as tmp:
        try:
            _execute(original, Path(tmp), _child_env(original, pins, None), control)
        except RerunCancelled:
            _abort_killed_rerun(original, after_id)
            raise
    result.seconds = time.monotonic() - started
    result.rerun = _newest_rerun(original, after_id)
    if result.rerun is None:
        raise RerunFailed(f"the rerun of run {original.uid} ran but did not call ln.track()")
    result.checks = check_outputs(original, result.rerun)
    return result


def _abort_killed_rerun(original: Any, after_id: int) -> None:
    """A cancel killed the child before its ``ln.finish()``: its run ends ``aborted``, not
    ``started`` for ever (a child that finished or failed on its own recorded that itself)."""
    killed = _newest_rerun(original, after_id)
    if killed is not None and killed.status == "started":
        end_run(killed, "aborted", "the rerun was cancelled")


def _execute(original: Any, folder: Path, env: dict[str, str], control: RerunControl) -> None:
    control.raise_if_cancelled()
    if original.transform.kind == "notebook":
        _run_notebook(original, folder, env, control)
    else:
        _run_script(original, folder, env, control)


def _checked(
    original: Any, pins: dict[str, str], result: RerunResult, control: RerunControl
) -> RerunResult:
    """The dry run: the code runs with ``check_mode`` on, its saves land in a temporary folder
    that is compared with the original's outputs and then removed."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lamin-check-") as tmp:
        code, captured = Path(tmp) / "code", Path(tmp) / "captured"
        code.mkdir()
        captured.mkdir()
        env = _child_env(original, pins, None)
        env[CHECK_ENV] = str(captured)
        _execute(original, code, env, control)
        result.seconds = time.monotonic() - started
        if not was_tracked(captured):
            raise RerunFailed(f"the rerun of run {original.uid} ran but did not call ln.track()")
        result.checks = check_captured(original, read_manifest(captured))
    return result


def stale_source(key_or_uid: str) -> Any:
    """The artifact or collection ``lamin rerun --stale`` starts from: by uid (or its 16-character
    stem: the newest version), else by key (the newest version of the key)."""
    looks_like_uid = len(key_or_uid) in (16, 20) and key_or_uid.isalnum()
    for model in (Artifact, Collection) if looks_like_uid else ():
        found = model.filter(uid__startswith=key_or_uid).order_by("-id").first()
        if found is not None:
            return found
    for model in (Artifact, Collection):
        found = model.filter(key=key_or_uid).order_by("-id").first()
        if found is not None:
            return found
    raise DoesNotExist(f"no artifact or collection has the key or uid {key_or_uid!r}")


def rerun_stale(key_or_uid: str, control: RerunControl | None = None) -> list[RerunResult]:
    """Rerun, in dependency order, every run downstream of an artifact or collection that has
    a newer version (``lamin rerun --stale``), with the newest inputs; stops at the first failure.
    ``control`` hears the plan and each step and can cancel between and during steps."""
    control = control if control is not None else RerunControl()
    plan = downstream_plan(stale_source(key_or_uid))
    control.on_plan(plan)
    results: list[RerunResult] = []
    for index, run in enumerate(plan):
        control.on_step(index, "running", None)
        try:
            results.append(rerun(run.uid, same_inputs=False, control=control))
        except RerunCancelled:
            control.on_step(index, "cancelled", None)
            raise
        except RerunFailed as exc:
            control.on_step(index, "failed", str(exc))
            rest = ", ".join(f"{r.uid} ({r.transform.key})" for r in plan[index + 1 :]) or "none"
            raise RerunFailed(
                f"stopped at run {run.uid} ({run.transform.key}), {index + 1} of {len(plan)} "
                f"stale runs: {exc}\nnot rerun: {rest}"
            ) from exc
        control.on_step(index, "done", results[-1].rerun.uid)
    return results
