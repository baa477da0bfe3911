"""Fields LaminDB 2.12 has on more registries: `updated_at` everywhere it has it, and the
projects of features and schemas (both directions)."""

from __future__ import annotations

import time

import pytest

import lamin_kernel as ln


def test_updated_at_is_set_on_creation_and_moves_on_change(instance: dict) -> None:
    transform = ln.Transform(key="train.py", kind="script").save()
    records = [
        ln.Feature(name="depth", dtype=int).save(),
        ln.Schema([ln.Feature(name="width", dtype=int).save()], name="sizes").save(),
        transform,
        ln.Run(transform).save(),
        ln.Storage.filter().first(),
        ln.User.filter().first(),
    ]
    for record in records:
        assert record.updated_at is not None, type(record).__name__
    feature = records[0]
    before = ln.Feature.get(feature.id).updated_at
    time.sleep(0.01)
    feature.description = "how deep"
    feature.save()
    assert ln.Feature.get(feature.id).updated_at > before
    assert ln.Feature.filter(name="depth", updated_at__gt=before).count() == 1


def test_features_and_schemas_belong_to_projects(instance: dict) -> None:
    project = ln.Project(name="atlas").save()
    feature = ln.Feature(name="donor_age", dtype=int).save()
    schema = ln.Schema([feature], name="donors").save()
    feature.projects.add(project)
    schema.projects.add(project)

    assert [p.name for p in ln.Feature.get(feature.id).projects.all()] == ["atlas"]
    assert [s.name for s in project.schemas.all()] == ["donors"]
    assert ln.Feature.filter(projects__name="atlas").one().id == feature.id
    assert ln.Schema.filter(projects=project).count() == 1
    feature.projects.remove(project)
    assert ln.Project.get(project.id).features.count() == 0
    project.delete(permanent=True)
    assert ln.Schema.get(schema.id).projects.count() == 0


def test_curators_core_has_the_classes_curators_are_built_from(instance: dict) -> None:
    import pandas as pd

    core = ln.curators.core
    for name in ("DataFrameCurator", "AnnDataCurator", "MuDataCurator", "SpatialDataCurator"):
        assert issubclass(getattr(ln.curators, name), core.Curator)
    schema = ln.Schema([ln.Feature(name="batch", dtype=str).save()], name="batches").save()
    curator = ln.curators.DataFrameCurator(pd.DataFrame({"batch": ["b1"]}), schema)
    assert isinstance(curator.cat, core.DataFrameCatManager)
    curator.validate()
    assert not hasattr(ln.curators, "importlib")  # the namespace holds curators only


def test_querysets_have_django_s_latest_earliest_none_contains_and_iterator(
    instance: dict,
) -> None:
    labels = [ln.ULabel(name=f"label {i}").save() for i in range(5)]
    every = ln.ULabel.filter(name__startswith="label")
    assert every.latest().id == labels[-1].id  # created last (ties broken by id)
    assert every.earliest().id == labels[0].id
    assert every.latest("name").name == "label 4" and every.earliest("-name").name == "label 4"
    assert every.none().count() == 0 and list(every.none()) == []
    assert every.contains(labels[2]) and not every.exclude(name="label 2").contains(labels[2])
    assert [r.id for r in every.iterator(chunk_size=2)] == [r.id for r in labels]
    assert [r.name for r in every.order_by("-name").iterator()][0] == "label 4"
    with pytest.raises(ln.errors.DoesNotExist):
        every.none().latest()
    with pytest.raises(ln.errors.InvalidArgument):
        list(every.iterator(chunk_size=0))
    with pytest.raises(ln.errors.InvalidArgument):
        every.contains(ln.ULabel(name="unsaved"))
    assert ln.tracked is ln.step  # LaminDB's older name of the step decorator


def test_a_transform_reads_its_environment_and_plan_artifacts(instance: dict) -> None:
    (instance["tmp"] / "requirements.txt").write_text("pandas==2.2\n")
    (instance["tmp"] / "plan.md").write_text("# steps\n")
    environment = ln.Artifact(instance["tmp"] / "requirements.txt", key="env.txt").save()
    plan = ln.Artifact(instance["tmp"] / "plan.md", key="plan.md").save()
    transform = ln.Transform(key="pipeline.py", kind="pipeline").save()
    assert transform.environment is None and transform.plan is None
    transform.environment_id, transform.plan_id = environment.id, plan.id
    transform.save()
    again = ln.Transform.get(transform.id)
    assert again.environment.key == "env.txt" and again.plan.key == "plan.md"


def test_runs_users_and_storages_list_what_they_made_or_hold(instance: dict) -> None:
    transform = ln.Transform(key="make.py", kind="script").save()
    run = ln.Run(transform).save()
    other = ln.Run(transform).save()
    (instance["tmp"] / "out.txt").write_text("output")
    made = ln.Artifact(instance["tmp"] / "out.txt", key="out.txt", run=run).save()
    collection = ln.Collection([made], key="outs", run=run).save()

    assert run.output_artifacts.to_list("id") == [made.id]
    assert run.output_collections.to_list("id") == [collection.id]
    assert other.output_artifacts.count() == 0 and run.output_transforms.count() == 0
    assert ln.Run(transform).output_artifacts.count() == 0  # unsaved: nothing
    user = ln.User.filter().one()
    assert made.id in user.created_artifacts.to_list("id")
    assert set(user.created_runs.to_list("id")) == {run.id, other.id}
    assert user.created_transforms.to_list("id") == [transform.id]
    assert made.storage.artifacts.to_list("id") == [made.id]
