"""An opt-in OpenLineage emitter: a RunEvent when a run starts and when it ends.

Turned on by the user setting ``openlineage`` (``lamin settings set openlineage FILE|URL``):
``{"file": "/path/events.jsonl"}`` appends one JSON event per line, ``{"url": "http://host:5000"}``
POSTs each event to ``<url>/api/v1/lineage`` (or to ``{"url", "endpoint"}``). What OpenLineage
calls a job is a Transform (``name`` = its key), a run is a Run (``runId`` is a UUID derived
from the run's uid), datasets are the run's input and output Artifacts, named after their
stored location (``file`` + absolute path, or ``s3://bucket`` + object key). Events are
plain dicts in the spec's 2-0-2 shape; a failure to emit is a warning, never an error.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from .. import __version__, log
from ..models import Artifact
from ..records.artifact_access import stored_location
from ..setup.session import connection
from ..setup.settings_files import load_user_settings
from .run_files import RUN_FILE_KIND

EventType = Literal["START", "COMPLETE", "FAIL", "ABORT"]
SPEC = "https://openlineage.io/spec"
PRODUCER = f"https://pypi.org/project/lamin-kernel/{__version__}/"
DEFAULT_ENDPOINT = "api/v1/lineage"
_END_EVENT = {"completed": "COMPLETE", "failed": "FAIL", "aborted": "ABORT"}


def emitter_config() -> dict[str, Any]:
    """The user's ``openlineage`` setting: ``{}`` when off."""
    config = load_user_settings().openlineage
    return config if isinstance(config, dict) else {}


def run_id(run: Any) -> str:
    """A stable UUID for a run, the same in its START and its end event."""
    instance = connection().settings.uid
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"lamin_kernel:{instance}:run:{run.uid}"))


def job_namespace() -> str:
    return f"lamin_kernel:{connection().settings.slug}"


def emit_start(run: Any, transform: Any, parent: Any | None = None) -> None:
    """A START event, if the emitter is on."""
    config = emitter_config()
    if config:
        _send(config, build_event("START", run, transform, parent=parent))


def emit_end(run: Any, transform: Any, status: str, error: str | None = None) -> None:
    """A COMPLETE, FAIL or ABORT event with the run's inputs and outputs, if the emitter is on."""
    config = emitter_config()
    if not config:
        return
    event_type: EventType = _END_EVENT.get(status, "COMPLETE")  # type: ignore[assignment]
    inputs = list(run.input_artifacts)
    outputs = list(Artifact.filter(run_id=run.id).exclude(kind=RUN_FILE_KIND))
    parent = run.initiated_by_run if run.initiated_by_run_id is not None else None
    event = build_event(
        event_type, run, transform, inputs=inputs, outputs=outputs, parent=parent, error=error
    )
    _send(config, event)


def build_event(
    event_type: EventType,
    run: Any,
    transform: Any,
    *,
    inputs: list[Any] | None = None,
    outputs: list[Any] | None = None,
    parent: Any | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """An OpenLineage RunEvent as a dict."""
    run_facets: dict[str, Any] = {}
    if parent is not None:
        run_facets["parent"] = _facet(
            "ParentRunFacet",
            "1-2-0",
            run={"runId": run_id(parent), "facets": {}},
            job={
                "namespace": job_namespace(),
                "name": job_name(parent.transform, parent),
                "facets": {},
            },
        )
    if error:
        run_facets["errorMessage"] = _facet(
            "ErrorMessageRunFacet", "1-0-1", message=error, programmingLanguage="python"
        )
    job_facets = {
        "jobType": _facet(
            "JobTypeJobFacet",
            "2-0-4",
            processingType="BATCH",
            integration="LAMIN_KERNEL",
            jobType=(transform.kind or "pipeline").upper(),
        )
    }
    return {
        "eventType": event_type,
        "eventTime": datetime.now(UTC).isoformat(),
        "producer": PRODUCER,
        "schemaURL": f"{SPEC}/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": run_id(run), "facets": run_facets},
        "job": {
            "namespace": job_namespace(),
            "name": job_name(transform, run),
            "facets": job_facets,
        },
        "inputs": [{**dataset(a), "inputFacets": {}} for a in inputs or []],
        "outputs": [{**dataset(a), "outputFacets": {}} for a in outputs or []],
    }


def job_name(transform: Any, run: Any) -> str:
    """The transform's key; for a flow or step, `<file key>::<function>` (its entrypoint)."""
    name = transform.key or transform.uid
    entrypoint = getattr(run, "entrypoint", None)
    return f"{name}::{entrypoint}" if entrypoint and transform.kind == "script" else name


def dataset(artifact: Any) -> dict[str, Any]:
    """An artifact as an OpenLineage dataset, named by its stored location."""
    location = stored_location(artifact)
    if "://" in location:
        scheme, rest = location.split("://", 1)
        bucket, _, name = rest.partition("/")
        namespace = f"{scheme}://{bucket}"
    else:
        namespace, name = "file", location
    version = _facet("DatasetVersionDatasetFacet", "1-0-1", datasetVersion=artifact.uid)
    return {"namespace": namespace, "name": name, "facets": {"version": version}}


def _facet(name: str, version: str, **fields: Any) -> dict[str, Any]:
    return {
        "_producer": PRODUCER,
        "_schemaURL": f"{SPEC}/facets/{version}/{name}.json#/$defs/{name}",
        **fields,
    }


def _send(config: dict[str, Any], event: dict[str, Any]) -> None:
    try:
        if config.get("file"):
            _append(Path(config["file"]).expanduser(), event)
        elif config.get("url"):
            _post(config["url"], config.get("endpoint") or DEFAULT_ENDPOINT, event)
    except Exception as exc:  # lineage export is a side channel: never break the run
        log.warning(f"could not emit the OpenLineage {event['eventType']} event: {exc}")


def _append(file: Path, event: dict[str, Any]) -> None:
    """One line per event; O_APPEND keeps lines whole when several processes write."""
    file.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(event, sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def _post(url: str, endpoint: str, event: dict[str, Any]) -> None:
    import urllib.request  # only when an HTTP endpoint is configured

    target = url.rstrip("/") + "/" + endpoint.lstrip("/")
    request = urllib.request.Request(
        target,
        data=json.dumps(event).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - user's URL
        response.read()
