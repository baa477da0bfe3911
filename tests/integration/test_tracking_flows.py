"""@ln.flow() and @ln.step(): runs of a file's transform with the function as entrypoint,
steps inside flows, params, inputs and outputs, failures, global_run, async."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.tracking import environment_store, flows, state, target


@pytest.fixture(autouse=True)
def fresh_tracking() -> Iterator[None]:
    flows._transforms.clear()
    environment_store.forget()
    yield
    state.reset()
    flows._transforms.clear()
    environment_store.forget()


@ln.flow()
def ingest_dataset(key: str) -> ln.Artifact:
    df = pd.DataFrame({"a": [1, 2, 3]})
    return ln.Artifact.from_dataframe(df, key=key).save()


@ln.flow()
def double(artifact: ln.Artifact, factor: int = 2) -> ln.Artifact:
    df = artifact.load() * factor
    return ln.Artifact.from_dataframe(df, key="doubled.parquet").save()


@ln.step()
def double_step(artifact: ln.Artifact, factor: int = 2) -> ln.Artifact:
    df = artifact.load() * factor
    return ln.Artifact.from_dataframe(df, key="doubled.parquet").save()


@ln.flow()
def pipeline(key: str) -> list[ln.Artifact]:
    df = pd.DataFrame({"a": [1, 2, 3]})
    raw = ln.Artifact.from_dataframe(df, key=key).save()
    return [raw, double_step(raw)]


@ln.flow()
def broken(n: int) -> None:
    raise RuntimeError(f"step {n} broke")


@ln.flow
def bare() -> str:
    return ln.context.run.uid


def test_the_tutorial_flow(instance: dict) -> None:
    artifact = ingest_dataset(key="my_analysis/dataset.parquet")
    run = artifact.run
    assert run.transform.key == "test_tracking_flows.py"  # the file; the function is the entrypoint
    assert run.transform.kind == "script"
    assert "def ingest_dataset" in run.transform.source_code
    assert run.params == {"key": "my_analysis/dataset.parquet"}
    assert run.entrypoint == "ingest_dataset"
    assert run.status == "completed" and run.finished_at is not None
    assert run.initiated_by_run_id is None
    assert run.environment_id is not None
    assert runtime.current_run() is None  # global_run="clear"


def test_each_call_is_a_run_of_the_file_transform(instance: dict) -> None:
    ingest_dataset(key="a.parquet")
    ingest_dataset(key="b.parquet")  # same bytes: the artifact of the first call comes back
    with pytest.raises(RuntimeError, match="step 1 broke"):
        broken(1)
    transform = ln.Transform.get(key="test_tracking_flows.py")
    runs = ln.Run.filter(transform_id=transform.id).order_by("id")
    assert [r.entrypoint for r in runs] == ["ingest_dataset", "ingest_dataset", "broken"]
    assert [r.params for r in runs][:2] == [{"key": "a.parquet"}, {"key": "b.parquet"}]
    assert ln.Transform.filter(key="test_tracking_flows.py").count() == 1


def test_steps_run_inside_a_flow(instance: dict) -> None:
    raw, doubled = pipeline("raw.parquet")
    outer = ln.Run.filter(entrypoint="pipeline").one()
    assert raw.run_id == outer.id
    assert doubled.run.initiated_by_run_id == outer.id and doubled.run.entrypoint == "double_step"
    assert doubled.run.params == {"artifact": f"Artifact[{raw.uid}]", "factor": 2}
    assert [a.uid for a in doubled.run.input_artifacts] == [raw.uid]
    assert outer.status == "completed"
    with pytest.raises(RuntimeError, match=r"before using @ln.step\(\): ln.track\(\)"):
        double_step(raw)


def test_flows_and_steps_inside_a_tracked_script_record_its_run(
    instance: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(target, "detect_running_code", lambda user_ns=None: None)  # not pytest
    ln.track(key="driver.py")
    tracked_run = ln.context.run
    artifact = ingest_dataset(key="c.parquet")
    assert artifact.run.initiated_by_run_id == tracked_run.id
    doubled = double_step(artifact)
    assert doubled.run.initiated_by_run_id == tracked_run.id
    assert ln.context.run is tracked_run  # the previous current run is back
    ln.finish()


def test_global_run_memorize_and_none(instance: dict) -> None:
    @ln.flow(global_run="none")
    def concurrent(x: int) -> str:
        return ln.context.run.uid

    @ln.flow(global_run="memorize")
    def memorized() -> str:
        return ln.context.run.uid

    uid = concurrent(1)
    assert ln.context.run is None and ln.Run.get(uid=uid).params == {"x": 1}
    defined_here = ln.Run.get(uid=uid).transform
    assert (defined_here.key, defined_here.kind) == ("test_tracking_flows.py", "script")
    kept = memorized()
    assert ln.context.run.uid == kept
    runtime.set_current_run(None, None)
    with pytest.raises(ValueError, match="global_run"):
        ln.flow(global_run="sometimes")


def test_arguments_named_like_track_arguments_are_checked(instance: dict) -> None:
    @ln.flow()
    def labelled(project: str) -> None:
        pass

    @ln.flow(track_arg_aliases=False)
    def unlabelled(project: str) -> str:
        return ln.context.run.uid

    with pytest.raises(ln.errors.InvalidArgument, match="Project 'atlas' not found"):
        labelled(project="atlas")
    assert ln.Run.get(uid=unlabelled(project="atlas")).params == {"project": "atlas"}


def test_returned_artifacts_without_a_run_become_outputs(instance: dict) -> None:
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="outside.parquet").save()
    assert artifact.run_id is None

    @ln.flow()
    def adopt() -> dict:
        return {"result": artifact}

    adopt()
    run = ln.Run.filter(
        entrypoint="test_returned_artifacts_without_a_run_become_outputs.<locals>.adopt"
    ).one()
    assert ln.Artifact.get(key="outside.parquet").run_id == run.id


def test_failure_marks_the_run_failed_and_propagates(instance: dict) -> None:
    with pytest.raises(RuntimeError, match="step 3 broke"):
        broken(3)
    run = ln.Run.filter(entrypoint="broken").one()
    assert run.status == "failed" and run.finished_at is not None
    assert run.error.startswith("RuntimeError: step 3 broke")
    assert runtime.current_run() is None


def test_async_flow(instance: dict) -> None:
    @ln.flow()
    async def step(x: int) -> int:
        await asyncio.sleep(0)
        return x + len(ln.context.run.uid)

    assert asyncio.run(step(1)) == 17
    run = ln.Run.filter(entrypoint="test_async_flow.<locals>.step").one()
    assert run.params == {"x": 1} and run.status == "completed"


def load_module(path: Path, code: str) -> Any:
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(f"flowmod_{abs(hash(code))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_changed_file_is_a_new_version(instance: dict, tmp_path: Path) -> None:
    code = "import lamin_kernel as ln\n\n@ln.flow()\ndef step():\n    return {}\n"
    load_module(tmp_path / "steps.py", code.format(1)).step()
    load_module(tmp_path / "steps.py", code.format(1)).step()  # unchanged: same version
    load_module(tmp_path / "steps.py", code.format(2)).step()
    versions = ln.Transform.filter(key="steps.py").order_by("id")
    assert [t.uid[-4:] for t in versions] == ["0000", "0001"]
    assert [t.is_latest for t in versions] == [False, True]
    assert "return 2" in versions[1].source_code
    assert [ln.Run.filter(transform_id=t.id).count() for t in versions] == [2, 1]
