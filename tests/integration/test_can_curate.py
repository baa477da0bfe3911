"""validate / inspect / standardize / from_values on the core registries (ULabel, Record,
Feature, User), SQLRecordList, and synonyms on records, on a real database."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel.records.inspect_result import InspectResult
from lamin_kernel.records.record_list import SQLRecordList


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_ulabel_from_values_creates_and_saves_as_one_list(instance: dict) -> None:
    assert ln.ULabel.from_values(["a", "b"], mute=True) == []  # nothing known, nothing made
    labels = ln.ULabel.from_values(["a", "b", "a", None, ""], create=True)
    assert isinstance(labels, SQLRecordList) and [x.name for x in labels] == ["a", "b"]
    assert all(x.id is None for x in labels)
    assert labels.save() is labels
    assert all(x.id is not None for x in labels)
    assert ln.ULabel.filter().count() == 2
    again = ln.ULabel.from_values(["b", "a", "c"], mute=True)
    assert [x.id for x in again] == [labels[1].id, labels[0].id]  # input order, existing only
    assert again.to_list("name") == ["b", "a"]
    frame = again.to_dataframe()
    assert list(frame["name"]) == ["b", "a"] and "uid" in frame.columns
    assert ln.ULabel.from_values(["a"]).one().id == labels[0].id
    with pytest.raises(ln.errors.MultipleResultsFound):
        again.one()
    with pytest.raises(ln.errors.DoesNotExist):
        SQLRecordList([]).one()
    assert SQLRecordList([]).to_dataframe().empty


def test_record_from_values_finds_many_existing_records(instance: dict) -> None:
    names = [f"record{i}" for i in range(25)]
    ln.save([ln.Record(name=n) for n in names])
    found = ln.Record.from_values(names, field="name")
    assert [r.name for r in found] == names
    assert ln.Record.from_values(names, field=ln.Record.name).to_list("name") == names


def test_save_of_a_list_with_a_non_record_writes_nothing(instance: dict) -> None:
    records = SQLRecordList([ln.ULabel(name="ok"), "not a record"])
    with pytest.raises(ln.errors.InvalidArgument, match="not a record"):
        records.save()
    assert ln.ULabel.filter().count() == 0


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_validate_and_inspect_against_a_core_registry(
    instance: dict, capsys: pytest.CaptureFixture
) -> None:
    ln.ULabel.from_values(["DMSO", "IFNG"], create=True).save()
    result = ln.ULabel.validate(["DMSO", "IFNJ", "DMSO", None])
    assert isinstance(result, np.ndarray) and result.tolist() == [True, False, True, False]
    out = capsys.readouterr().out
    assert "1 unique term (50.00%) is validated for name" in out
    assert "1 unique term (50.00%) is not validated for name: 'IFNJ'" in out
    assert ln.ULabel.validate("DMSO", mute=True) is True  # one str gives one bool
    assert ln.ULabel.validate(pd.Series(["dmso"]), mute=True).tolist() == [False]

    inspected = ln.ULabel.inspect(["DMSO", "dmso", "IFNJ"], mute=True)
    assert isinstance(inspected, InspectResult)
    assert inspected.validated == ["DMSO"] and inspected.non_validated == ["dmso", "IFNJ"]
    assert inspected.synonyms_mapper == {}  # ULabel has no synonyms: nothing maps
    assert inspected.frac_validated == pytest.approx(100 / 3, abs=0.1)
    assert ln.ULabel.standardize(["dmso", "DMSO"]) == ["dmso", "DMSO"]

    user = ln.User.filter().first()
    assert ln.User.validate([user.id, 99, 100], field=ln.User.id, mute=True).sum() == 1
    assert ln.User.validate([user.handle], mute=True).tolist() == [True]  # handle: its name field


def test_validate_refuses_wrong_fields_and_types(instance: dict) -> None:
    ln.ULabel(name="x").save()
    with pytest.raises(TypeError, match="Type mismatch"):
        ln.ULabel.validate([1, 2], mute=True)
    with pytest.raises(ln.errors.FieldValidationError, match="no field 'nme'"):
        ln.ULabel.validate(["x"], field="nme")
    with pytest.raises(TypeError, match="string field"):
        ln.ULabel.from_values(["x"], field=ln.ULabel)
    assert ln.ULabel.validate(["x"], mute=True).tolist() == [True]  # the next call still works


def test_empty_registry_warns_and_validates_nothing(
    instance: dict, capsys: pytest.CaptureFixture
) -> None:
    assert ln.Record.validate(["a", "b"]).tolist() == [False, False]
    assert "Your Record registry is empty" in capsys.readouterr().out


def test_class_methods_refuse_instances(instance: dict) -> None:
    label = ln.ULabel(name="test_label").save()
    for method in ("validate", "inspect", "standardize", "from_values"):
        with pytest.raises(TypeError) as error:
            getattr(label, method)(["x"])
        assert (
            f"ULabel.{method}() is a class method and must be called on the ULabel class, "
            "not on a ULabel object"
        ) in str(error.value)
    assert ln.ULabel.validate(["test_label"], mute=True).tolist() == [True]


def test_feature_synonyms_map_in_standardize(instance: dict) -> None:
    feature = ln.Feature(name="cell_type", dtype=str).save()
    feature.add_synonym(["celltype", "CellType"])
    assert ln.Feature.get(name="cell_type").synonyms == "celltype|CellType"
    assert ln.Feature.standardize(["celltype", "CELL_TYPE", "other"]) == [
        "cell_type",
        "cell_type",
        "other",
    ]
    assert ln.Feature.standardize(["celltype"], return_mapper=True) == {"celltype": "cell_type"}
    result = ln.Feature.inspect(["celltype", "cell_type"], mute=True)
    assert result.synonyms_mapper == {"celltype": "cell_type"}
    assert ln.Feature.from_values(["celltype"], mute=True).one().id == feature.id

    other = ln.Feature(name="tissue", dtype=str).save()
    with pytest.raises(ln.errors.ValidationError, match="synonym"):
        other.add_synonym("celltype")  # another record has it
    assert other.synonyms is None
    other.add_synonym("celltype", force=True)
    assert ln.Feature.get(name="tissue").synonyms == "celltype"
    with pytest.raises(ln.errors.ValidationError, match=r"can't contain '\|'"):
        feature.add_synonym("a|b")
    feature.remove_synonym("celltype")
    assert ln.Feature.get(name="cell_type").synonyms == "CellType"
    feature.remove_synonym(["CellType"])
    assert ln.Feature.get(name="cell_type").synonyms is None
    for nothing in ("", [""], []):
        feature.add_synonym(nothing)
    assert feature.synonyms is None
    with pytest.raises(AttributeError):
        ln.ULabel(name="u").add_synonym("x")  # ULabel has no synonyms


def test_add_synonym_to_an_unsaved_record_keeps_it_unsaved(instance: dict) -> None:
    feature = ln.Feature(name="draft", dtype=str)
    feature.add_synonym("sketch")
    assert feature.synonyms == "sketch" and feature.id is None
    feature.save()
    assert ln.Feature.get(name="draft").synonyms == "sketch"


def test_a_queryset_validates_against_its_own_records(instance: dict) -> None:
    kind = ln.ULabel(name="Perturbation", is_type=True).save()
    ln.ULabel(name="DMSO", type=kind).save()
    ln.ULabel(name="IFNG").save()  # no type: outside the QuerySet below
    perturbations = ln.ULabel.filter(type=kind)
    assert perturbations.validate(["DMSO", "IFNG"], mute=True).tolist() == [True, False]
    assert ln.ULabel.validate(["DMSO", "IFNG"], mute=True).tolist() == [True, True]
    assert perturbations.inspect(["DMSO", "IFNG"], mute=True).non_validated == ["IFNG"]
    assert perturbations.standardize(["DMSO"], mute=True) == ["DMSO"]
