"""Routes behind the JupyterLab pages: change token, version diff, downstream runs, runs of a
transform, run summary and environment diff, run comparison, edits, files as artifacts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.tracking import state
from tests.server.conftest import Fetch
from tests.server.test_security import assert_error


@pytest.fixture
def send(jp_fetch: Any) -> Any:
    """A write request (PATCH/POST with a JSON body) under lamin/api."""

    async def request(
        method: str, *parts: str, body: Any = None, raw: bytes | None = None
    ) -> tuple:
        response = await jp_fetch(
            "lamin",
            "api",
            *parts,
            method=method,
            body=raw if raw is not None else json.dumps(body),
            raise_error=False,
        )
        return response.code, json.loads(response.body)

    return request


async def test_change_token_moves_only_after_a_write(api: Fetch, seeded: dict) -> None:
    status, first, _ = await api("changes")
    assert status == 200 and set(first) == {"token"}
    status, again, _ = await api("changes")
    assert again == first  # reads change nothing
    await api("registries", "Artifact", "records")
    assert (await api("changes"))[1] == first
    ln.ULabel(name="written by another process").save()
    assert (await api("changes"))[1] != first


async def test_version_diff(api: Fetch, seeded: dict) -> None:
    old, new = seeded["first"], seeded["table"]
    status, body, _ = await api("artifacts", new.uid, "diff", params={"against": old.uid})
    assert status == 200 and body["old"] == old.uid and body["new"] == new.uid
    changed = {f["name"] for f in body["fields"]}
    assert "hash" in changed and "description" in changed and "key" not in changed
    assert body["columns"] == {"added": [], "removed": [], "kept": ["a", "b"]}
    assert body["labels"]["ulabels"]["added"] == ["Experiment A"]
    assert body["features"] == [{"name": "temperature", "old": None, "new": 21.6}]
    assert body["same_content"] is False
    # the reverse reads the other way round
    _, back, _ = await api("artifacts", old.uid, "diff", params={"against": new.uid})
    assert back["labels"]["ulabels"]["removed"] == ["Experiment A"]


async def test_version_diff_of_tables_with_other_columns(api: Fetch, instance: dict) -> None:
    import pandas as pd

    one = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1], "b": [2]}), key="t.parquet").save()
    two = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1], "c": [3]}), key="t.parquet").save()
    _, body, _ = await api("artifacts", two.uid, "diff", params={"against": one.uid})
    assert body["columns"] == {"added": ["c"], "removed": ["b"], "kept": ["a"]}


async def test_version_diff_bad_parameters(api: Fetch, seeded: dict) -> None:
    table = seeded["table"].uid
    status, body, _ = await api("artifacts", table, "diff")
    assert_error(status, body, 400, "InvalidArgument", "against")
    status, body, _ = await api("artifacts", table, "diff", params={"against": "../x"})
    assert_error(status, body, 400, "InvalidArgument")
    status, body, _ = await api("artifacts", table, "diff", params={"against": "A" * 20})
    assert_error(status, body, 404, "DoesNotExist")


async def test_downstream_runs(api: Fetch, seeded: dict) -> None:
    status, body, _ = await api("artifacts", seeded["table"].uid, "downstream")
    assert status == 200
    assert [r["uid"] for r in body["runs"]] == [seeded["consumer"].uid]
    run = body["runs"][0]
    assert run["transform"]["key"] == "train.py" and run["status"] == "running"
    assert run["n_inputs"] == 1 and run["n_outputs"] == 0
    status, body, _ = await api("artifacts", seeded["text"].uid, "downstream")
    assert status == 200 and body == {"runs": []}


async def test_runs_of_a_transform_and_run_summary(api: Fetch, seeded: dict) -> None:
    run = seeded["run"]
    status, body, _ = await api("transforms", seeded["transform"].uid, "runs")
    assert status == 200 and [r["uid"] for r in body["runs"]] == [run.uid]
    summary = body["runs"][0]
    # outputs: the two table versions and the CSV; the report is a run file, not an output
    assert summary["n_outputs"] == 3 and summary["has_report"] is True
    assert summary["created_by"] and summary["duration_s"] is None
    status, body, _ = await api("runs", run.uid, "summary")
    assert status == 200 and body["uid"] == run.uid and body["environment"] == {}
    status, body, _ = await api("transforms", "A" * 16, "runs")
    assert_error(status, body, 404, "DoesNotExist")


async def test_environment_diff(api: Fetch, seeded: dict) -> None:
    transform = seeded["transform"]
    one = ln.Run(transform=transform, imported_packages={"pandas": "2.2", "numpy": "1.0"}).save()
    two = ln.Run(transform=transform, imported_packages={"pandas": "2.3", "scipy": "1.1"}).save()
    status, body, _ = await api("runs", one.uid, "environment-diff", params={"other": two.uid})
    assert status == 200
    assert body["changed"] == {"pandas": ["2.2", "2.3"]}
    assert body["added"] == {"scipy": "1.1"} and body["removed"] == {"numpy": "1.0"}
    assert body["n_same"] == 0
    status, body, _ = await api("runs", one.uid, "environment-diff")
    assert_error(status, body, 400, "InvalidArgument", "other")


async def test_compare_runs(api: Fetch, seeded: dict) -> None:
    transform = seeded["transform"]
    one = ln.Run(transform=transform, params={"lr": 0.1, "epochs": 3}).save()
    two = ln.Run(transform=transform, params={"lr": 0.2, "epochs": 3}).save()
    one.input_artifacts.add(seeded["text"])
    ln.Feature(name="accuracy", dtype=float).save()
    one.features.add_values({"accuracy": 0.8})
    status, body, _ = await api("compare-runs", params=[("run", one.uid), ("run", two.uid)])
    assert status == 200, body
    assert [r["uid"] for r in body["runs"]] == [one.uid, two.uid]
    assert [r["features"] for r in body["runs"]] == [{"accuracy": 0.8}, {}]
    assert body["features"] == [{"name": "accuracy", "values": [0.8, None], "differs": True}]
    params = {row["name"]: row for row in body["params"]}
    assert params["lr"] == {"name": "lr", "values": [0.1, 0.2], "differs": True}
    assert params["epochs"]["differs"] is False
    assert body["inputs"] == [
        {"key": "docs/notes.txt", "values": [seeded["text"].uid, None], "differs": True}
    ]
    assert body["source"]["differs"] is False
    diff = body["diff"]  # two runs: Run.diff(one, two) as well
    assert diff["a"]["uid"] == one.uid and diff["b"]["uid"] == two.uid
    assert diff["params"]["changed"] == {"lr": [0.1, 0.2]} and diff["params"]["n_same"] == 1
    assert [r["uid"] for r in diff["inputs"]["removed"]] == [seeded["text"].uid]
    assert diff["differs"] is True and diff["source"]["same"] is True
    three = ln.Run(transform=transform).save()
    status, body, _ = await api(
        "compare-runs", params=[("run", one.uid), ("run", two.uid), ("run", three.uid)]
    )
    assert status == 200 and body["diff"] is None
    status, body, _ = await api("compare-runs", params={"run": one.uid})
    assert_error(status, body, 400, "InvalidArgument", "2")
    status, body, _ = await api("compare-runs", params=[("run", one.uid), ("run", "bad/uid")])
    assert_error(status, body, 400, "InvalidArgument")


async def test_edit_an_artifact(send: Any, api: Fetch, seeded: dict) -> None:
    table = seeded["table"]
    status, body = await send("PATCH", "artifacts", table.uid, body={"description": "clean"})
    assert status == 200 and body["uid"] == table.uid
    assert ln.Artifact.get(table.uid).description == "clean"
    ln.ULabel(name="Experiment B").save()
    status, _ = await send("PATCH", "artifacts", table.uid, body={"add_ulabels": ["Experiment B"]})
    assert status == 200
    assert {u.name for u in ln.Artifact.get(table.uid).ulabels} == {"Experiment A", "Experiment B"}
    status, body = await send("PATCH", "artifacts", table.uid, body={"add_ulabels": ["Nope"]})
    assert_error(status, body, 404, "DoesNotExist", "Nope")
    label = seeded["label"].uid
    status, _ = await send("PATCH", "artifacts", table.uid, body={"remove_ulabels": [label]})
    assert {u.name for u in ln.Artifact.get(table.uid).ulabels} == {"Experiment B"}
    status, body = await send("PATCH", "artifacts", table.uid, body={"trash": True})
    assert status == 200 and body["branch_id"] == -1
    status, body = await send("PATCH", "artifacts", table.uid, body={"trash": False})
    assert status == 200 and body["branch_id"] == 1


@pytest.mark.parametrize(
    "body",
    [{}, [], {"description": 3}, {"trash": "yes"}, {"owner": "x"}, {"add_ulabels": "A"}],
)
async def test_bad_edits_are_400_and_change_nothing(send: Any, seeded: dict, body: Any) -> None:
    table = seeded["table"]
    status, answer = await send("PATCH", "artifacts", table.uid, body=body)
    assert_error(status, answer, 400, "InvalidArgument")
    assert ln.Artifact.get(table.uid).description == table.description


async def test_edit_needs_json_and_xsrf(
    send: Any, seeded: dict, http_server_client: Any, jp_base_url: str
) -> None:
    status, body = await send("PATCH", "artifacts", seeded["table"].uid, raw=b"{not json")
    assert_error(status, body, 400, "InvalidArgument", "JSON")
    # a cookie-less request without the token is refused before anything is read
    response = await http_server_client.fetch(
        f"{jp_base_url.rstrip('/')}/lamin/api/artifacts/{seeded['table'].uid}",
        method="PATCH",
        body=json.dumps({"description": "x"}),
        raise_error=False,
    )
    assert response.code == 403
    assert ln.Artifact.get(seeded["table"].uid).description == seeded["table"].description


async def test_files_as_artifacts(send: Any, api: Fetch, instance: dict, jp_root_dir: Path) -> None:
    (jp_root_dir / "data").mkdir()
    (jp_root_dir / "data" / "table.csv").write_text("a,b\n1,2\n")
    status, body, _ = await api("files", "artifact", params={"path": "data/table.csv"})
    assert status == 200 and body == {"artifact": None}
    status, body = await send("POST", "files", "artifact", body={"path": "data/table.csv"})
    assert status == 201 and body["artifact"]["registry"] == "Artifact"
    uid = body["artifact"]["uid"]
    assert ln.Artifact.get(uid).key == "data/table.csv"
    status, body, _ = await api("files", "artifact", params={"path": "data/table.csv"})
    assert body["artifact"]["uid"] == uid
    # same content elsewhere is found by its hash
    (jp_root_dir / "copy.csv").write_text("a,b\n1,2\n")
    _, body, _ = await api("files", "artifact", params={"path": "copy.csv"})
    assert body["artifact"]["uid"] == uid
    status, body = await send("POST", "files", "artifact", body={"path": "../outside.csv"})
    assert_error(status, body, 400, "InvalidArgument", "root")
    status, body = await send("POST", "files", "artifact", body={"path": "missing.csv"})
    assert_error(status, body, 400, "InvalidArgument", "not a file")
    status, body = await send("POST", "files", "artifact", body={})
    assert_error(status, body, 400, "InvalidArgument", "path")


async def test_notebook_transform(api: Fetch, instance: dict) -> None:
    status, body, _ = await api("notebook-transform", params={"path": "sub/analysis.ipynb"})
    assert status == 200 and body == {"transform": None}
    transform = ln.Transform(key="analysis.ipynb", kind="notebook").save()
    _, body, _ = await api("notebook-transform", params={"path": "sub/analysis.ipynb"})
    assert body["transform"]["uid"] == transform.uid
    status, body, _ = await api("notebook-transform")
    assert_error(status, body, 400, "InvalidArgument", "path")


async def test_hiding_run_files_keeps_artifacts_without_a_kind(api: Fetch, seeded: dict) -> None:
    _, everything, _ = await api("registries", "Artifact", "records", params={"page_size": 200})
    _, shown, _ = await api(
        "registries",
        "Artifact",
        "records",
        params={"page_size": 200, "exclude": "kind:exact:__lamindb_run__"},
    )
    assert shown["total"] == everything["total"] - 1
    assert seeded["report"].uid not in {r["uid"] for r in shown["records"]}


async def test_create_instance_in_the_server_root(send: Any, api: Fetch, jp_root_dir: Path) -> None:
    runtime.reset()
    status, body = await send("POST", "instance", body={"storage": "../elsewhere"})
    assert_error(status, body, 400, "InvalidArgument", "inside")
    status, body = await send("POST", "instance", body={"storage": "lamin-data"})
    assert status == 201 and body["name"] == "lamin-data"
    assert (jp_root_dir / "lamin-data" / ".lamindb").is_dir()
    status, body, _ = await api("registries")
    assert status == 200


async def test_kernel_status_carries_counts(instance: dict) -> None:
    """The comm's status message is tracking's snapshot: counts the frontend compares."""
    transform = ln.Transform(key="live.ipynb", kind="notebook").save()
    run = ln.Run(transform=transform).save()
    tracked = state.Tracked(run=runtime.RunRef.of(run, transform), kind="notebook", path=None)
    snapshot = state.snapshot(tracked)
    assert snapshot["n_outputs"] == 0 and snapshot["run"]["uid"] == run.uid
