"""@ln.flow(): runs of function transforms, nesting, params, outputs, failures, async."""

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


@ln.flow()
def pipeline(key: str) -> list[ln.Artifact]:
    raw = ingest_dataset(key=key)
    return [raw, double(raw)]


@ln.flow()
def broken(n: int) -> None:
    raise RuntimeError(f"step {n} broke")


@ln.flow
def bare() -> str:
    return ln.context.run.uid


def test_the_tutorial_flow(instance: dict) -> None:
    artifact = ingest_dataset(key="my_analysis/dataset.parquet")
    run = artifact.run
    assert run.transform.key == "test_tracking_flows.py::ingest_dataset"
    assert run.transform.kind == "function"
    assert "def ingest_dataset" in run.transform.source_code
    assert run.params == {"key": "my_analysis/dataset.parquet"}
    assert run.entrypoint == "ingest_dataset"
    assert run.status == "completed" and run.finished_at is not None
    assert run.initiated_by_run_id is None
    assert run.environment_id is not None
    assert runtime.current_run() is None  # restored


def test_each_call_is_a_run_of_one_transform(instance: dict) -> None:
    ingest_dataset(key="a.parquet")
    ingest_dataset(key="b.parquet")  # same bytes: the artifact of the first call comes back
    transform = ln.Transform.get(key="test_tracking_flows.py::ingest_dataset")
    runs = ln.Run.filter(transform_id=transform.id).order_by("id")
    assert [r.params["key"] for r in runs] == ["a.parquet", "b.parquet"]
    assert ln.Transform.filter(key="test_tracking_flows.py::ingest_dataset").count() == 1


def test_nested_flows_and_inputs(instance: dict) -> None:
    raw, doubled = pipeline("raw.parquet")
    outer = ln.Run.filter(transform__key="test_tracking_flows.py::pipeline").one()
    assert raw.run.initiated_by_run.uid == outer.uid
    assert doubled.run.initiated_by_run_id == outer.id
    assert doubled.run.params == {"artifact": f"Artifact('{raw.uid}')", "factor": 2}
    assert [a.uid for a in doubled.run.input_artifacts] == [raw.uid]
    assert outer.status == "completed"


def test_a_flow_inside_a_tracked_script(instance: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(target, "detect_running_code", lambda user_ns=None: None)  # not pytest
    ln.track(key="driver.py")
    tracked_run = ln.context.run
    artifact = ingest_dataset(key="c.parquet")
    assert artifact.run.initiated_by_run_id == tracked_run.id
    assert ln.context.run is tracked_run  # the previous current run is back
    assert bare() != tracked_run.uid
    ln.finish()


def test_returned_artifacts_without_a_run_become_outputs(instance: dict) -> None:
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="outside.parquet").save()
    assert artifact.run_id is None

    @ln.flow("adopt")
    def adopt() -> dict:
        return {"result": artifact}

    adopt()
    run = ln.Run.filter(transform__key="adopt").one()
    assert ln.Artifact.get(key="outside.parquet").run_id == run.id


def test_failure_marks_the_run_failed_and_propagates(instance: dict) -> None:
    with pytest.raises(RuntimeError, match="step 3 broke"):
        broken(3)
    run = ln.Run.filter(transform__key="test_tracking_flows.py::broken").one()
    assert run.status == "failed" and run.finished_at is not None
    assert run.error.startswith("RuntimeError: step 3 broke")
    assert runtime.current_run() is None


def test_async_flow(instance: dict) -> None:
    @ln.flow("async-step")
    async def step(x: int) -> int:
        await asyncio.sleep(0)
        return x + len(ln.context.run.uid)

    assert asyncio.run(step(1)) == 17
    run = ln.Run.filter(transform__key="async-step").one()
    assert run.params == {"x": 1} and run.status == "completed"


def load_module(path: Path, code: str) -> Any:
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(f"flowmod_{abs(hash(code))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_changed_function_source_is_a_new_version(instance: dict, tmp_path: Path) -> None:
    code = "import lamin_kernel as ln\n\n@ln.flow()\ndef step():\n    return {}\n"
    load_module(tmp_path / "steps.py", code.format(1)).step()
    load_module(tmp_path / "steps.py", code.format(1)).step()  # unchanged: same version
    load_module(tmp_path / "steps.py", code.format(2)).step()
    versions = ln.Transform.filter(key="steps.py::step").order_by("id")
    assert [t.uid[-4:] for t in versions] == ["0000", "0001"]
    assert [t.is_latest for t in versions] == [False, True]
    assert "return 2" in versions[1].source_code
    assert [ln.Run.filter(transform_id=t.id).count() for t in versions] == [2, 1]
