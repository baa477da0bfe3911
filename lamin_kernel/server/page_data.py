"""Answers of the routes behind the main-area pages: each looks the records up by uid, calls
one public function of the package (records/, query/) and makes the result JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import models
from ..errors import DoesNotExist, InvalidArgument
from ..query.changes import change_token
from ..records import record_actions, run_summary
from ..records.environment_diff import environment_diff, environment_packages
from ..records.upstream import record_upstream_changes
from ..records.version_diff import diff_versions
from .jsonable import jsonable
from .records import get_record, record_ref
from .reports import notebook_path

MAX_COMPARED_RUNS = 20


def changes() -> dict[str, Any]:
    """GET changes."""
    return {"token": change_token()}


def artifact_diff(artifact_uid: str, against_uid: str) -> dict[str, Any]:
    """GET artifacts/<uid>/diff?against=<uid>: from `against` (old) to `uid` (new)."""
    new = get_record(models.Artifact, artifact_uid)
    old = get_record(models.Artifact, against_uid)
    return jsonable(diff_versions(old, new))


def artifact_downstream(artifact_uid: str) -> dict[str, Any]:
    """GET artifacts/<uid>/downstream."""
    artifact = get_record(models.Artifact, artifact_uid)
    return {"runs": jsonable(run_summary.downstream_runs(artifact))}


def transform_runs(transform_uid: str) -> dict[str, Any]:
    """GET transforms/<uid>/runs."""
    transform = get_record(models.Transform, transform_uid)
    return {"runs": jsonable(run_summary.run_summaries(transform, limit=500))}


def run_overview(run_uid: str) -> dict[str, Any]:
    """GET runs/<uid>/summary: the run's summary with its environment's packages and the
    inputs that changed upstream since."""
    run = get_record(models.Run, run_uid)
    summary = run_summary.summarize([run])[0]
    changes = [c.to_json() for c in record_upstream_changes(run)]
    return jsonable(
        {**summary, "environment": environment_packages(run), "upstream_changes": changes}
    )


def run_environment_diff(run_uid: str, other_uid: str) -> dict[str, Any]:
    """GET runs/<uid>/environment-diff?other=<uid>."""
    run = get_record(models.Run, run_uid)
    other = get_record(models.Run, other_uid)
    return jsonable(environment_diff(run, other))


def compared_runs(run_uids: list[str]) -> dict[str, Any]:
    """GET compare-runs?run=<uid>&run=<uid>..."""
    if not 2 <= len(run_uids) <= MAX_COMPARED_RUNS:
        raise InvalidArgument(f"compare 2 to {MAX_COMPARED_RUNS} runs, got {len(run_uids)}")
    runs = [get_record(models.Run, uid) for uid in dict.fromkeys(run_uids)]
    comparison = run_summary.compare_runs(runs)
    # two runs: also what changed from the first to the second (Run.diff), as `lamin diff`
    comparison["diff"] = models.Run.diff(*runs).to_dict() if len(runs) == 2 else None
    return jsonable(comparison)


def edit_artifact(artifact_uid: str, edit: dict[str, Any]) -> dict[str, Any]:
    """PATCH artifacts/<uid>: description, labels to add (names) and remove (uids), trash."""
    artifact = get_record(models.Artifact, artifact_uid)
    if "description" in edit:
        record_actions.set_description(artifact, edit["description"])
    if edit.get("add_ulabels"):
        record_actions.add_ulabels(artifact, edit["add_ulabels"])
    if edit.get("remove_ulabels"):
        record_actions.remove_ulabels(artifact, edit["remove_ulabels"])
    if edit.get("trash") is True:
        record_actions.move_to_trash(artifact)
    elif edit.get("trash") is False:
        record_actions.restore(artifact)
    return {"uid": artifact.uid, "branch_id": artifact.branch_id}


def register_file(path: str, root_dir: str) -> dict[str, Any]:
    """POST files/artifact {"path"}: the file (relative to the server root) as an artifact."""
    absolute = Path(notebook_path(path, root_dir))
    artifact = record_actions.register_file(absolute, key=path.lstrip("/"))
    return {"artifact": record_ref(artifact)}


def file_artifact(path: str, root_dir: str) -> dict[str, Any]:
    """GET files/artifact?path=: the artifact holding this file, or null."""
    absolute = Path(notebook_path(path, root_dir))
    found = record_actions.artifact_for_file(absolute, key=path.lstrip("/"))
    return {"artifact": record_ref(found) if found is not None else None}


def notebook_transform(path: str) -> dict[str, Any]:
    """GET notebook-transform?path=: the transform tracked from this notebook."""
    try:
        transform = record_actions.transform_for_notebook(path)
    except DoesNotExist:
        return {"transform": None}
    return {"transform": record_ref(transform)}
