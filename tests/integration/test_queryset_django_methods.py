"""QuerySet methods LaminDB users know from Django: create, get_or_create,
update_or_create, in_bulk, bulk_create, bulk_update, reverse, ordered, values_list(named=),
contains(obj), describe, and the loading hints that return the same records."""

from __future__ import annotations

import pytest

import lamin_kernel as ln


def test_create_and_get_or_create(instance: dict) -> None:
    label = ln.ULabel.filter().create(name="control")
    assert label.id is not None and ln.ULabel.get(name="control").id == label.id
    found, created = ln.ULabel.filter().get_or_create(name="control")
    assert (found.id, created) == (label.id, False)
    made, created = ln.ULabel.filter().get_or_create(name="treated", defaults={"description": "d"})
    assert created and ln.ULabel.get(name="treated").description == "d" and made.id is not None
    with pytest.raises(ln.errors.FieldValidationError):
        ln.ULabel.filter().get_or_create(name="x", defaults={"no_such_field": 1})
    assert ln.ULabel.filter(name="x").count() == 0  # nothing saved by the failed call
    assert ln.ULabel.filter().get_or_create(name="x")[1] is True  # and the next call works


def test_update_or_create_updates_one_or_creates(instance: dict) -> None:
    ln.ULabel(name="batch_1", description="old").save()
    record, created = ln.ULabel.filter().update_or_create(
        name="batch_1", defaults={"description": "new"}
    )
    assert not created and ln.ULabel.get(name="batch_1").description == "new"
    record, created = ln.ULabel.filter().update_or_create(
        name="batch_2", defaults={"description": "on update"}, create_defaults={"description": "c"}
    )
    assert created and ln.ULabel.get(name="batch_2").description == "c"


def test_bulk_create_bulk_update_and_in_bulk(instance: dict) -> None:
    labels = [ln.ULabel(name=f"l{i}") for i in range(5)]
    saved = ln.ULabel.filter().bulk_create(labels, batch_size=2)
    assert len(saved) == 5 and all(label.id is not None for label in labels)
    for label in labels:
        label.description = f"about {label.name}"
    assert ln.ULabel.filter().bulk_update(labels, ["description"]) == 5
    assert ln.ULabel.get(name="l3").description == "about l3"
    by_id = ln.ULabel.filter().in_bulk([labels[0].id, labels[1].id])
    assert set(by_id) == {labels[0].id, labels[1].id} and by_id[labels[0].id].name == "l0"
    by_name = ln.ULabel.filter().in_bulk(["l2"], field_name="name")
    assert list(by_name) == ["l2"]
    assert ln.ULabel.filter().in_bulk([]) == {}
    with pytest.raises(ln.errors.InvalidArgument, match="got a Project"):
        ln.ULabel.filter().bulk_create([ln.Project(name="p")])
    with pytest.raises(ValueError, match="primary key"):
        ln.ULabel.filter().bulk_update([ln.ULabel(name="unsaved")], ["name"])
    assert ln.Project.filter().count() == 0


def test_order_reverse_values_list_named_and_contains(instance: dict) -> None:
    for name in ("b", "a", "c"):
        ln.ULabel(name=name).save()
    qs = ln.ULabel.filter().order_by("name")
    assert qs.ordered and not ln.ULabel.filter().ordered
    assert [r.name for r in qs.reverse()] == ["c", "b", "a"]
    assert [r.name for r in ln.ULabel.filter().reverse()] == ["c", "a", "b"]  # newest id first
    rows = qs.values_list("name", "id", named=True)
    assert rows[0].name == "a" and rows[0].id == ln.ULabel.get(name="a").id
    with pytest.raises(TypeError):
        qs.values_list("name", flat=True, named=True)
    assert qs.contains(obj=ln.ULabel.get(name="b"))
    assert not ln.ULabel.filter(name="a").contains(ln.ULabel.get(name="b"))


def test_loading_hints_give_the_same_records_and_check_names(instance: dict) -> None:
    ln.ULabel(name="x", description="y").save()
    qs = ln.ULabel.filter(name="x")
    for hinted in (qs.only("name"), qs.defer("description"), qs.select_related("created_by")):
        assert [(r.name, r.description) for r in hinted] == [("x", "y")]
    assert qs.prefetch_related("artifacts").one().name == "x"
    with pytest.raises(ln.errors.InvalidArgument, match="has no field nonsense"):
        qs.only("nonsense")
    text = ln.ULabel.filter().describe(return_str=True)
    assert "ULabel" in text and "name" in text
