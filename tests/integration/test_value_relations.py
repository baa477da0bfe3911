"""LaminDB 2.12's names for both sides of a categorical feature value: `record.linked_<x>`,
`<x>.linked_in_records`, `record.values_<x>` (the link rows), `artifact.artifacts` /
`linked_by_artifacts`, `artifact.runs` / `run.artifacts`, `artifact.users` /
`user.artifacts`, `run.linked_artifacts` / `artifact.linked_by_runs`, `run.json_values`."""

from __future__ import annotations

import pytest

import lamin_kernel as ln


def _write(tmp, name: str, text: str) -> ln.Artifact:
    path = tmp / name
    path.write_text(text)
    return ln.Artifact(path, key=name).save()


def test_a_record_sees_its_values_and_the_values_see_the_record(instance: dict) -> None:
    sample_type = ln.Record(name="Sample", is_type=True).save()
    project = ln.Project(name="atlas").save()
    run = ln.Run(ln.Transform(key="prep.py", kind="script").save()).save()
    ln.Feature(name="project", dtype=ln.Project).save()
    ln.Feature(name="made_by", dtype=ln.Run.uid).save()
    ln.Feature(name="depth", dtype=int).save()
    sample = ln.Record(name="s1", type=sample_type).save()
    sample.features.set_values({"project": "atlas", "made_by": run.uid, "depth": 3})

    assert [p.name for p in sample.linked_projects.all()] == ["atlas"]
    assert [r.id for r in sample.linked_runs.all()] == [run.id]
    assert [r.name for r in project.linked_in_records.all()] == ["s1"]
    assert run.linked_in_records.count() == 1
    assert ln.Record.filter(linked_projects=project).one().id == sample.id
    rows = sample.values_project.all()
    assert [(row.value_id, row.feature.name) for row in rows] == [(project.id, "project")]
    assert [row.value for row in sample.values_json] == [3]
    other = ln.Project(name="other").save()
    assert other.linked_in_records.count() == 0
    assert sample.linked_ulabels.count() == 0


def test_artifacts_runs_and_users_as_values_of_an_artifact(instance: dict) -> None:
    owner = _write(instance["tmp"], "owner.txt", "owner")
    source = _write(instance["tmp"], "source.txt", "source")
    run = ln.Run(ln.Transform(key="make.py", kind="script").save()).save()
    user = ln.User.filter().first()
    ln.Feature(name="source", dtype=ln.Artifact).save()
    ln.Feature(name="made_by", dtype=ln.Run.uid).save()
    ln.Feature(name="curator", dtype=ln.User).save()
    owner.features.add_values({"source": "source.txt", "made_by": run.uid, "curator": user.handle})

    assert [a.key for a in owner.artifacts.all()] == ["source.txt"]
    assert [a.key for a in source.linked_by_artifacts.all()] == ["owner.txt"]
    assert [r.id for r in owner.runs.all()] == [run.id]
    assert [a.key for a in run.artifacts.all()] == ["owner.txt"]
    assert [u.handle for u in owner.users.all()] == [user.handle]
    assert [a.key for a in user.artifacts.all()] == ["owner.txt"]
    assert ln.Artifact.filter(linked_by_artifacts=owner).one().key == "source.txt"


def test_a_run_sees_its_artifact_and_json_values(instance: dict) -> None:
    data = _write(instance["tmp"], "input.txt", "in")
    run = ln.Run(ln.Transform(key="fit.py", kind="script").save()).save()
    ln.Feature(name="training_data", dtype=ln.Artifact).save()
    ln.Feature(name="learning_rate", dtype=float).save()
    run.features.add_values({"training_data": "input.txt", "learning_rate": 0.01})

    assert [a.key for a in run.linked_artifacts.all()] == ["input.txt"]
    assert [r.id for r in data.linked_by_runs.all()] == [run.id]
    assert [row.artifact_id for row in run.values_artifact.all()] == [data.id]
    assert [v.value for v in run.json_values.all()] == [0.01]
    value = run.json_values.first()
    assert [r.id for r in value.runs.all()] == [run.id]


def test_value_relations_are_read_only_and_need_a_saved_record(instance: dict) -> None:
    project = ln.Project(name="p").save()
    with pytest.raises(ln.errors.InvalidArgument, match="unsaved"):
        ln.Record(name="unsaved").linked_projects.add(project)
    assert ln.Record.filter(linked_projects=project).count() == 0


def test_django_style_class_errors_and_unset(instance: dict) -> None:
    with pytest.raises(ln.Artifact.DoesNotExist):
        ln.Artifact.get(key="nothing")
    ln.ULabel(name="a", description="same").save()
    ln.ULabel(name="b", description="same").save()
    with pytest.raises(ln.ULabel.MultipleObjectsReturned):
        ln.ULabel.get(description="same")
    assert issubclass(ln.Record.DoesNotExist, ln.errors.ObjectDoesNotExist)
    assert ln.Unset() is ln.UNSET and not ln.UNSET and repr(ln.UNSET) == "UNSET"
    for name in ("QuerySet", "SQLRecordList", "FeatureManager", "LabelManager", "Registry"):
        assert hasattr(ln.models, name), name
    assert isinstance(ln.Artifact, ln.models.Registry)
    assert isinstance(ln.ULabel.filter(), ln.models.QuerySet)
