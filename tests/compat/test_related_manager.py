"""A relation's manager (`artifact.ulabels`) has the methods LaminDB's RelatedManager has
from Django's managers, each with its meaning for the linked records."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel.models import ArtifactULabel


def _artifact(key: str) -> ln.Artifact:
    return ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key=key).save()


def _labels(*names: str) -> list[ln.ULabel]:
    return [ln.ULabel(name=name).save() for name in names]


def test_create_makes_saves_and_links_a_record(instance: dict) -> None:
    artifact = _artifact("rm/create.parquet")
    label = artifact.ulabels.create(name="made here")
    assert label.id is not None and ln.ULabel.get(name="made here").id == label.id
    assert artifact.ulabels.to_list("name") == ["made here"]


def test_create_on_an_unsaved_owner_saves_nothing(instance: dict) -> None:
    unsaved = ln.Project(name="not saved")
    with pytest.raises(ln.errors.InvalidArgument, match="save it first"):
        unsaved.records.create(name="orphan")
    assert not ln.Record.filter(name="orphan").exists()


def test_get_or_create_finds_a_linked_record_else_makes_and_links_one(instance: dict) -> None:
    artifact = _artifact("rm/get-or-create.parquet")
    (linked,) = _labels("linked")
    artifact.ulabels.add(linked)
    found, created = artifact.ulabels.get_or_create(name="linked")
    assert (found.id, created) == (linked.id, False)
    made, created = artifact.ulabels.get_or_create(name="new", defaults={"description": "d"})
    assert created and made.description == "d"
    assert sorted(artifact.ulabels.to_list("name")) == ["linked", "new"]


def test_update_or_create_updates_a_linked_record_else_makes_and_links_one(
    instance: dict,
) -> None:
    artifact = _artifact("rm/update-or-create.parquet")
    (label,) = _labels("to update")
    artifact.ulabels.add(label)
    updated, created = artifact.ulabels.update_or_create(
        name="to update", defaults={"description": "changed"}
    )
    assert not created and updated.id == label.id
    assert ln.ULabel.get(label.id).description == "changed"
    made, created = artifact.ulabels.update_or_create(
        name="other", defaults={"description": "x"}, create_defaults={"description": "fresh"}
    )
    assert created and made.description == "fresh" and artifact.ulabels.contains(made)


def test_set_with_clear_links_the_records_anew(instance: dict) -> None:
    artifact = _artifact("rm/set-clear.parquet")
    a, b, c = _labels("a", "b", "c")
    artifact.ulabels.set([a, b])
    linked_at = ArtifactULabel.get(artifact_id=artifact.id, ulabel_id=a.id).created_at
    artifact.ulabels.set(objs=[a, c])  # a stays linked: its link row is kept
    assert ArtifactULabel.get(artifact_id=artifact.id, ulabel_id=a.id).created_at == linked_at
    artifact.ulabels.set([a, c], clear=True, bulk=False)  # every link is made again
    assert ArtifactULabel.get(artifact_id=artifact.id, ulabel_id=a.id).created_at > linked_at
    assert sorted(artifact.ulabels.to_list("name")) == ["a", "c"]


def test_remove_with_bulk_false_unlinks_and_keeps_the_records(instance: dict) -> None:
    artifact = _artifact("rm/remove.parquet")
    a, b = _labels("ra", "rb")
    artifact.ulabels.add(a, b)
    artifact.ulabels.remove(a, bulk=False)
    assert artifact.ulabels.to_list("name") == ["rb"]
    assert ln.ULabel.get(a.id).name == "ra"  # only the link is gone


def test_reads_ask_the_linked_records_only(instance: dict) -> None:
    artifact = _artifact("rm/reads.parquet")
    first, second, unlinked = _labels("first", "second", "unlinked")
    artifact.ulabels.add(first, second)
    ulabels = artifact.ulabels
    assert ulabels.contains(first) and not ulabels.contains(unlinked)
    assert ulabels.latest("id").id == second.id and ulabels.earliest("id").id == first.id
    assert set(ulabels.in_bulk()) == {first.id, second.id}
    assert list(ulabels.in_bulk([first.id, unlinked.id])) == [first.id]
    assert [r.id for r in ulabels.iterator(chunk_size=1)] == [first.id, second.id]
    assert ulabels.none().count() == 0
    assert [r.id for r in ulabels.order_by("id").reverse()] == [second.id, first.id]
    assert ulabels.get_queryset().count() == 2
    for hinted in (ulabels.only("name"), ulabels.defer("name"), ulabels.select_related("run")):
        assert hinted.count() == 2
    assert ulabels.prefetch_related("projects").count() == 2
    rows = ulabels.order_by("id").values_list("id", "name", named=True)
    assert [(row.id, row.name) for row in rows] == [(first.id, "first"), (second.id, "second")]


def test_bulk_create_saves_without_linking_and_bulk_update_saves_changes(
    instance: dict,
) -> None:
    artifact = _artifact("rm/bulk.parquet")
    made = artifact.ulabels.bulk_create([ln.ULabel(name="bulk1"), ln.ULabel(name="bulk2")])
    assert all(r.id is not None for r in made) and artifact.ulabels.count() == 0
    made[0].description = "changed"
    assert artifact.ulabels.bulk_update(made, ["description"]) == 2
    assert ln.ULabel.get(made[0].id).description == "changed"
