"""Feature values on artifacts, runs, records and collections: one manager, one query path."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import models
from lamin_kernel.query.queryset import QuerySet


def artifact(key: str = "a.parquet", value: int = 1) -> ln.Artifact:
    return ln.Artifact.from_dataframe(pd.DataFrame({"a": [value]}), key=key).save()


def define() -> dict:
    kind = ln.ULabel(name="Perturbation", is_type=True).save()
    for name in ("DMSO", "IFNG"):
        ln.ULabel(name=name, type=kind).save()
    return {
        "temperature": ln.Feature(name="temperature", dtype=float).save(),
        "perturbation": ln.Feature(name="perturbation", dtype=kind).save(),
        "tags": ln.Feature(name="tags", dtype=list[str]).save(),
        "day": ln.Feature(name="day", dtype=dt.date, coerce=True).save(),
        "kind": kind,
    }


def link_counts() -> dict[str, int]:
    names = ("RunJsonValue", "RecordJson", "RecordULabel", "CollectionJsonValue", "RunULabel")
    return {n: QuerySet(getattr(models, n)).count() for n in names}


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_runs_records_and_collections_carry_values(instance: dict) -> None:
    define()
    transform = ln.Transform(key="pipeline.py", kind="script").save()
    run = ln.Run(transform=transform).save()
    run.features.add_values({"temperature": 21.5, "perturbation": "DMSO"})
    assert run.features.get_values() == {"perturbation": "DMSO", "temperature": 21.5}
    assert ln.Run.filter(temperature__gt=20).one().id == run.id
    assert ln.Run.filter(perturbation="DMSO").one().id == run.id

    record = ln.Record(name="sample1", features={"temperature": 4.0, "day": "2024-05-01"})
    assert record.id is None  # values wait for the record's row
    record.save()
    assert record.features.get_values() == {"day": dt.date(2024, 5, 1), "temperature": 4.0}
    assert QuerySet(models.RecordJson).filter(record_id=record.id).count() == 2
    assert ln.Record.filter(day__lt="2024-06-01").one().id == record.id
    with pytest.raises(ln.errors.ValidationError, match="Use set_values"):
        record.features.add_values({"temperature": 5.0})  # a record has one value per feature
    record.features.set_values({"temperature": 5.0, "perturbation": "IFNG"})
    assert record.features.get_values() == {"perturbation": "IFNG", "temperature": 5.0}

    collection = ln.Collection([artifact()], key="my-collection").save()
    collection.features.add_values({"tags": ["x", "y"]})
    assert collection.features.get_values() == {"tags": ["x", "y"]}
    assert "Features" in collection.describe(return_str=True)
    run.features.remove_values()
    assert run.features.get_values() == {}
    assert link_counts()["RunJsonValue"] == 0


def test_values_read_back_as_lamindb_returns_them(instance: dict) -> None:
    features = define()
    a = artifact()
    a.features.add_values(
        {
            features["temperature"]: 3.5,  # a Feature object as a key
            "perturbation": ["DMSO", "IFNG"],
            "tags": ["x", "y"],
            "day": dt.date(2024, 1, 2),
        }
    )
    values = a.features.get_values()
    assert values == {
        "perturbation": {"DMSO", "IFNG"},  # several labels of a to-one feature: a set
        "day": dt.date(2024, 1, 2),
        "tags": ["x", "y"],
        "temperature": 3.5,
    }
    assert list(values) == ["perturbation", "day", "tags", "temperature"]
    assert {r.name for r in a.features["perturbation"]} == {"DMSO", "IFNG"}
    assert a.features["temperature"] == 3.5
    a.features.add_values({"temperature": 4.5})
    assert a.features.get_values()["temperature"] == {3.5, 4.5}
    a.features.remove_values("temperature", value=3.5)
    assert a.features.get_values()["temperature"] == 4.5
    tree = a.features.describe(return_str=True)
    assert tree.startswith("Artifact: a.parquet (0000)\n└── Features\n")
    assert "    └── perturbation        ULabel[Perturbation]     DMSO, IFNG" in tree
    assert "        day                 date                     2024-01-02" in tree
    df = ln.Artifact.filter(id=a.id).to_dataframe(features=["temperature"])
    assert list(df.columns) == ["uid", "key", "temperature"]


def test_feature_predicates_filter_like_keywords(instance: dict) -> None:
    features = define()
    warm, cold, bare = (
        artifact("warm.parquet", 1),
        artifact("cold.parquet", 2),
        artifact("b.parquet", 3),
    )
    warm.features.set_values({"temperature": 22.5, "perturbation": "DMSO"})
    cold.features.set_values({"temperature": 4.0, "perturbation": "IFNG"})
    temperature, perturbation = features["temperature"], features["perturbation"]
    assert ln.Artifact.filter(temperature > 20).one().id == warm.id
    assert ln.Artifact.filter(temperature <= 4).one().id == cold.id
    assert ln.Artifact.filter(perturbation == "DMSO", temperature > 1).one().id == warm.id
    assert {a.id for a in ln.Artifact.filter(temperature != 4.0)} == {warm.id}
    assert ln.Artifact.filter(temperature.is_null()).one().id == bare.id
    assert ln.Artifact.filter(temperature.is_null(False)).count() == 2
    assert ln.Artifact.filter(perturbation == ln.ULabel.get(name="IFNG")).one().id == cold.id
    assert ln.Artifact.filter(perturbation__contains="MS").one().id == warm.id
    assert (temperature == temperature) is True and (temperature == warm) is False
    with pytest.raises(TypeError, match="cannot be used as booleans"):
        bool(temperature > 1)
    with pytest.raises(TypeError, match="expects a bool"):
        temperature.is_null("no")
    with pytest.raises(ln.errors.DoesNotExist, match="Did not find a ULabel"):
        ln.Artifact.filter(perturbation="DMS0")


def test_range_queries_read_the_number_index(instance: dict) -> None:
    features = define()
    artifact().features.add_values({"temperature": 1.0})
    from lamin_kernel.setup.session import read_session

    query = ln.Artifact.filter(features["temperature"] > 0.5).statement()
    equality = ln.Artifact.filter(perturbation="DMSO").statement()
    with read_session() as session:
        sql = str(query.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r) for r in session.execute(ln_text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "ix_lk_jsonvalue_feature_number" in plan
        sql = str(equality.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r) for r in session.execute(ln_text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_lk_artifact_ulabel_feature_id" in plan or "ix_lk_artifact_ulabel_ulabel_id" in plan


def ln_text(sql: str):  # noqa: ANN201 - a SQLAlchemy text clause
    from sqlalchemy import text

    return text(sql)


def test_categorical_values_of_users_runs_and_artifacts(instance: dict) -> None:
    owner, value = artifact("owner.parquet", 1), artifact("value.parquet", 2)
    transform = ln.Transform(key="t.py", kind="script").save()
    run = ln.Run(transform=transform).save()
    ln.Feature(name="curator", dtype=ln.User).save()
    ln.Feature(name="input", dtype=ln.Artifact).save()
    ln.Feature(name="made_by", dtype=ln.Run.uid).save()
    handle = ln.User.filter().first().handle
    owner.features.add_values({"curator": handle, "input": "value.parquet", "made_by": run.uid})
    assert owner.features.get_values() == {
        "curator": handle,
        "input": "value.parquet",
        "made_by": run.uid,
    }
    assert owner.features["input"].id == value.id
    assert ln.Artifact.filter(input="value.parquet").one().id == owner.id
    assert QuerySet(models.ArtifactArtifact).filter(artifact_id=owner.id).count() == 1


def test_same_name_rule_and_feature_types(instance: dict) -> None:
    ln.Feature(name="score", dtype=int).save()
    with pytest.raises(
        ln.errors.ValidationError, match="Feature score already exists with dtype int, you passed"
    ):
        ln.Feature(name="score", dtype=float)
    lab_a = ln.Feature(name="LabA", is_type=True).save()
    lab_b = ln.Feature(name="LabB", is_type=True).save()
    in_a = ln.Feature(name="sample_name", dtype=str, type=lab_a).save()
    in_b = ln.Feature(name="sample_name", dtype=str, type=lab_b).save()
    assert in_a.id != in_b.id and ln.Feature(name="sample_name", dtype=str, type=lab_a) is in_a
    assert {f.name for f in lab_a.query_features()} == {"sample_name"}
    a = artifact()
    with pytest.raises(
        ln.errors.ValidationError, match="Ambiguous match for Feature 'sample_name'"
    ):
        a.features.add_values({"sample_name": "s1"})
    a.features.add_values({"sample_name": "s1"}, schema=ln.Schema([in_b]).save())
    assert a.features[in_b] == "s1" and ln.Artifact.filter(in_b == "s1").count() == 1
    assert ln.Artifact.filter(in_a == "s1").count() == 0
    with pytest.raises(ln.errors.InvalidArgument, match="must be a Feature with is_type=True"):
        ln.Feature(name="x", dtype=int, type=ln.ULabel(name="T", is_type=True).save())


def test_bad_values_write_nothing(instance: dict) -> None:
    define()
    a = artifact()
    a.features.add_values({"temperature": 1.0})
    before = link_counts() | {"json": ln.JsonValue.filter().count()}
    cases = [
        ({"temperature": "warm"}, "expected series 'temperature' to have type float"),
        ({"temperature": 2.0, "perturbation": "DMSO!"}, "1 term not validated"),
        ({"unknown": 3}, "These keys could not be validated: \\['unknown'\\]"),
        ({"day": "Monday"}, "WRONG_DATATYPE"),
        ({"tags": "x"}, "failed dtype check for 'list\\[str\\]'"),
        ({"perturbation": ln.ULabel(name="unsaved")}, "ULabel unsaved is not saved"),
    ]
    for values, message in cases:
        with pytest.raises(ln.errors.ValidationError, match=message):
            a.features.add_values(values)
    with pytest.raises(TypeError, match="identifiers are 'numeric'"):
        a.features.add_values({"perturbation": 3})
    assert link_counts() | {"json": ln.JsonValue.filter().count()} == before
    assert a.features.get_values() == {"temperature": 1.0}
    with pytest.raises(ln.errors.ValidationError, match="These keys could not be validated"):
        ln.Record(name="r", features={"nope": 1})  # refused before anything is saved
    assert ln.Record.filter(name="r").count() == 0
    unsaved = ln.Artifact.from_dataframe(pd.DataFrame({"z": [9]}), key="z.parquet")
    with pytest.raises(ln.errors.InvalidArgument, match="save the artifact"):
        unsaved.features.add_values({"temperature": 1.0})


def test_cat_filters_narrow_the_valid_values(instance: dict) -> None:
    feature = ln.Feature(name="column_a", dtype=str).save()
    required = ln.Schema([feature], name="needs column_a").save()
    ln.Feature(name="input", dtype=ln.Artifact, cat_filters={"schema": required}).save()
    assert ln.Feature.get(name="input").dtype == f"cat[Artifact[schema__uid={required.uid}]]"
    plain, validated = artifact("plain.parquet", 1), artifact("validated.parquet", 2)
    validated.schema_id = required.id
    validated.save()
    container = artifact("container.parquet", 3)
    with pytest.raises(ln.errors.ValidationError, match="1 term not validated in feature 'input'"):
        container.features.add_values({"input": plain.key})
    container.features.add_values({"input": validated.key})
    assert container.features["input"].id == validated.id
    with pytest.raises(ln.errors.ValidationError, match="incompatible with union dtypes"):
        ln.Feature(name="u", dtype=[ln.ULabel, ln.Record], cat_filters={"is_type": False})


def test_features_from_dicts_and_frames_and_queries_on_features(instance: dict) -> None:
    made = ln.Feature.from_dict({"count": 3, "ratio": 0.5, "note": "x", "when": "2024-01-02"})
    assert [(f.name, f.dtype) for f in made] == [
        ("count", "int"),
        ("ratio", "float"),
        ("note", "str"),
        ("when", "date"),
    ]
    assert all(f.id is None for f in made)  # not saved yet
    ln.save(made)
    frame = pd.DataFrame({"flag": [True], "kind": pd.Categorical(["a"])})
    assert [f.dtype for f in ln.Feature.from_dataframe(frame)] == ["bool", "cat[ULabel]"]
    assert ln.Feature.filter(dtype_as_str="int").one().name == "count"
    assert ln.Feature.filter(dtype="float").one().name == "ratio"
    a, b = artifact("a.parquet", 1), artifact("b.parquet", 2)
    a.features.add_values({"count": 1})
    assert ln.Artifact.filter(features__name="count").one().id == a.id
    assert ln.Artifact.filter(features__name__startswith="rat").count() == 0
    assert b.id not in {x.id for x in ln.Artifact.filter(features__name="count")}


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_lookups_on_one_feature_may_meet_different_values(instance: dict) -> None:
    define()
    both = artifact("both.parquet", 1)
    both.features.add_values({"temperature": 10.0})
    both.features.add_values({"temperature": 30.0})
    middle = artifact("middle.parquet", 2)
    middle.features.add_values({"temperature": 20.0})
    # as in LaminDB, each lookup is its own condition: one value above 15, one below 25
    found = ln.Artifact.filter(temperature__gt=15, temperature__lt=25)
    assert {a.key for a in found} == {"both.parquet", "middle.parquet"}
    chained = ln.Artifact.filter(temperature__gt=15).filter(temperature__lt=25)
    assert {a.key for a in chained} == {"both.parquet", "middle.parquet"}
    assert ln.Artifact.filter(temperature__gt=35, temperature__lt=25).count() == 0
