"""Schemas (index, optional features, slots, describe) and curators of their slots."""

from __future__ import annotations

import json

import anndata as ad
import numpy as np
import pandas as pd
import pytest

import lamin_kernel as ln


def test_index_optionals_members_and_describe(instance: dict) -> None:
    a = ln.Feature(name="a", dtype=int).save()
    b = ln.Feature(name="b", dtype=str).save()
    sample = ln.Feature(name="sample", dtype=str).save()
    schema = ln.Schema([a, b.with_config(optional=True)], index=sample, name="samples").save()
    assert schema.n_members == 3 and schema.index == sample
    assert schema.members.to_list("name") == ["sample", "a", "b"]  # index first
    assert schema.optionals.get().to_list("name") == ["b"]
    again = ln.Schema([a, b.with_config(optional=True)], index=sample, name="samples")
    assert again.id == schema.id  # same content: the saved schema
    assert ln.Schema([a, b], index=sample).id != schema.id  # b required: another schema
    text = schema.describe(return_str=True)
    assert text.startswith("Schema: samples\n├── uid: ")
    assert "└── Features (3 including index: sample)" in text
    assert "    └── name    dtype  optional  nullable  coerce  default_value" in text
    assert "        b       str    ✓         ✓         ✗       unset" in text
    old_hash = schema.hash
    schema.optionals.remove(b)
    assert schema.optionals.get().count() == 0 and schema.hash != old_hash
    with pytest.raises(ln.errors.InvalidArgument, match="not members"):
        schema.optionals.add(ln.Feature(name="c", dtype=int).save())


def test_dataframe_curator_messages(instance: dict, capsys: pytest.CaptureFixture) -> None:
    count = ln.Feature(name="count", dtype=int, nullable=False).save()
    ratio = ln.Feature(name="ratio", dtype=float).save()
    note = ln.Feature(name="note", dtype=str).save()
    schema = ln.Schema([count, ratio, note], name="table").save()
    df = pd.DataFrame({"count": [1, None], "ratio": ["a", "b"]})
    curator = ln.curators.DataFrameCurator(df, schema)
    assert repr(curator) == "DataFrameCurator(Schema: table, unvalidated)"
    with pytest.raises(ln.errors.ValidationError, match="Please run validate"):
        _ = curator.cat.non_validated
    with pytest.raises(ln.errors.ValidationError) as raised:
        curator.validate()
    errors = json.loads(str(raised.value).split("   ▶")[0])["SCHEMA"]
    assert errors["COLUMN_NOT_IN_DATAFRAME"][0]["error"] == (
        "column 'note' not in dataframe. Columns in dataframe: ['count', 'ratio']"
    )
    assert "non-nullable series 'count' contains null values" in str(raised.value)
    wrong = {e["column"]: e["error"] for e in errors["WRONG_DATATYPE"]}
    assert wrong == {
        "count": "expected series 'count' to have type int, got float64",
        "ratio": "expected series 'ratio' to have type float, got object",
    }
    good = pd.DataFrame({"count": [1, 2], "ratio": [0.5, 1.5], "note": ["x", "y"]})
    curator = ln.curators.DataFrameCurator(good, schema)
    curator.validate()
    assert repr(curator) == "DataFrameCurator(Schema: table, validated)"
    artifact = curator.save_artifact(key="table.parquet")
    assert artifact.schema == schema and artifact.features.slots == {"columns": schema}
    ints_as_floats = good.assign(count=[1.0, 2.0])
    with pytest.raises(ln.errors.ValidationError, match="got float64"):
        ln.curators.DataFrameCurator(ints_as_floats, schema).validate()
    count.coerce = True
    count.save()
    ln.curators.DataFrameCurator(ints_as_floats, schema).validate()  # whole numbers coerce


def dtype_errors(df: pd.DataFrame, schema: ln.Schema) -> tuple[dict, str]:
    with pytest.raises(ln.errors.ValidationError) as raised:
        ln.curators.DataFrameCurator(df, schema).validate()
    text = str(raised.value)
    return json.loads(text.split("   ▶")[0]), text


def test_dtype_errors_take_lamindbs_layout_per_dtype(instance: dict) -> None:
    # str, num, bool and lists fail a dtype check function (a DATA error, no coerce hint)
    for name, dtype, values, got in [
        ("label", str, [1, 2], "int64"),
        ("amount", "num", ["a", "b"], "object"),
        ("flag", bool, [1, 0], "int64"),
        ("words", list[str], ["a", "b"], "object"),
    ]:
        feature = ln.Feature(name=name, dtype=dtype).save()
        errors, text = dtype_errors(pd.DataFrame({name: values}), ln.Schema([feature]).save())
        (check,) = errors["DATA"]["DATAFRAME_CHECK"]
        expected = f"Column '{name}' failed dtype check for '{feature.dtype}': got {got}"
        assert check["check"] == expected
        assert check["error"] == (
            f"Column '{name}' failed series or dataframe validator 0: <Check check_function: "
            f"{expected}>"
        )
        assert "SCHEMA" not in errors and "Hint" not in text
    # dict: the column's dtype and its values, both reported
    meta = ln.Feature(name="meta", dtype=dict).save()
    errors, text = dtype_errors(pd.DataFrame({"meta": [1, 2]}), ln.Schema([meta]).save())
    assert errors["SCHEMA"]["WRONG_DATATYPE"][0]["check"] == "dtype('object')"
    assert errors["DATA"]["DATAFRAME_CHECK"][0]["check"] == (
        "Non-null values must be dicts or strings representing dicts"
    )
    assert "Consider setting `feature.coerce = True`" in text
    dicts = pd.DataFrame({"meta": [{"a": 1}, "{'b': 2}", None]})  # dict literals pass
    ln.curators.DataFrameCurator(dicts, ln.Schema([meta]).save()).validate()
    # datetime: pandas' dtype name
    when = ln.Feature(name="when", dtype="datetime").save()
    errors, _ = dtype_errors(pd.DataFrame({"when": ["x", "y"]}), ln.Schema([when]).save())
    assert errors["SCHEMA"]["WRONG_DATATYPE"][0]["error"] == (
        "expected series 'when' to have type datetime64[ns], got object"
    )
    # an int index: its dtype, as for an int column
    position = ln.Feature(name="position", dtype=int).save()
    errors, _ = dtype_errors(
        pd.DataFrame({"x": [1]}, index=["a"]), ln.Schema(index=position).save()
    )
    assert errors["SCHEMA"]["WRONG_DATATYPE"] == [
        {
            "schema": None,
            "column": None,
            "check": "dtype('int')",
            "error": "expected series 'None' to have type int, got object",
        }
    ]


def test_curating_a_saved_artifact_annotates_it(instance: dict) -> None:
    kind = ln.ULabel(name="Perturbation", is_type=True).save()
    ln.ULabel(name="DMSO", type=kind).save()
    perturbation = ln.Feature(name="perturbation", dtype=kind).save()
    df = pd.DataFrame({"perturbation": pd.Categorical(["DMSO", "DMSO"])})
    artifact = ln.Artifact.from_dataframe(df, key="plain.parquet").save()
    schema = ln.Schema([perturbation], name="perturbed").save()
    saved = ln.curators.DataFrameCurator(artifact, schema).save_artifact()
    assert saved.id == artifact.id and saved.schema == schema
    assert artifact.features.get_values() == {"perturbation": "DMSO"}


def test_dataframe_attrs_and_anndata_uns_slots(instance: dict) -> None:
    temperature = ln.Feature(name="temperature", dtype=float).save()
    study = ln.Feature(name="study", dtype=str).save()
    metadata = ln.Schema([temperature, study], name="study metadata").save()
    columns = ln.Feature(name="value", dtype=int).save()
    frame_schema = ln.Schema([columns], slots={"attrs": metadata}, otype="DataFrame").save()
    df = pd.DataFrame({"value": [1, 2]})
    df.attrs = {"temperature": 21.5, "study": "s1"}
    curator = ln.curators.DataFrameCurator(df, frame_schema)
    assert type(curator.slots["attrs"]).__name__ == "ComponentCurator"
    artifact = curator.save_artifact(key="with_attrs.parquet")
    assert artifact.features.slots["attrs"].features.first() == temperature
    assert artifact.features.slots["attrs"].features.last() == study
    df.attrs = {"temperature": "warm", "study": "s1"}
    with pytest.raises(ln.errors.ValidationError, match="'temperature' to have type float"):
        ln.curators.DataFrameCurator(df, frame_schema).validate()
    bad = ln.Schema([columns], slots={"obsm": metadata}, otype="DataFrame").save()
    with pytest.raises(ValueError, match="Slot 'obsm' is not supported for DataFrameCurator"):
        ln.curators.DataFrameCurator(df, bad)

    uns_schema = ln.Schema(otype="AnnData", slots={"uns:study": metadata}).save()
    adata = ad.AnnData(np.ones((2, 1)), obs=pd.DataFrame(index=["c1", "c2"]))
    adata.uns["study"] = {"temperature": 4.0, "study": "s2"}
    artifact = ln.curators.AnnDataCurator(adata, uns_schema).save_artifact(key="uns.h5ad")
    assert set(artifact.features.slots) == {"uns:study"}
    missing = ln.Schema(otype="AnnData", slots={"uns:nope": metadata}).save()
    with pytest.raises(ln.errors.InvalidArgument, match="requires keys uns\\['nope'\\]"):
        ln.curators.AnnDataCurator(adata, missing)


def test_dataframe_index_is_validated_by_the_index_feature(instance: dict) -> None:
    sample = ln.Feature(name="sample", dtype=str).save()
    schema = ln.Schema(index=sample).save()
    with pytest.raises(ln.errors.ValidationError, match="expected series 'None' to have type str"):
        ln.curators.DataFrameCurator(pd.DataFrame({"x": [1]}, index=[7]), schema).validate()
    ln.curators.DataFrameCurator(pd.DataFrame({"x": [1]}, index=["s1"]), schema).validate()


def test_optional_dataset_types_need_their_package(instance: dict) -> None:
    schema = ln.Schema(otype="MuData", slots={"obs": ln.Schema(itype=ln.Feature).save()}).save()
    pytest.importorskip("pandas")
    try:
        import mudata  # noqa: F401
    except ImportError:
        with pytest.raises(ModuleNotFoundError, match="mudata"):
            ln.curators.MuDataCurator(pd.DataFrame(), schema)
        with pytest.raises(ModuleNotFoundError, match="spatialdata"):
            ln.curators.SpatialDataCurator(pd.DataFrame(), schema)


def test_renaming_a_label_warns_about_curated_datasets(
    instance: dict, capsys: pytest.CaptureFixture
) -> None:
    label = ln.ULabel(name="label1").save()
    ln.Feature(name="kind", dtype=ln.ULabel).save()
    df = pd.DataFrame({"kind": pd.Categorical(["label1"])})
    artifact = ln.Artifact.from_dataframe(df, key="k.parquet", schema="valid_features").save()
    capsys.readouterr()
    label.name = "label-renamed"
    label.save()
    out = capsys.readouterr().out
    assert (
        "by renaming label from 'label1' to 'label-renamed' 1 artifact no longer matches the "
        f"label name in storage: ['{artifact.uid}']" in out
    )
    artifact.delete(permanent=True)  # the label is linked twice (with and without feature)


def test_croissant_metadata_becomes_an_annotated_artifact(
    instance: dict, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    metadata_path, dataset_path = ln.examples.croissant.mini_immuno(n_files=1)
    artifact = ln.integrations.curate_from_croissant(metadata_path)
    assert artifact.description == (
        "Mini immuno dataset - A few samples from the immunology dataset"
    )
    assert (
        artifact.version_tag == "1.0"
        and artifact.projects.all().one().name == "Mini Immuno Project"
    )
    assert artifact.ulabels.all().one().type.name == "License"
    with pytest.raises(ln.errors.InvalidArgument, match="@type must be 'Dataset'"):
        ln.integrations.curate_from_croissant({"@type": "Thing", "name": "x"})
