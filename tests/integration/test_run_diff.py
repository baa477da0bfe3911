"""ln.Run.diff(a, b) and `lamin diff`: params, feature values, inputs by version, outputs by
hash, environment packages and source, between runs of tracked scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import lamin_kernel as ln
from lamin_kernel.cli.main import app
from lamin_kernel.errors import InvalidArgument
from lamin_kernel.tracking import environment_store

from .test_cell_provenance import run_script

TRAIN = """\
import lamin_kernel as ln

ln.track(params={{"learning_rate": {rate}, "epochs": 3{extra}}})
table = ln.Artifact.get(key="raw/table.parquet")
df = table.load()
ln.Artifact.from_dataframe(df * {factor}, key="model/scores.parquet").save()
ln.Artifact.from_dataframe(df.assign(b=1), key="model/copy.parquet").save()
ln.finish()
"""


@pytest.fixture(autouse=True)
def forget_environment() -> None:
    environment_store.forget()


def save_table(values: list[int]) -> ln.Artifact:
    return ln.Artifact.from_dataframe(pd.DataFrame({"a": values}), key="raw/table.parquet").save()


def train(folder: Path, rate: float, factor: int, extra: str = "") -> ln.Run:
    run_script(folder, "train.py", TRAIN.format(rate=rate, factor=factor, extra=extra))
    return ln.Run.filter(transform__key="train.py").order_by("-id").first()


def set_environment(run: ln.Run, folder: Path, packages: dict[str, str]) -> None:
    """As if `run` had run in an environment with these packages."""
    path = folder / f"requirements-{run.uid}.txt"
    path.write_text("".join(f"{n}=={v}\n" for n, v in sorted(packages.items())))
    env = ln.Artifact(path, description="requirements.txt", kind="__lamindb_run__").save()
    run.environment = env
    run.save()


def test_diff_of_two_runs_with_changed_params_inputs_outputs_and_source(instance: dict) -> None:
    folder = instance["tmp"]
    first_table = save_table([1, 2])
    a = train(folder, 0.1, 2)
    second_table = save_table([1, 2, 3])
    b = train(folder, 0.2, 3, extra=', "seed": 7')
    diff = ln.Run.diff(a, b)
    assert diff.differs and bool(diff)
    assert diff["params"]["changed"] == {"learning_rate": [0.1, 0.2]}
    assert diff["params"]["added"] == {"seed": 7} and diff["params"]["n_same"] == 1
    [changed_input] = diff["inputs"]["changed"]
    assert changed_input["label"] == "raw/table.parquet"
    assert (changed_input["a"]["uid"], changed_input["b"]["uid"]) == (
        first_table.uid,
        second_table.uid,
    )
    outputs = diff["outputs"]
    # both outputs are new versions of the same keys: scores (other factor) and copy (other
    # input) changed content
    assert sorted(c["label"] for c in outputs["changed"]) == [
        "model/copy.parquet",
        "model/scores.parquet",
    ]
    assert not outputs["same"] and not outputs["added"] and not outputs["removed"]
    scores = next(c for c in outputs["changed"] if c["label"] == "model/scores.parquet")
    scores_b = ln.Artifact.get(key="model/scores.parquet", is_latest=True)
    assert scores["b"]["hash"] == scores_b.hash != scores["a"]["hash"]
    source = diff["source"]
    assert not source["same"] and source["cells"] is None
    assert '-ln.track(params={"learning_rate": 0.1, "epochs": 3})' in source["unified"]
    assert "+ln.Artifact.from_dataframe(df * 3" in source["unified"]
    text = str(diff)
    assert f"a: run {a.uid} of train.py" in text and f"b: run {b.uid}" in text
    assert "~ learning_rate: 0.1 → 0.2" in text and "+ seed=7" in text
    assert f"~ raw/table.parquet: {first_table.uid}" in text
    html = diff._repr_html_()
    assert "lk-run-diff" in html and "learning_rate" in html and "<script" not in html


def test_outputs_with_the_same_content_are_the_same_and_inputs_of_the_same_version_too(
    instance: dict,
) -> None:
    folder = instance["tmp"]
    save_table([1, 2])
    a = train(folder, 0.1, 2)
    b = train(folder, 0.1, 2)
    diff = ln.Run.diff(a, b)
    assert not diff.differs
    assert len(diff["inputs"]["same"]) == 1 and not diff["inputs"]["changed"]
    assert sorted(s["label"] for s in diff["outputs"]["same"]) == [
        "model/copy.parquet",
        "model/scores.parquet",
    ]
    assert diff["source"]["same"] and diff["params"]["n_same"] == 2
    assert "no differences" in str(diff)


def test_packages_added_removed_and_changed(instance: dict) -> None:
    folder = instance["tmp"]
    save_table([1])
    a, b = train(folder, 0.1, 2), train(folder, 0.1, 2)
    common = {f"pkg-{i}": "1.0" for i in range(20)}
    set_environment(a, folder, {**common, "pandas": "2.2.0", "old-tool": "0.1"})
    set_environment(b, folder, {**common, "pandas": "2.3.3", "new-tool": "1.5"})
    diff = ln.Run.diff(a, b)
    env = diff["environment"]
    assert env == {
        "added": {"new-tool": "1.5"},
        "removed": {"old-tool": "0.1"},
        "changed": {"pandas": ["2.2.0", "2.3.3"]},
        "n_same": 20,
    }
    text = str(diff)
    assert "+ new-tool==1.5" in text and "- old-tool==0.1" in text
    assert "~ pandas: 2.2.0 → 2.3.3" in text and "(20 the same)" in text


def test_feature_values_of_runs_are_compared(instance: dict) -> None:
    ln.Feature(name="accuracy", dtype=float).save()
    ln.Feature(name="optimizer", dtype=str).save()
    transform = ln.Transform(key="fit", kind="pipeline").save()
    a, b = ln.Run(transform).save(), ln.Run(transform).save()
    a.features.add_values({"accuracy": 0.8, "optimizer": "adam"})
    b.features.add_values({"accuracy": 0.9, "optimizer": "adam"})
    diff = ln.Run.diff(a, b)
    assert diff["features"]["changed"] == {"accuracy": [0.8, 0.9]}
    assert diff["features"]["n_same"] == 1
    assert "~ accuracy: 0.8 → 0.9" in str(diff)


def test_bad_arguments_are_refused(instance: dict) -> None:
    transform = ln.Transform(key="fit", kind="pipeline").save()
    run = ln.Run(transform).save()
    with pytest.raises(InvalidArgument, match="two saved runs"):
        ln.Run.diff(run, transform)
    with pytest.raises(InvalidArgument, match="two saved runs"):
        ln.Run.diff(run, ln.Run(transform))


def test_lamin_diff_prints_the_diff_and_its_json(instance: dict) -> None:
    folder = instance["tmp"]
    save_table([1, 2])
    a = train(folder, 0.1, 2)
    b = train(folder, 0.3, 2)
    runner = CliRunner()
    result = runner.invoke(app, ["diff", a.uid, b.uid])
    assert result.exit_code == 0, result.output
    assert "~ learning_rate: 0.1 → 0.3" in result.output
    result = runner.invoke(app, ["diff", a.uid, b.uid, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["params"]["changed"] == {"learning_rate": [0.1, 0.3]}
    missing = runner.invoke(app, ["diff", a.uid, "0000000000000000"])
    assert missing.exit_code == 1 and "0000000000000000" in str(missing.exception)
