"""Sheets: a record type's records as a DataFrame (a column per feature), records made from a
DataFrame's rows, the features a sheet's schema requires, and exports to csv artifacts."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel.query.queryset import QuerySet


def score_sheet(name: str = "Samples") -> tuple[ln.Record, ln.Feature]:
    score = ln.Feature(name="score", dtype=float).save()
    schema = ln.Schema([score], name=f"{name} schema").save()
    return ln.Record(name=name, is_type=True, schema=schema).save(), score


def indexed_sheet() -> ln.Record:
    sample_id = ln.Feature(name="sample_id", dtype=str).save()
    project = ln.Feature(name="project", dtype=ln.Project).save()
    schema = ln.Schema(features=[project], index=sample_id, name="indexed").save()
    return ln.Record(name="Indexed", is_type=True, schema=schema).save()


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_rows_of_a_dataframe_become_records_and_come_back(instance: dict) -> None:
    sheet, _ = score_sheet()
    df = pd.DataFrame({"__lamindb_record_name__": ["a", "b"], "score": [1.5, 2.5]})

    batch = ln.Record.from_dataframe(df, type=sheet)
    assert len(batch) == 2 and batch.type == sheet
    assert ln.Record.filter(type=sheet).count() == 0  # nothing saved before .save()
    saved = batch.save()

    assert [r.name for r in saved] == ["a", "b"]
    assert ln.Record.get(name="a").features.get_values() == {"score": 1.5}
    back = sheet.to_dataframe()
    assert list(back.columns) == ["score", "__lamindb_record_uid__", "__lamindb_record_name__"]
    assert back.index.name == "__lamindb_record_id__"
    assert back["__lamindb_record_name__"].tolist() == ["a", "b"]
    assert back["score"].tolist() == [1.5, 2.5]

    # the exported frame imports into another sheet with the same schema: a round trip
    copy = ln.Record(name="Copy", is_type=True, schema=sheet.schema).save()
    ln.Record.from_dataframe(back.drop(columns="__lamindb_record_uid__"), type=copy).save()
    again = copy.to_dataframe()
    assert again["__lamindb_record_name__"].tolist() == ["a", "b"]
    assert again["score"].tolist() == [1.5, 2.5]


def test_a_sheet_without_schema_has_the_features_its_records_have(instance: dict) -> None:
    page = ln.Record(name="Page", is_type=True).save()
    ln.Feature(name="weight", dtype=int).save()
    ln.Feature(name="color", dtype=str).save()
    ln.Record(name="x", type=page, features={"weight": 3}).save()
    ln.Record(name="y", type=page, features={"color": "red"}).save()

    df = page.to_dataframe()
    assert sorted(c for c in df.columns if not c.startswith("__")) == ["color", "weight"]
    assert df["weight"].tolist()[0] == 3 and pd.isna(df["weight"].tolist()[1])
    assert page.to_dataframe(features=["color"]).columns[0] == "color"
    frame = pd.DataFrame({"name": ["z"], "weight": [None], "color": ["blue"]})
    ln.Record.from_dataframe(frame, type=page).save()  # the name column, if no other
    assert ln.Record.get(name="z").features.get_values() == {"color": "blue"}  # no empty cell
    with pytest.raises(ln.errors.InvalidArgument, match="not a feature"):
        page.to_dataframe(features=["unknown"])


def test_a_sheets_index_feature_is_the_records_name(instance: dict) -> None:
    sheet = indexed_sheet()
    project = ln.Project(name="P1").save()
    frame = pd.DataFrame({"project": ["P1", "P1"]}, index=pd.Index(["s1", "s2"], name="sample_id"))
    ln.Record.from_dataframe(frame, type=sheet).save()
    made = ln.Record(type=sheet, features={"sample_id": "s3", "project": project}).save()

    assert made.name == "s3"
    assert made.features.get_values() == {"sample_id": "s3", "project": "P1"}
    df = sheet.to_dataframe()
    assert df.index.name == "sample_id"
    assert df.index.tolist() == ["s1", "s2", "s3"]
    assert list(df.columns) == ["project"]
    assert df["project"].tolist() == ["P1", "P1", "P1"]
    with pytest.raises(ln.errors.InvalidArgument, match="differ"):
        ln.Record(name="other", type=sheet, features={"sample_id": "s4", "project": project})
    with pytest.raises(TypeError, match="must be a string"):
        ln.Record(type=sheet, features={"sample_id": 4, "project": project})
    assert ln.Record.filter(type=sheet).count() == 3


def test_an_index_feature_must_be_text(instance: dict) -> None:
    number = ln.Feature(name="number_id", dtype=int).save()
    schema = ln.Schema(features=[], index=number, name="numbered").save()
    with pytest.raises(ln.errors.InvalidArgument, match="must have dtype str"):
        ln.Record(name="Numbered", is_type=True, schema=schema).save()
    assert not ln.Record.filter(name="Numbered").exists()


def test_a_record_joins_a_sheet_only_with_its_required_features(instance: dict) -> None:
    sheet, _ = score_sheet()
    with pytest.raises(ln.errors.ValidationError, match="missing required features 'score'"):
        ln.Record(name="blank", type=sheet)
    loose = ln.Record(name="loose").save()
    loose.type = sheet
    with pytest.raises(ln.errors.ValidationError, match="missing required features 'score'"):
        loose.save()
    assert ln.Record.filter(type=sheet).count() == 0
    ok = ln.Record(name="ok", type=sheet, features={"score": 2.0}).save()
    assert ok.type == sheet  # the next call works after the refusals


def test_from_dataframe_refuses_what_is_not_a_named_type(instance: dict) -> None:
    df = pd.DataFrame({"__lamindb_record_name__": ["x"]})
    plain = ln.Record(name="plain").save()
    unnamed = ln.Record(name="temp", is_type=True)
    unnamed.name = None
    with pytest.raises(ValueError, match="is_type=True"):
        ln.Record.from_dataframe(df, type=plain)
    with pytest.raises(ValueError, match="non-null `name`"):
        ln.Record.from_dataframe(df, type=unnamed)
    with pytest.raises(TypeError, match="pandas DataFrame"):
        ln.Record.from_dataframe([{"a": 1}], type=plain)
    with pytest.raises(TypeError, match="class method"):
        plain.from_dataframe(df, type=plain)
    assert ln.Record.filter().count() == 1


def test_from_dataframe_with_a_type_name_makes_an_import_type(instance: dict) -> None:
    ln.Feature(name="level", dtype=float).save()
    df = pd.DataFrame({"__lamindb_record_name__": ["i1", "i2"], "level": [1.0, 2.0]})

    batch = ln.Record.from_dataframe(df, type="Imported")
    made = batch.type
    assert made.is_type and made.name == "Imported"
    assert made.type.name == "Imports"
    assert [f.name for f in made.schema.members] == ["level"]
    assert made.schema.type.name == "Imports"
    batch.save()
    assert ln.Record.get(name="i2").features.get_values() == {"level": 2.0}
    with pytest.raises(ValueError, match="already exists under 'Imports'"):
        ln.Record.from_dataframe(df, type="Imported")


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_sheet_exports_to_a_csv_artifact_with_its_lineage(instance: dict) -> None:
    sheet, _ = score_sheet("Export")
    transform = ln.Transform(key="upstream.py", kind="script").save()
    upstream = ln.Run(transform=transform).save()
    first = ln.Record(name="r1", type=sheet, features={"score": 1.0}).save()
    second = ln.Record(name="r2", type=sheet, features={"score": 2.0}).save()
    first.run = upstream
    first.save()

    artifact = sheet.to_artifact()
    assert artifact.key == "lamindb_record_exports/Export.csv"
    assert artifact.description == f"Export of record type {sheet.uid}"
    assert artifact.run.transform.key == "__lamindb_record_export__"
    inputs = set(artifact.run.input_records.to_list("id"))
    assert inputs == {sheet.id, first.id, second.id}  # with and without a run of their own
    loaded = artifact.load()
    assert loaded["__lamindb_record_name__"].tolist() == ["r1", "r2"]
    assert loaded["score"].tolist() == [1.0, 2.0]

    subset = ln.Record.filter(id=second.id).to_artifact()
    assert subset.key == "record_exports/Export_subset.csv"
    assert subset.description == "Export of Export subset"
    assert subset.run.input_records.count() == 2
    assert artifact.run.transform == subset.run.transform  # one export transform
    with pytest.raises(ln.errors.InvalidArgument, match="one type"):
        ln.Record.filter(name__in=["r1", sheet.name]).to_artifact()
    with pytest.raises(ln.errors.InvalidArgument, match="Only one of key or suffix"):
        sheet.to_artifact(key="a.csv", suffix=".csv")


def test_record_querysets_read_sheets_of_one_type(instance: dict) -> None:
    sheet, _ = score_sheet()
    for i in range(3):
        ln.Record(name=f"r{i}", type=sheet, features={"score": float(i)}).save()
    selected = ln.Record.filter(type=sheet).filter(name__in=["r1", "r2"])

    assert isinstance(selected, QuerySet) and hasattr(selected, "to_artifact")
    df = selected.to_dataframe(include="features")
    assert df["__lamindb_record_name__"].tolist() == ["r1", "r2"]
    assert df["score"].tolist() == [1.0, 2.0]
    generic = ln.Record.filter(name__in=["r1", sheet.name]).to_dataframe(include="features")
    assert "score" in generic.columns and "uid" in generic.columns
    assert len(ln.Record.to_dataframe()) == 4  # the registry's frame is the usual one


def test_reading_a_sheet_makes_its_records_inputs_of_the_run(instance: dict) -> None:
    sheet, _ = score_sheet()
    for i in range(101):
        ln.Record(name=f"r{i}", type=sheet, features={"score": float(i)}).save()
    reader = ln.Run(transform=ln.Transform(key="reader.py", kind="script").save()).save()

    assert len(sheet.to_dataframe(is_run_input=reader)) == 101  # not cut at 100
    assert reader.input_records.count() == 102
    assert sheet.input_of_runs.count() == 1
    only_type = ln.Run(transform=reader.transform).save()
    sheet.to_dataframe(is_run_input=only_type, link_individual_inputs=False)
    assert only_type.input_records.to_list("name") == [sheet.name]
    with pytest.raises(TypeError, match="record type instance"):
        ln.Record.get(name="r1").to_dataframe()


def test_a_record_type_feature_takes_records_of_its_sub_types(instance: dict) -> None:
    treatment = ln.Record(name="Treatment", is_type=True).save()
    sheet = ln.Record(name="Treatments 2025", type=treatment, is_type=True).save()
    dose = ln.Record(name="dose-1", type=sheet).save()
    stray = ln.Record(name="dose-2").save()  # same kind of name, but not a treatment
    ln.Feature(name="treatment", dtype=treatment).save()
    sample = ln.Record(name="sample").save()

    sample.features.set_values({"treatment": dose})
    assert sample.features.get_values() == {"treatment": "dose-1"}
    sample.features.set_values({"treatment": "dose-1"})  # by name, too
    assert ln.Record.filter(treatment="dose-1").to_list("name") == ["sample"]
    for value in (stray, "dose-2"):
        with pytest.raises(ln.errors.ValidationError):
            sample.features.set_values({"treatment": value})
    assert sample.features.get_values() == {"treatment": "dose-1"}


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_batch_is_saved_whole_or_not_at_all_and_can_be_saved_again(instance: dict) -> None:
    sheet, _ = score_sheet()
    names = ["first", "second", "bad\x00name"]
    batch = ln.Record.from_dataframe(
        pd.DataFrame({"__lamindb_record_name__": names, "score": [1.0, 2.0, 3.0]}), type=sheet
    )

    with pytest.raises(ln.errors.InvalidArgument, match="NUL character"):
        batch.save()  # the third row fails after the first two were inserted
    assert ln.Record.filter(type=sheet).count() == 0
    assert ln.Record.filter(name="first").count() == 0
    assert all(record.id is None for record in batch.records())

    batch.records()[2].name = "third"
    saved = batch.save()
    assert [record.name for record in saved] == ["first", "second", "third"]
    assert ln.Record.filter(type=sheet).count() == 3
    assert ln.Record.get(name="second").features.get_values() == {"score": 2.0}
    assert ln.Record.get(name="third").features.get_values() == {"score": 3.0}
