"""Reruns started from the pages as background jobs (POST/GET/DELETE reruns): a check of a run,
a stale rerun in dependency order, the first failure, one job at a time, cancel, bad
parameters."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel.tracking import environment_store
from tests.integration.test_cell_provenance import run_script
from tests.integration.test_rerun import DOUBLE, IN_A_RERUN, TOTAL, only_run, seed
from tests.server.test_security import assert_error

POLLS = 1200  # at most ~10 minutes of 0.5 s polls: a job that never ends fails the test

WAITS = DOUBLE.replace(
    "ln.finish()",
    f"{IN_A_RERUN}:\n"
    "    import pathlib, time\n"
    "    pathlib.Path(os.environ['LK_TEST_STARTED']).write_text('started')\n"
    "    time.sleep(600)\n"
    "ln.finish()",
)


@pytest.fixture(autouse=True)
def forget_environment() -> None:
    environment_store.forget()


@pytest.fixture
def reruns(jp_fetch: Any) -> Any:
    """A request under lamin/api/reruns: (status, JSON body)."""

    async def request(method: str, *parts: str, body: Any = None) -> tuple[int, Any]:
        response = await jp_fetch(
            "lamin",
            "api",
            "reruns",
            *parts,
            method=method,
            body=None if method in ("GET", "DELETE") else json.dumps(body),
            raise_error=False,
            request_timeout=120,
        )
        return response.code, json.loads(response.body)

    return request


async def finished(reruns: Any, job_id: str) -> dict:
    for _ in range(POLLS):
        status, job = await reruns("GET", job_id)
        assert status == 200, job
        if job["state"] != "running":
            return job
        await asyncio.sleep(0.5)
    raise AssertionError(f"rerun job {job_id} did not end")


async def test_a_check_from_the_run_page_runs_as_a_job_and_keeps_nothing(
    reruns: Any, instance: dict, tmp_path: Path
) -> None:
    seed([1, 2])
    run_script(tmp_path, "double.py", DOUBLE)
    original = only_run("double.py")
    n_runs, n_artifacts = ln.Run.filter().count(), ln.Artifact.filter().count()
    status, job = await reruns("POST", body={"run": original.uid, "check": True})
    assert status == 202, job
    assert job["state"] == "running" and job["kind"] == "run" and job["check"] is True
    assert [s["run"] for s in job["steps"]] == [original.uid]
    job = await finished(reruns, job["id"])
    assert job["state"] == "done" and job["error"] is None, job
    assert job["steps"][0]["state"] == "done" and job["steps"][0]["rerun"] is None
    result = job["result"]
    assert result["reproduced"] is True and result["rerun"] is None
    assert [(c["label"], c["status"]) for c in result["checks"]] == [
        ("out/doubled.parquet", "reproduced")
    ]
    assert (ln.Run.filter().count(), ln.Artifact.filter().count()) == (n_runs, n_artifacts)
    status, latest = await reruns("GET")
    assert status == 200 and latest["job"]["id"] == job["id"]


async def test_a_rerun_whose_input_is_gone_ends_with_the_failure(
    reruns: Any, instance: dict, tmp_path: Path
) -> None:
    table = seed([1, 2])
    run_script(tmp_path, "double.py", DOUBLE)
    original = only_run("double.py")
    table.delete()
    status, job = await reruns("POST", body={"run": original.uid})
    assert status == 202, job
    job = await finished(reruns, job["id"])
    assert job["state"] == "failed" and "is missing (in the trash)" in job["error"]
    assert job["steps"][0]["state"] == "failed"


async def test_stale_reruns_redo_the_downstream_runs_in_order(
    reruns: Any, instance: dict, tmp_path: Path
) -> None:
    seed([1, 2])
    run_script(tmp_path, "double.py", DOUBLE)
    run_script(tmp_path, "total.py", TOTAL)
    seed([10, 20])
    status, job = await reruns("POST", body={"stale": "raw/table.parquet"})
    assert status == 202, job
    job = await finished(reruns, job["id"])
    assert job["state"] == "done", job
    assert [(s["transform"], s["state"]) for s in job["steps"]] == [
        ("double.py", "done"),
        ("total.py", "done"),
    ]
    new_runs = [s["rerun"] for s in job["steps"]]
    assert [r["rerun"] for r in job["result"]["reruns"]] == new_runs
    assert ln.Artifact.get(key="out/total.parquet").load()["total"].tolist() == [60]


async def test_a_stale_rerun_stops_at_the_first_failure_and_says_which(
    reruns: Any, instance: dict, tmp_path: Path
) -> None:
    seed([1, 2])
    failing = DOUBLE.replace("ln.finish()", f"{IN_A_RERUN}: raise SystemExit(2)\nln.finish()")
    run_script(tmp_path, "double.py", failing)
    run_script(tmp_path, "total.py", TOTAL)
    seed([10, 20])
    status, job = await reruns("POST", body={"stale": "raw/table.parquet"})
    job = await finished(reruns, job["id"])
    assert job["state"] == "failed" and "stopped at run" in job["error"], job
    assert "not rerun: " in job["error"] and "(total.py)" in job["error"]
    assert [s["state"] for s in job["steps"]] == ["failed", "pending"]
    assert "exit 2" in job["steps"][0]["error"]
    assert ln.Run.filter(transform__key="total.py").count() == 1


async def test_one_job_at_a_time_and_cancel_kills_the_child(
    reruns: Any, instance: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = tmp_path / "started"
    monkeypatch.setenv("LK_TEST_STARTED", str(started))
    seed([1, 2])
    run_script(tmp_path, "waits.py", WAITS)
    original = only_run("waits.py")
    n_runs = ln.Run.filter().count()
    status, job = await reruns("POST", body={"run": original.uid, "check": True})
    assert status == 202, job
    for _ in range(POLLS):
        if started.exists():
            break
        await asyncio.sleep(0.5)
    status, body = await reruns("POST", body={"stale": "raw/table.parquet"})
    assert_error(status, body, 409, "IntegrityError", "running", job["id"])
    status, body = await reruns("DELETE", job["id"])
    assert status == 200, body
    job = await finished(reruns, job["id"])
    assert job["state"] == "cancelled" and job["error"] == "the rerun was cancelled"
    assert job["steps"][0]["state"] == "cancelled"
    assert ln.Run.filter().count() == n_runs
    status, again = await reruns("POST", body={"run": original.uid, "check": True})
    assert status == 202, again  # the instance is free again
    await reruns("DELETE", again["id"])
    await finished(reruns, again["id"])


async def test_a_cancelled_rerun_ends_its_run_as_aborted(
    reruns: Any, instance: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = tmp_path / "started"
    monkeypatch.setenv("LK_TEST_STARTED", str(started))
    seed([1, 2])
    run_script(tmp_path, "waits.py", WAITS)
    original = only_run("waits.py")
    status, job = await reruns("POST", body={"run": original.uid, "check": False})
    assert status == 202, job
    for _ in range(POLLS):
        if started.exists():
            break
        await asyncio.sleep(0.5)
    status, body = await reruns("DELETE", job["id"])
    assert status == 200, body
    job = await finished(reruns, job["id"])
    assert job["state"] == "cancelled", job
    killed = ln.Run.filter(initiated_by_run=original).one()
    assert killed.status == "aborted" and killed.finished_at is not None
    assert killed.error == "the rerun was cancelled"
    assert original.status == "completed"  # the original is not touched


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (None, ["send"]),
        ([], ["send"]),
        ({}, ["neither"]),
        ({"run": "AAAA", "check": "yes"}, ["'check' must be"]),
        ({"run": "AAAA", "stale": "x.parquet"}, ["not both"]),
        ({"run": "../x"}, ["invalid run uid"]),
        ({"stale": ""}, ["send"]),
        ({"stale": "x.parquet", "check": True}, ["no check"]),
        ({"run": "AAAA", "force": True}, ["send"]),
    ],
)
async def test_bad_rerun_requests_are_400_and_start_nothing(
    reruns: Any, instance: dict, body: Any, words: list[str]
) -> None:
    status, answer = await reruns("POST", body=body)
    assert_error(status, answer, 400, "InvalidArgument", *words)
    assert (await reruns("GET"))[1] == {"job": None}


async def test_unknown_runs_inputs_and_jobs_are_404(reruns: Any, instance: dict) -> None:
    status, body = await reruns("POST", body={"run": "A" * 16})
    assert_error(status, body, 404, "DoesNotExist")
    status, body = await reruns("POST", body={"stale": "no/such.parquet"})
    assert_error(status, body, 404, "DoesNotExist", "no/such.parquet")
    status, body = await reruns("GET", "abc123")
    assert_error(status, body, 404, "DoesNotExist", "abc123")
    status, body = await reruns("DELETE", "abc123")
    assert_error(status, body, 404, "DoesNotExist")
    status, body = await reruns("GET", "a.b")
    assert_error(status, body, 400, "InvalidArgument", "job id")
