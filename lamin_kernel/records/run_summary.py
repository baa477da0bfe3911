"""Runs as a person reads them: status, timing, params, counts of inputs and outputs.

`run_summaries(transform)` is the table of a transform's runs, `downstream_runs(artifact)`
the runs that used an artifact, `compare_runs(runs)` several runs side by side with what
differs marked. A few grouped queries per call, never one per run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select

from ..curation.feature_read import ValueReader
from ..errors import InvalidArgument
from ..setup.session import read_session
from .environment_diff import environment_packages
from .registered import registered

RUN_FILE_KIND = "__lamindb_run__"  # reports and environments of runs: not outputs
MAX_RUNS = 500
MAX_ARTIFACTS_LISTED = 50


def _rows(statement: Any) -> list[Any]:
    with read_session() as session:
        return list(session.execute(statement).all())


def run_status(run: Any) -> str:
    """'running', 'finished', 'failed' or 'aborted' (a run without an end is running)."""
    status = getattr(run, "status", None)
    if status in ("failed", "aborted"):
        return str(status)
    if status == "completed" or (run.finished_at is not None and status != "started"):
        return "finished"
    return "finished" if run.finished_at is not None else "running"


def duration_seconds(run: Any) -> float | None:
    if run.started_at is None or run.finished_at is None:
        return None
    return round((run.finished_at - run.started_at).total_seconds(), 3)


def io_counts(run_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """{run id: (n_inputs, n_outputs)}; run files (report, environment) are not outputs."""
    if not run_ids:
        return {}
    link = registered.RunInputArtifact
    artifact = registered.Artifact
    inputs = _rows(
        select(link.run_id, func.count()).where(link.run_id.in_(run_ids)).group_by(link.run_id)
    )
    outputs = _rows(
        select(artifact.run_id, func.count())
        .where(
            artifact.run_id.in_(run_ids),
            func.coalesce(artifact.kind, "") != RUN_FILE_KIND,
            artifact.branch_id.in_([0, 1]),
        )
        .group_by(artifact.run_id)
    )
    n_in, n_out = dict(inputs), dict(outputs)
    return {rid: (int(n_in.get(rid, 0)), int(n_out.get(rid, 0))) for rid in run_ids}


def _user_handles(user_ids: Iterable[int | None]) -> dict[int, str]:
    ids = sorted({i for i in user_ids if i is not None})
    if not ids:
        return {}
    user = registered.User
    return dict(_rows(select(user.id, user.handle).where(user.id.in_(ids))))


def run_feature_values(run_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """{run id: {feature name: value}} as `run.features.get_values()` reads them, in a few
    grouped queries; runs without values are left out."""
    if not run_ids:
        return {}
    reader = ValueReader.for_owners("Run", list(run_ids))
    found = {rid: reader.values_of(rid) for rid in run_ids}
    return {rid: values for rid, values in found.items() if values}


def summarize(runs: Sequence[Any]) -> list[dict[str, Any]]:
    """One plain dict per run, in the given order."""
    counts = io_counts([r.id for r in runs])
    users = _user_handles(r.created_by_id for r in runs)
    features = run_feature_values([r.id for r in runs])
    return [
        {
            "uid": run.uid,
            "name": run.name,
            "status": run_status(run),
            "error": run.error,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "duration_s": duration_seconds(run),
            "created_by": users.get(run.created_by_id),
            "params": run.params or {},
            "features": features.get(run.id, {}),
            "n_inputs": counts[run.id][0],
            "n_outputs": counts[run.id][1],
            "has_report": run.report_id is not None,
            "transform": {
                "uid": run.transform.uid,
                "key": run.transform.key,
                "version_tag": run.transform.version_tag,
            },
        }
        for run in runs
    ]


def run_summaries(transform: Any, limit: int = 100) -> list[dict[str, Any]]:
    """The runs of a transform, newest first, each with status, timing, user, params, counts."""
    if not isinstance(transform, registered.Transform) or getattr(transform, "id", None) is None:
        raise InvalidArgument("run_summaries() takes a saved Transform")
    model = registered.Run
    runs = model.filter(transform_id=transform.id).order_by("-id")[: min(limit, MAX_RUNS)]
    return summarize(list(runs))


def downstream_runs(artifact: Any, limit: int = 100) -> list[dict[str, Any]]:
    """The runs that loaded this artifact as an input, newest first."""
    saved = isinstance(artifact, (registered.Artifact, registered.Collection))
    if not saved or artifact.id is None:
        raise InvalidArgument("downstream_runs() takes a saved Artifact or Collection")
    is_artifact = isinstance(artifact, registered.Artifact)
    link = registered.RunInputArtifact if is_artifact else registered.RunInputCollection
    column = link.artifact_id if is_artifact else link.collection_id
    ids = [r[0] for r in _rows(select(link.run_id).where(column == artifact.id))]
    model = registered.Run
    runs = model.filter(id__in=ids).order_by("-id")[: min(limit, MAX_RUNS)] if ids else []
    return summarize(list(runs))


def _artifacts(run_ids: Sequence[int], inputs: bool) -> dict[int, list[dict[str, Any]]]:
    artifact = registered.Artifact
    columns = (artifact.uid, artifact.key, artifact.description, artifact.hash)
    if inputs:
        link = registered.RunInputArtifact
        statement = select(link.run_id, *columns).join(artifact, artifact.id == link.artifact_id)
        statement = statement.where(link.run_id.in_(run_ids))
    else:
        statement = select(artifact.run_id, *columns).where(
            artifact.run_id.in_(run_ids), func.coalesce(artifact.kind, "") != RUN_FILE_KIND
        )
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for run_id, uid, key, description, digest in _rows(statement):
        found[run_id].append({"uid": uid, "key": key or description or uid, "hash": digest})
    return found


def _differing(values: list[Any]) -> bool:
    return any(v != values[0] for v in values[1:])


def compare_runs(runs: Sequence[Any]) -> dict[str, Any]:
    """Two or more runs side by side: params, feature values, inputs, outputs, environment and source, each
    row with `differs` set when not all runs agree."""
    if len(runs) < 2:
        raise InvalidArgument("compare_runs() needs at least two runs")
    if any(not isinstance(r, registered.Run) or r.id is None for r in runs):
        raise InvalidArgument("compare_runs() takes saved runs")
    ids = [r.id for r in runs]
    inputs, outputs = _artifacts(ids, inputs=True), _artifacts(ids, inputs=False)
    params = [r.params or {} for r in runs]
    envs = [environment_packages(r) for r in runs]
    summaries = summarize(runs)
    return {
        "runs": summaries,
        "params": _value_rows(params),
        "features": _value_rows([s["features"] for s in summaries]),
        "inputs": _artifact_rows([inputs.get(i, []) for i in ids]),
        "outputs": _artifact_rows([outputs.get(i, []) for i in ids]),
        "environment": _value_rows(envs),
        "source": {
            "values": [r.transform.source_code for r in runs],
            "differs": _differing([r.transform.source_code for r in runs]),
        },
    }


def _value_rows(dicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = sorted({name for d in dicts for name in d})
    rows = []
    for name in names:
        values = [d.get(name) for d in dicts]
        rows.append({"name": name, "values": values, "differs": _differing(values)})
    return rows


def _artifact_rows(lists: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One row per artifact key (by key, since versions differ by uid), with the uid each
    run used or None."""
    keys = list(dict.fromkeys(a["key"] for found in lists for a in found))[:MAX_ARTIFACTS_LISTED]
    rows = []
    for key in keys:
        per_run = [next((a for a in found if a["key"] == key), None) for found in lists]
        hashes = [a["hash"] if a else None for a in per_run]
        rows.append(
            {
                "key": key,
                "values": [a["uid"] if a else None for a in per_run],
                "differs": _differing(hashes),
            }
        )
    return rows
