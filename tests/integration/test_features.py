"""ULabel types, Feature dtypes, feature values on artifacts, queries by feature."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel.curation.reports import list_reports


def small_df() -> pd.DataFrame:
    return pd.DataFrame({"a": [1, 2, 3]})


def saved_artifact(key: str = "my_datasets/rnaseq1.parquet") -> ln.Artifact:
    return ln.Artifact.from_dataframe(small_df(), key=key).save()


def row_counts() -> dict[str, int]:
    names = ("Artifact", "ULabel", "Feature", "Schema", "JsonValue")
    counts = {n: getattr(ln, n).filter().count() for n in names}
    links = ("ArtifactULabel", "ArtifactJsonValue", "ArtifactSchema", "SchemaFeature")
    from lamin_kernel import models
    from lamin_kernel.query.queryset import QuerySet

    counts |= {n: QuerySet(getattr(models, n)).count() for n in links}
    return counts


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_tutorial_annotate_with_features(instance: dict, capsys: pytest.CaptureFixture) -> None:
    artifact = saved_artifact()
    my_experiment = ln.ULabel(name="My experiment").save()
    artifact.ulabels.add(my_experiment)
    ln.Feature(name="temperature", dtype=float).save()
    ln.Feature(name="experiment", dtype=ln.ULabel).save()
    artifact.features.add_values({"temperature": 21.6, "experiment": "My experiment"})
    text = artifact.describe(return_str=True)
    assert "├── Features" in text
    assert (
        "experiment                     ULabel                               My experiment" in text
    )
    assert "temperature                    float                                21.6" in text
    assert "Labels" in text and ".ulabels" in text
    assert artifact.features.get_values() == {"experiment": "My experiment", "temperature": 21.6}

    assert list(ln.Artifact.filter(temperature=21.6).to_dataframe()["uid"]) == [artifact.uid]
    assert ln.Artifact.filter(temperature__gt=20).count() == 1
    assert ln.Artifact.filter(temperature__lt=20).count() == 0
    assert ln.Artifact.filter(temperature__in=[1.0, 21.6]).count() == 1
    assert ln.Artifact.filter(experiment="My experiment").count() == 1
    assert ln.Artifact.filter(experiment__icontains="experim").count() == 1
    assert ln.Artifact.filter(experiment=my_experiment).count() == 1
    with pytest.raises(ln.errors.DoesNotExist, match="Did not find a ULabel matching `name=Other`"):
        ln.Artifact.filter(experiment="Other")  # a label that does not exist is a typo
    assert ln.Artifact.filter(temperature__isnull=True).count() == 0

    artifact.features.remove_values(["temperature", "experiment"])
    assert artifact.features.get_values() == {}
    assert ln.Artifact.filter(temperature=21.6).count() == 0
    assert artifact.ulabels.all().count() == 1  # the link without a feature stays
    capsys.readouterr()
    ln.Feature.get(name="temperature").delete()
    ln.Feature.get(name="experiment").delete()
    out = capsys.readouterr().out
    assert "moved record to trash: Feature(" in out and "name='temperature'" in out
    assert ln.Feature.filter(name="temperature").count() == 0


def test_feature_values_dedupe_and_lists(instance: dict) -> None:
    a1, a2 = (
        saved_artifact("a.parquet"),
        ln.Artifact.from_dataframe(pd.DataFrame({"b": [1]}), key="b.parquet").save(),
    )
    ln.Feature(name="temperature", dtype=float).save()
    ln.Feature(name="tags", dtype="list[str]").save()
    ln.Feature(name="meta", dtype=dict).save()
    a1.features.add_values({"temperature": 21.6, "tags": ["x", "y"], "meta": {"k": 1}})
    a2.features.add_values({"temperature": 21.6})
    assert ln.JsonValue.filter(feature__name="temperature").count() == 1  # shared row
    assert ln.Artifact.filter(temperature=21.6).count() == 2
    assert a1.features.get_values()["tags"] == ["x", "y"]
    assert a1.features.get_values()["meta"] == {"k": 1}
    a2.features.add_values({"temperature": 30})
    assert a2.features.get_values()["temperature"] == {21.6, 30.0}  # an aggregation
    a2.features.remove_values("temperature", value=30)
    assert a2.features.get_values() == {"temperature": 21.6}


def test_ulabel_types_and_typed_features(instance: dict) -> None:
    perturbation = ln.ULabel(name="Perturbation", is_type=True).save()
    dmso = ln.ULabel(name="DMSO", type=perturbation).save()
    ln.ULabel(name="IFNG", type=perturbation).save()
    other = ln.ULabel(name="Other").save()
    assert [r.name for r in ln.ULabel.filter(type=perturbation).order_by("name")] == [
        "DMSO",
        "IFNG",
    ]
    feature = ln.Feature(name="perturbation", dtype=perturbation).save()
    assert feature.dtype == f"cat[ULabel[{perturbation.uid}]]"  # types are stored by uid
    assert feature.dtype_with_names == "cat[ULabel[Perturbation]]"
    assert ln.Feature(name="p2", dtype="cat[ULabel[Perturbation]]").dtype == feature.dtype
    artifact = saved_artifact()
    artifact.features.add_values({"perturbation": ["DMSO", "IFNG"]})
    assert artifact.features.get_values() == {"perturbation": {"DMSO", "IFNG"}}
    assert ln.Artifact.filter(perturbation=dmso).count() == 1
    with pytest.raises(ln.errors.ValidationError, match="not a valid value of feature"):
        artifact.features.add_values({"perturbation": other})
    with pytest.raises(ln.errors.ValidationError, match="'Other'"):
        artifact.features.add_values({"perturbation": "Other"})  # not a Perturbation
    with pytest.raises(ln.errors.ValidationError, match="not a valid value of feature"):
        artifact.features.add_values({"perturbation": perturbation})  # a type, not a label


def test_feature_bad_input_is_refused_and_nothing_saved(instance: dict) -> None:
    artifact = saved_artifact()
    ln.Feature(name="temperature", dtype=float, nullable=False).save()
    ln.Feature(name="experiment", dtype=ln.ULabel).save()
    ln.ULabel(name="My experiment").save()
    before = row_counts()
    bad_features = [
        (dict(name="x", dtype="flaot"), "unknown dtype 'flaot'"),
        (dict(name="x", dtype="cat[Foo]"), "'Foo' is an invalid dtype, has to be registry"),
        (dict(name="x", dtype="cat[bionty.NoSuchThing]"), "bionty.NoSuchThing"),
        (dict(name="x", dtype="cat[ULabel[Nope]]"), "no ULabel type 'Nope'"),
        (dict(name="x", dtype="cat[ULabel.nofield]"), "has no field 'nofield'"),
        (dict(name="x", dtype=int, default_value="a"), "not an integer"),
    ]
    for kwargs, message in bad_features:
        with pytest.raises(ln.errors.InvalidArgument, match=message.replace("[", r"\[")):
            ln.Feature(**kwargs)
    with pytest.raises(ln.errors.ValidationError, match="Please pass dtype"):
        ln.Feature(name="x")
    with pytest.raises(
        ln.errors.ValidationError,
        match="Feature temperature already exists with dtype float, you passed int",
    ):
        ln.Feature(name="temperature", dtype=int)
    bad_values = [
        ({"temperature": "hot"}, "expected series 'temperature' to have type float, got object"),
        ({"experiment": "My experimnt"}, "not validated in feature 'experiment': 'My experimnt'"),
        ({"unknown_feature": 1}, "could not be validated: \\['unknown_feature'\\]"),
        # one good value and one bad: nothing of either is written
        ({"experiment": "My experiment", "temperature": "x"}, "'temperature'"),
    ]
    for values, message in bad_values:
        with pytest.raises(ln.errors.ValidationError, match=message):
            artifact.features.add_values(values)
    assert row_counts() == before
    unsaved = ln.Artifact.from_dataframe(pd.DataFrame({"z": [9]}), key="z.parquet")
    with pytest.raises(ln.errors.InvalidArgument, match="save the artifact"):
        unsaved.features.add_values({"temperature": 1.0})
    with pytest.raises(
        ln.errors.FieldValidationError, match="Or fix invalid feature names: temprature"
    ):
        ln.Artifact.filter(temprature=1)
    with pytest.raises(ln.errors.FieldValidationError, match="is not a number"):
        ln.Artifact.filter(temperature="warm")


def test_to_dataframe_include_features(instance: dict, capsys: pytest.CaptureFixture) -> None:
    first = saved_artifact("a.parquet")
    second = ln.Artifact.from_dataframe(pd.DataFrame({"b": [1]}), key="b.parquet").save()
    ln.ULabel(name="DMSO").save()
    ln.ULabel(name="IFNG").save()
    ln.Feature(name="perturbation", dtype=ln.ULabel).save()
    ln.Feature(name="donor", dtype=str).save()
    ln.Feature(name="unused", dtype=int).save()
    second.features.add_values({"perturbation": ["DMSO", "IFNG"], "donor": "D1"})
    capsys.readouterr()
    df = ln.Artifact.to_dataframe(include="features")
    out = capsys.readouterr().out
    assert "queried for all feature values of 2 features: ['perturbation', 'donor']" in out
    assert list(df.columns) == ["uid", "key", "perturbation", "donor"]
    assert list(df.index) == [second.id, first.id]
    assert df.loc[second.id, "perturbation"] == {"DMSO", "IFNG"}
    assert df.loc[second.id, "donor"] == "D1"
    assert pd.isna(df.loc[first.id, "perturbation"])
    assert len(ln.Artifact.to_dataframe()) == 2  # plain DataFrame unchanged
    assert list_reports() == []  # annotating by hand is no validation


def test_queryset_to_dataframe_include_features(instance: dict) -> None:
    first = saved_artifact("a.parquet")
    second = ln.Artifact.from_dataframe(pd.DataFrame({"b": [1]}), key="b.parquet").save()
    ln.ULabel(name="DMSO").save()
    ln.Feature(name="perturbation", dtype=ln.ULabel).save()
    ln.Feature(name="donor", dtype=str).save()
    second.features.add_values({"perturbation": ["DMSO"], "donor": "D2"})
    first.features.add_values({"donor": "D1"})
    df = ln.Artifact.filter(key="b.parquet").to_dataframe(include="features")
    assert list(df.columns) == ["uid", "key", "perturbation", "donor"]
    assert list(df.index) == [second.id]
    assert df.loc[second.id, "perturbation"] == "DMSO"  # one label: the label itself
    only_first = ln.Artifact.filter(donor="D1").to_dataframe(include="features")
    assert list(only_first.columns) == ["uid", "key", "donor"]  # features without values left out
    assert only_first.loc[first.id, "donor"] == "D1"
    both = ln.Artifact.filter().order_by("id").to_dataframe(include=["features", "ulabels__name"])
    assert list(both.index) == [first.id, second.id]
    assert both.loc[second.id, "ulabels__name"] == {"DMSO"}
    with pytest.raises(ln.errors.InvalidArgument, match="include='feature'"):
        ln.Artifact.filter().to_dataframe(include="feature")
    assert list(ln.ULabel.filter().to_dataframe(include="artifacts__key")["artifacts__key"]) == [
        {"b.parquet"}
    ]
