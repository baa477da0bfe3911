"""Transforms and runs as LaminDB's users make them: constructor, versions, files, git, delete."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest

import lamin_kernel as ln
import lamin_kernel.setup as ln_setup


def test_same_source_code_returns_the_saved_transform_unless_trashed(instance: dict) -> None:
    first = ln.Transform(key="etl.py", source_code="print(1)").save()
    again = ln.Transform(key="etl.py", source_code="print(1)")
    assert again is first and first.hash is not None
    copy = ln.Transform(key="etl.py", source_code="print(1)", skip_hash_lookup=True)
    assert copy.id is None
    first.delete()
    fresh = ln.Transform(key="etl.py", source_code="print(1)")
    assert fresh is not first and fresh.id is None


def test_a_draft_without_source_code_is_returned_by_key(instance: dict) -> None:
    draft = ln.Transform(key="draft-pipeline").save()
    assert ln.Transform(key="draft-pipeline") is draft
    draft.source_code = "step()"
    draft.save()
    revision = ln.Transform(key="draft-pipeline", version="2")
    assert revision.id is None and revision.stem_uid == draft.stem_uid
    assert revision.uid.endswith("0001") and revision.version == "2"
    revision.save()
    assert not draft.is_latest  # the loaded object sees the new latest version
    assert ln.Transform.get(key="draft-pipeline", is_latest=True).id == revision.id


def test_constructor_arguments_are_checked_like_lamindb(instance: dict) -> None:
    with pytest.raises(ValueError, match="`version` parameter must be `None` or `str`"):
        ln.Transform(key="x", version=0)
    with pytest.raises(TypeError, match="`revises` has to be of type `Transform`"):
        ln.Transform(revises=ln.ULabel(name="not a transform"))
    with pytest.raises(ValueError, match="Only key, description, version"):
        ln.Transform(key="x", color="red")
    with pytest.raises(ValueError, match="keyword arguments"):
        ln.Transform("x")
    with pytest.raises(ln.errors.FieldValidationError, match="kind must be one of pipeline"):
        ln.Transform(key="x", kind="spreadsheet")
    assert ln.Transform.filter().count() == 0  # nothing was written


def test_versions_uid_and_revises(instance: dict) -> None:
    base = ln.Transform(key="model.py", kind="script", version="1")
    assert (base.version_tag, base.version, len(base.uid), len(base.stem_uid)) == ("1", "1", 16, 12)
    base.save()
    same = ln.Transform(uid=base.uid, description="now described")
    assert same is base and base.description == "now described"
    unversioned = ln.Transform(revises=base, description="second")
    assert unversioned.uid == base.stem_uid + "0001"
    assert unversioned.version_tag is None and unversioned.version == "0001"
    assert unversioned.key == "model.py" and unversioned.kind == "pipeline"
    unversioned.save()
    assert [t.uid[-4:] for t in base.versions] == ["0001", "0000"]
    assert ln.Transform.get(base.id).is_latest is False


def test_run_takes_the_transform_positionally_and_params_are_queryable(instance: dict) -> None:
    transform = ln.Transform(key="train.py", kind="script").save()
    run = ln.Run(transform, params={"learning_rate": 0.01, "model": {"depth": 3}}).save()
    other = ln.Run(transform=transform, params={"learning_rate": 0.1}).save()
    assert run.transform.id == transform.id and run.started_at is not None
    assert transform.latest_run.id == other.id
    assert ln.Run.filter(params__learning_rate=0.01).one().id == run.id
    assert ln.Run.filter(params__learning_rate__gt=0.05).one().id == other.id
    assert ln.Run.filter(params__model__depth=3).one().id == run.id
    assert ln.Run.filter(params__missing__isnull=True).count() == 2
    with pytest.raises(ln.errors.InvalidArgument, match="needs a transform"):
        ln.Run()
    with pytest.raises(ln.errors.InvalidArgument, match="save the transform"):
        ln.Run(ln.Transform(key="unsaved"))


def test_from_path_keys_by_dev_dir_and_versions_by_content(
    instance: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pipelines").mkdir()
    script = tmp_path / "pipelines" / "ingest.py"
    script.write_text("print('v1')\n")
    notebook = tmp_path / "look.ipynb"
    cell = {"cell_type": "code", "source": ["x = 1"], "metadata": {}, "outputs": []}
    notebook.write_text(
        '{"cells": [' + pd.io.json.ujson_dumps(cell) + '], "metadata": {}, "nbformat": 4, '
        '"nbformat_minor": 5}'
    )
    assert ln.Transform.from_path(script).key == "ingest.py"  # outside any dev-dir
    ln_setup.settings.dev_dir = tmp_path
    monkeypatch.chdir(tmp_path)
    first = ln.Transform.from_path(Path("pipelines/ingest.py"))
    assert (first.key, first.kind, first.source_code) == (
        "pipelines/ingest.py",
        "script",
        "print('v1')\n",
    )
    assert ln.Transform.from_path(script).id == first.id  # same content: loaded
    script.write_text("print('v2')\n")
    second = ln.Transform.from_path(script)
    assert second.stem_uid == first.stem_uid and second.is_latest
    assert ln.Transform.get(first.id).is_latest is False
    looked = ln.Transform.from_path(notebook)
    assert looked.kind == "notebook" and "x = 1" in looked.source_code
    with pytest.raises(ln.errors.InvalidArgument, match="existing file"):
        ln.Transform.from_path(tmp_path / "missing.py")


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_from_git_pins_a_commit_of_a_local_repository(instance: dict, tmp_path: Path) -> None:
    repo = tmp_path / "org" / "pipes"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "t@example.org")
    _git(repo, "config", "user.name", "t")
    (repo / "main.nf").write_text("workflow {}\n")
    _git(repo, "add", "main.nf")
    _git(repo, "commit", "-q", "-m", "one")
    _git(repo, "tag", "v1")
    tagged = _git(repo, "rev-parse", "HEAD")
    (repo / "main.nf").write_text("workflow { two }\n")
    _git(repo, "commit", "-q", "-am", "two")
    transform = ln.Transform.from_git(url=str(repo), path="main.nf", version="v1").save()
    assert transform.key == "org/pipes/main.nf" and transform.kind == "pipeline"
    assert transform.version_tag == "v1"
    assert transform.source_code == f"repo: {repo}\npath: main.nf\ncommit: {tagged}"
    assert transform.reference == f"{repo}/blob/{tagged}/main.nf"
    sliding = ln.Transform.from_git(url=str(repo), path="main.nf", branch="main", version="main")
    assert sliding.source_code.endswith("branch: main") and "/tree/main/" in sliding.reference
    with pytest.raises(ln.errors.InvalidArgument, match="'other.nf' is not in"):
        ln.Transform.from_git(url=str(repo), path="other.nf")
    with pytest.raises(ln.errors.InvalidArgument, match="failed"):
        ln.Transform.from_git(url=str(repo), path="main.nf", version="v9")


def _report(tmp_path: Path, name: str, text: str) -> ln.Artifact:
    path = tmp_path / name
    path.write_text(text)
    return ln.Artifact(path, description=name).save()


def test_permanent_delete_takes_runs_and_their_own_reports(instance: dict, tmp_path: Path) -> None:
    transform = ln.Transform(key="gone.py", kind="script").save()
    keeper = ln.Transform(key="stays.py", kind="script").save()
    environment = _report(tmp_path, "requirements.txt", "pandas==2\n")
    report = _report(tmp_path, "report.html", "<p>run</p>")
    shared_report = _report(tmp_path, "shared.html", "<p>both</p>")
    run = ln.Run(transform, report=report, environment=environment).save()
    ln.Run(transform, report=shared_report).save()
    ln.Run(keeper, report=shared_report).save()
    report_file = Path(str(report.path))
    transform.delete(permanent=True)
    assert ln.Transform.filter(id=transform.id).count() == 0
    assert ln.Run.filter(transform_id=transform.id).count() == 0
    assert ln.Run.filter(id=run.id).count() == 0
    assert ln.Artifact.filter(id=report.id).count() == 0 and not report_file.exists()
    assert ln.Artifact.filter(id=shared_report.id).count() == 1  # another run still uses it
    assert ln.Artifact.filter(id=environment.id).count() == 1  # environments are shared, kept


def test_bulk_delete_of_the_latest_version_promotes_the_previous(instance: dict) -> None:
    v1 = ln.Transform(key="family").save()
    v1.source_code = "a"
    v1.save()
    v2 = ln.Transform(revises=v1, key="family").save()
    ln.Transform.filter(id=v2.id).delete(permanent=False)
    assert ln.Transform.filter(id=v2.id, branch_id=-1).one().is_latest is False
    assert ln.Transform.get(v1.id).is_latest
    v3 = ln.Transform(revises=v1, key="family").save()
    ln.Transform.filter(id=v3.id).delete(permanent=True)
    assert ln.Transform.filter(uid__startswith=v1.stem_uid).one().id == v1.id
    assert ln.Transform.get(v1.id).is_latest
