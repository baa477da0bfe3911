"""OpenLineage RunEvents (file and HTTP), rebuilt with openlineage-python's classes to check them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import (
    dataset_version_dataset,
    error_message_run,
    job_type_job,
    parent_run,
)
from openlineage.client.serde import Serde

import lamin_kernel as ln
from lamin_kernel.setup import settings_files
from lamin_kernel.tracking import environment_store, flows, state, target


@pytest.fixture(autouse=True)
def fresh_tracking(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(target, "detect_running_code", lambda user_ns=None: None)
    flows._transforms.clear()
    environment_store.forget()
    yield
    state.reset()
    flows._transforms.clear()


def use_emitter(config: dict[str, str]) -> None:
    user = settings_files.load_user_settings()
    user.openlineage = config
    settings_files.save_user_settings(user)


def rebuild(event: dict[str, Any]) -> RunEvent:
    """The same event made with the OpenLineage client's classes (which validate it)."""
    producer = event["producer"]
    run_facets: dict[str, Any] = {}
    facets = event["run"]["facets"]
    if "parent" in facets:
        parent = facets["parent"]
        run_facets["parent"] = parent_run.ParentRunFacet(
            run=parent_run.Run(runId=parent["run"]["runId"]),
            job=parent_run.Job(namespace=parent["job"]["namespace"], name=parent["job"]["name"]),
            producer=producer,
        )
    if "errorMessage" in facets:
        error = facets["errorMessage"]
        run_facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
            message=error["message"], programmingLanguage="python", producer=producer
        )
    job_type = event["job"]["facets"]["jobType"]
    job_facets = {
        "jobType": job_type_job.JobTypeJobFacet(
            processingType=job_type["processingType"],
            integration=job_type["integration"],
            jobType=job_type["jobType"],
            producer=producer,
        )
    }

    def version(dataset: dict) -> dict:
        value = dataset["facets"]["version"]["datasetVersion"]
        return {
            "version": dataset_version_dataset.DatasetVersionDatasetFacet(
                datasetVersion=value, producer=producer
            )
        }

    return RunEvent(
        eventType=RunState(event["eventType"]),
        eventTime=event["eventTime"],
        run=Run(runId=event["run"]["runId"], facets=run_facets),
        job=Job(namespace=event["job"]["namespace"], name=event["job"]["name"], facets=job_facets),
        inputs=[
            InputDataset(d["namespace"], d["name"], facets=version(d)) for d in event["inputs"]
        ],
        outputs=[
            OutputDataset(d["namespace"], d["name"], facets=version(d)) for d in event["outputs"]
        ],
        producer=producer,
    )


def check(event: dict[str, Any]) -> None:
    """Valid for the client, and nothing lost or added by rebuilding it."""
    assert Serde.to_dict(rebuild(event)) == Serde.to_dict(event)


def read_events(file: Path) -> list[dict]:
    return [json.loads(line) for line in file.read_text().splitlines()]


def test_start_and_complete_events_with_inputs_and_outputs(instance: dict, tmp_path: Path) -> None:
    events_file = tmp_path / "lineage" / "events.jsonl"
    use_emitter({"file": str(events_file)})
    source = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="in.parquet").save()
    ln.track(key="etl.py")
    source.load()
    output = ln.Artifact.from_dataframe(pd.DataFrame({"b": [2]}), key="out.parquet").save()
    ln.finish()
    start, complete = read_events(events_file)
    for event in (start, complete):
        check(event)
    assert [start["eventType"], complete["eventType"]] == ["START", "COMPLETE"]
    assert start["run"]["runId"] == complete["run"]["runId"]
    assert complete["job"]["name"] == "etl.py"
    assert complete["job"]["facets"]["jobType"]["jobType"] == "SCRIPT"
    assert [d["facets"]["version"]["datasetVersion"] for d in complete["inputs"]] == [source.uid]
    assert [d["facets"]["version"]["datasetVersion"] for d in complete["outputs"]] == [output.uid]
    assert complete["outputs"][0]["namespace"] == "file"
    assert complete["outputs"][0]["name"] == str(output.path)


def test_fail_event_of_a_flow_with_its_parent(instance: dict, tmp_path: Path) -> None:
    events_file = tmp_path / "events.jsonl"
    use_emitter({"file": str(events_file)})

    @ln.step()
    def inner() -> None:
        raise ValueError("no data")

    @ln.flow()
    def outer() -> None:
        inner()

    with pytest.raises(ValueError):
        outer()
    events = read_events(events_file)
    for event in events:
        check(event)
    prefix = "test_tracking_openlineage.py::test_fail_event_of_a_flow_with_its_parent.<locals>."
    assert [(e["job"]["name"], e["eventType"]) for e in events] == [
        (prefix + "outer", "START"),
        (prefix + "inner", "START"),
        (prefix + "inner", "FAIL"),
        (prefix + "outer", "FAIL"),
    ]
    inner_fail = events[2]
    assert inner_fail["run"]["facets"]["errorMessage"]["message"].startswith("ValueError: no data")
    assert inner_fail["run"]["facets"]["parent"]["run"]["runId"] == events[0]["run"]["runId"]
    assert inner_fail["run"]["facets"]["parent"]["job"]["name"] == prefix + "outer"


class Collector(BaseHTTPRequestHandler):
    received: list[tuple[str, dict]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Collector.received.append((self.path, json.loads(body)))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


def test_http_endpoint(instance: dict) -> None:
    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        use_emitter({"url": f"http://127.0.0.1:{server.server_port}"})
        ln.track(key="posted.py")
        ln.finish()
    finally:
        server.shutdown()
        server.server_close()
    assert [path for path, _ in Collector.received] == ["/api/v1/lineage"] * 2
    assert [event["eventType"] for _, event in Collector.received] == ["START", "COMPLETE"]
    for _, event in Collector.received:
        check(event)


def test_an_unreachable_endpoint_is_only_a_warning(
    instance: dict, capsys: pytest.CaptureFixture
) -> None:
    use_emitter({"url": "http://127.0.0.1:9"})
    ln.track(key="offline.py")
    ln.finish()
    assert "could not emit the OpenLineage START event" in capsys.readouterr().out
    assert ln.Run.get(transform_id=ln.Transform.get(key="offline.py").id).status == "completed"


def test_off_by_default(instance: dict, tmp_path: Path) -> None:
    ln.track(key="quiet.py")
    ln.finish()
    assert settings_files.load_user_settings().openlineage == {}
