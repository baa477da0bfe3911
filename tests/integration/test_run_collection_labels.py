"""Labels on collections and runs: collection.ulabels / run.ulabels, queries, describe()."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import models
from lamin_kernel.query.queryset import QuerySet
from lamin_kernel.server.records import record_detail

BACKENDS = ("sqlite-local", "postgres-local")


def saved_collection(key: str) -> ln.Collection:
    members = [
        ln.Artifact.from_dataframe(pd.DataFrame({key: [i]}), key=f"{key}/{i}.parquet").save()
        for i in (1, 2)
    ]
    return ln.Collection(members, key=key).save()


def saved_run(key: str) -> ln.Run:
    transform = ln.Transform(key=key, kind="script").save()
    return ln.Run(transform_id=transform.id, status="completed").save()


def labels(*names: str) -> list[ln.ULabel]:
    return [ln.ULabel(name=name).save() for name in names]


@pytest.mark.backends(*BACKENDS)
def test_collection_label_manager(instance: dict) -> None:
    collection, other = saved_collection("c1"), saved_collection("c2")
    project, donor, extra = labels("project A", "donor 1", "extra")
    collection.ulabels.add(project, donor)
    collection.ulabels.add(project)  # already linked: skipped
    other.ulabels.add(donor)
    assert sorted(collection.ulabels.all().to_list("name")) == ["donor 1", "project A"]
    assert QuerySet(models.CollectionULabel).count() == 3
    assert ln.Collection.filter(ulabels=project).one().id == collection.id
    assert ln.Collection.filter(ulabels__name="donor 1").order_by("id").to_list("key") == [
        "c1",
        "c2",
    ]
    assert sorted(c.key for c in donor.collections) == ["c1", "c2"]
    collection.ulabels.remove(donor)
    reloaded = ln.Collection.get(key="c1")
    assert reloaded.ulabels.all().to_list("name") == ["project A"]
    reloaded.ulabels.set([extra])
    assert ln.Collection.get(key="c1").ulabels.all().to_list("name") == ["extra"]
    assert ln.Collection.filter(ulabels=project).count() == 0
    with pytest.raises(ln.errors.InvalidArgument, match="expected ULabel records"):
        reloaded.ulabels.add(ln.Artifact.get(key="c1/1.parquet"))


@pytest.mark.backends(*BACKENDS)
def test_run_label_manager(instance: dict) -> None:
    run, other = saved_run("train.py"), saved_run("eval.py")
    good, flaky = labels("good run", "flaky")
    run.ulabels.add(good, flaky)
    other.ulabels.set([flaky])
    assert sorted(run.ulabels.all().to_list("name")) == ["flaky", "good run"]
    assert ln.Run.filter(ulabels__name="good run").one().id == run.id
    assert ln.Run.filter(ulabels=flaky).count() == 2
    assert {r.id for r in flaky.runs} == {run.id, other.id}
    run.ulabels.remove(flaky)
    assert ln.Run.get(run.uid).ulabels.all().to_list("name") == ["good run"]
    assert QuerySet(models.RunULabel).count() == 2


@pytest.mark.filterwarnings("error::sqlalchemy.exc.SAWarning")  # nothing half-linked stays
def test_unsaved_records_cannot_be_labelled(instance: dict) -> None:
    (label,) = labels("x")
    transform = ln.Transform(key="t.py", kind="script").save()
    unsaved = ln.Run(transform_id=transform.id)
    with pytest.raises(ln.errors.InvalidArgument, match="unsaved Run object"):
        unsaved.ulabels.add(label)
    assert list(unsaved.ulabels) == [] and list(label.runs) == []
    run = saved_run("u.py")
    with pytest.raises(ln.errors.InvalidArgument, match="before linking it"):
        run.ulabels.add(ln.ULabel(name="unsaved"))
    assert QuerySet(models.RunULabel).count() == 0


def test_describe_and_record_detail_show_the_labels(instance: dict) -> None:
    collection, run = saved_collection("described"), saved_run("described.py")
    tag, other = labels("tag", "other")
    collection.ulabels.add(tag, other)
    run.ulabels.add(tag)
    text = collection.describe(return_str=True)
    assert "└── Labels" in text
    (line,) = [line for line in text.splitlines() if ".ulabels" in line]
    assert sorted(line.split("ULabel", 1)[1].strip().split(", ")) == ["other", "tag"]
    assert ".ulabels" in run.describe(return_str=True)
    detail = record_detail("Collection", collection.uid)["labels"]["ulabels"]
    assert sorted(detail, key=lambda d: d["name"]) == [
        {"uid": other.uid, "name": "other", "registry": "ULabel"},
        {"uid": tag.uid, "name": "tag", "registry": "ULabel"},
    ]
    assert record_detail("Run", run.uid)["labels"]["ulabels"] == [
        {"uid": tag.uid, "name": "tag", "registry": "ULabel"}
    ]


def test_deleting_unlinks_and_keeps_the_other_side(instance: dict) -> None:
    collection, run = saved_collection("gone"), saved_run("gone.py")
    kept, deleted = labels("kept", "deleted")
    collection.ulabels.add(kept, deleted)
    run.ulabels.add(kept, deleted)
    deleted.delete(permanent=True)
    assert ln.Collection.get(key="gone").ulabels.all().to_list("name") == ["kept"]
    assert ln.Run.get(run.uid).ulabels.all().to_list("name") == ["kept"]
    collection.delete(permanent=True)
    assert QuerySet(models.CollectionULabel).count() == 0
    assert ln.ULabel.get(name="kept").runs.all().one().id == run.id
