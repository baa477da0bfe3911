"""A record has its uid from the moment it is constructed (LaminDB's rule), and a record
built with the name of a saved one is that saved record."""

from __future__ import annotations

from pathlib import Path

import pytest

import lamin_kernel as ln


def unsaved_records(tmp: Path) -> list:
    (tmp / "data.txt").write_text("some bytes")
    feature = ln.Feature(name="depth", dtype=int).save()
    transform = ln.Transform(key="step.py", kind="script").save()
    return [
        ln.ULabel(name="label"),
        ln.Record(name="record"),
        ln.Feature(name="width", dtype=float),
        ln.Project(name="project"),
        ln.Reference(name="reference"),
        ln.Schema([feature], name="schema"),
        ln.Run(transform),
        ln.Artifact(tmp / "data.txt", key="data.txt"),
        ln.Branch(name="branch"),
        ln.Space(name="space"),
    ]


def test_every_registry_gives_a_uid_at_construction_that_saving_keeps(instance: dict) -> None:
    records = unsaved_records(instance["tmp"])
    uids = {}
    for record in records:
        model = type(record)
        assert record.id is None
        assert isinstance(record.uid, str) and len(record.uid) == model.__lk_uid_length__
        uids[model.__name__] = record.uid
    assert uids["Artifact"].endswith("0000")  # the first version of a new family
    for record in records:
        record.save()
        assert record.uid == uids[type(record).__name__]
        assert type(record).get(record.id).uid == record.uid


def test_a_new_version_takes_its_familys_stem_when_saved(instance: dict) -> None:
    path = instance["tmp"] / "table.csv"
    path.write_text("a\n1\n")
    first = ln.Artifact(path, key="table.csv").save()
    path.write_text("a\n2\n")
    second = ln.Artifact(path, key="table.csv")
    assert second.uid is not None
    second.save()
    assert second.uid == first.uid[:16] + "0001"


@pytest.mark.parametrize("model", [ln.ULabel, ln.Record, ln.Project, ln.Reference])
def test_a_record_built_with_a_saved_name_is_the_saved_record(instance: dict, model) -> None:
    saved = model(name="same").save()
    again = model(name="same")
    assert again is saved or (again.id == saved.id and again.uid == saved.uid)
    assert model.filter(name="same").count() == 1
    other_type = model(name="Kind", is_type=True).save()
    typed = model(name="same", type=other_type)
    assert typed.id is None and typed.uid != saved.uid  # another type: another record


def test_two_unsaved_records_of_one_name_become_one_row(instance: dict) -> None:
    first, second = ln.ULabel(name="twin"), ln.ULabel(name="twin")
    assert first.uid != second.uid
    first.save()
    second.save()  # the name is taken by now: the second becomes the saved row
    assert second.id == first.id and second.uid == first.uid
    assert ln.ULabel.filter(name="twin").count() == 1
