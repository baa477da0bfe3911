"""ln.track()'s LaminDB arguments: transform, project, space, branch, plan, initiated_by_run,
full uids with ln.context.version, and keys inside a development directory."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import lamin_kernel as ln
import lamin_kernel.setup as ln_setup
from lamin_kernel import runtime
from lamin_kernel.tracking import state


@pytest.fixture(autouse=True)
def no_tracked_run():
    yield
    runtime.set_current_run(None, None)
    state.set_current(None)
    ln.context.version = None


def run_script(path: Path, code: str) -> subprocess.CompletedProcess:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(code))
    return subprocess.run(
        [sys.executable, str(path)], cwd=path.parent, capture_output=True, text=True, timeout=120
    )


def test_unknown_labels_are_refused_in_lamindb_words_before_anything_is_written(
    instance: dict,
) -> None:
    with pytest.raises(ln.errors.InvalidArgument) as error:
        ln.track(transform=ln.Transform(key="p").save(), project="nope")
    assert str(error.value) == (
        "Project 'nope' not found, either create it with `ln.Project(name='...').save()` "
        "or fix typos."
    )
    with pytest.raises(ln.errors.InvalidArgument, match="Space 'nowhere'"):
        ln.track(space="nowhere")
    with pytest.raises(ln.errors.InvalidArgument, match="Branch 'twig'"):
        ln.track(branch="twig")
    with pytest.raises(ln.errors.InvalidArgument, match="Run 'does-not-exist' not found"):
        ln.track(initiated_by_run="does-not-exist")
    assert ln.Run.filter().count() == 0 and ln.context.run is None


@pytest.mark.parametrize("kind", ["notebook", "script"])
def test_notebooks_and_scripts_are_not_passed_as_records(instance: dict, kind: str) -> None:
    with pytest.raises(ValueError, match="without passing transform in a notebook or script"):
        ln.track(transform=ln.Transform(key="My notebook", kind=kind))


def test_a_pipeline_transform_runs_with_params_labels_and_initiator(
    instance: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = ln.Project(name="atlas").save()
    branch = ln.Branch(name="experiment").save()
    space = ln.Space(name="lab").save()
    parent = ln.Run(ln.Transform(key="orchestrator").save()).save()
    pipeline = ln.Transform(key="nightly", kind="pipeline")  # saved by track()
    ln.track(
        transform=pipeline,
        project="atlas",
        branch="experiment",
        space=space,
        params={"cutoff": 0.5},
        initiated_by_run=parent.uid,
    )
    run = ln.context.run
    assert pipeline.id is not None and run.transform_id == pipeline.id
    assert run.params == {"cutoff": 0.5} and run.initiated_by_run_id == parent.id
    assert ln.context.project.id == project.id and ln.context.branch.id == branch.id
    label = ln.ULabel(name="made during the run").save()
    assert label.branch_id == branch.id and label.run_id == run.id
    assert label.space_id == space.id and ln.context.space.id == space.id
    assert ln.Run.filter(params__cutoff=0.5).one().id == run.id
    output = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="out.parquet").save()
    collection = ln.Collection([output], key="outs").save()
    ln.finish()
    assert [p.name for p in ln.Artifact.get(output.id).projects] == ["atlas"]
    assert [p.name for p in ln.Collection.get(collection.id).projects] == ["atlas"]
    assert ln.Run.get(run.id).finished_at is not None
    monkeypatch.setenv("LAMIN_INITIATED_BY_RUN_UID", parent.uid)
    ln.track(transform=pipeline, new_run=True)
    assert ln.context.run.initiated_by_run_id == parent.id


def test_track_links_a_saved_plan_by_key(instance: dict, tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.md"
    plan_file.write_text("# Plan\n- step\n")
    plan = ln.Artifact(plan_file, key=".plans/plan.md", kind="plan").save()
    ln.track(transform=ln.Transform(key="agent").save(), plan=".plans/plan.md")
    assert ln.Run.get(ln.context.run.id).plan_id == plan.id
    with pytest.raises(ln.errors.InvalidArgument, match="Plan artifact 'no/such.md' not found"):
        ln.track(transform=ln.Transform(key="agent").save(), plan="no/such.md")


VERSIONED = """\
import lamin_kernel as ln
ln.context.version = "{version}"
ln.track("{uid}")
"""


def test_full_uids_and_versions_in_scripts(instance: dict, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    ln_setup.settings.dev_dir = project
    stem = "Ab3dEfGh1jKl"
    first = run_script(project / "a" / "train.py", VERSIONED.format(version="1", uid=stem + "0000"))
    assert first.returncode == 0, first.stderr
    assert f"created Transform('{stem}0000', key='a/train.py')" in first.stdout
    renamed = run_script(
        project / "b" / "fit.py", 'import lamin_kernel as ln\nln.track("' + stem + '0001")\n'
    )
    assert renamed.returncode == 0, renamed.stderr
    assert "renaming transform a/train.py to b/fit.py" in renamed.stdout
    taken = run_script(project / "c" / "fit.py", VERSIONED.format(version="1", uid=stem + "0001"))
    assert taken.returncode == 1
    assert (
        f"✗ version '1' is already taken by Transform('{stem}0000'); please set another "
        "version, e.g., ln.context.version = '1.1'"
    ) in taken.stderr
    tagged = run_script(project / "d" / "fit.py", VERSIONED.format(version="2", uid=stem + "0002"))
    assert tagged.returncode == 0, tagged.stderr
    assert ln.Transform.get(uid=stem + "0002").version_tag == "2"
    assert ln.Transform.get(uid=stem + "0002").is_latest
    assert not ln.Transform.get(uid=stem + "0001").is_latest
    changed = run_script(project / "d" / "fit.py", VERSIONED.format(version="3", uid=stem + "0002"))
    assert changed.returncode == 1
    assert "Transform is already tagged with version 2, but you passed 3" in changed.stderr


def test_scripts_in_different_folders_of_a_dev_dir_are_different_transforms(
    instance: dict, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    ln_setup.settings.dev_dir = project
    code = "import lamin_kernel as ln\nln.track()\nln.finish()\n"
    for folder in ("one", "two"):
        done = run_script(project / folder / "same.py", code)
        assert done.returncode == 0, done.stderr
    keys = sorted(t.key for t in ln.Transform.filter(key__endswith="same.py"))
    assert keys == ["one/same.py", "two/same.py"]
    two = ln.Transform.get(key="two/same.py")
    assert two.latest_run.finished_at is not None


def test_features_are_stored_on_the_run_and_bad_ones_leave_no_run(instance: dict) -> None:
    pipeline = ln.Transform(key="featured").save()
    values = {"learning_rate": 0.5, "optimizer": "adam"}
    with pytest.raises(ln.errors.ValidationError, match="could not be validated"):
        ln.track(transform=pipeline, features=values)
    assert ln.Run.filter(transform_id=pipeline.id).count() == 0 and ln.context.run is None
    ln.Feature(name="learning_rate", dtype=float).save()
    ln.Feature(name="optimizer", dtype=str).save()
    ln.track(transform=pipeline, features=values)
    assert ln.context.run.features.get_values() == values
