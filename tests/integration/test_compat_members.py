"""Members of LaminDB 2.12's registries: `Schema.from_values(...)` (a schema from the values
that name its features), `JsonValue.get_or_create`, `run.initiated_runs`."""

from __future__ import annotations

import pytest

import lamin_kernel as ln


def test_schema_from_values_builds_a_schema_of_the_named_features(instance: dict) -> None:
    ln.Feature(name="age", dtype=int).save()
    ln.Feature(name="tissue", dtype=str).save()
    schema = ln.Schema.from_values(["age", "tissue"], ln.Feature.name, name="donor")
    assert schema.name == "donor"
    assert sorted(schema.members.to_list("name")) == ["age", "tissue"]
    schema.save()
    assert ln.Schema.get(name="donor").id == schema.id


def test_schema_from_values_refuses_or_drops_unknown_values(instance: dict) -> None:
    ln.Feature(name="age", dtype=int).save()
    before = ln.Schema.filter().count()
    with pytest.raises(ln.errors.ValidationError, match=r"could not be validated: \['height'\]"):
        ln.Schema.from_values(["age", "height"])
    assert ln.Schema.filter().count() == before  # nothing was made
    partial = ln.Schema.from_values(["age", "height"], raise_validation_error=False)
    assert partial.members.to_list("name") == ["age"]
    assert ln.Schema.from_values(["height"], raise_validation_error=False) is None
    with pytest.raises(TypeError, match="must be a SQLRecord field"):
        ln.Schema.from_values(["age"], field="name")


def test_schema_from_values_of_another_registry_is_numeric(instance: dict) -> None:
    ln.ULabel(name="marker-a").save()
    schema = ln.Schema.from_values(["marker-a"], ln.ULabel.name)
    assert schema.itype == "ULabel" and schema.dtype == "num"
    assert ln.Schema.from_values(["marker-a"], ln.ULabel.name, dtype="int").dtype == "int"


def test_json_value_get_or_create_finds_the_same_value(instance: dict) -> None:
    feature = ln.Feature(name="temperature", dtype=float).save()
    made, existed = ln.JsonValue.get_or_create(feature, 37.5)
    assert existed is False and made.id is not None and made.value == 37.5
    again, existed = ln.JsonValue.get_or_create(feature, 37.5)
    assert existed is True and again.id == made.id
    other, existed = ln.JsonValue.get_or_create(feature, 38.0)
    assert existed is False and other.id != made.id
    with pytest.raises(ln.errors.InvalidArgument, match="saved Feature"):
        ln.JsonValue.get_or_create(ln.Feature(name="unsaved", dtype=int), 1)


def test_initiated_runs_are_the_runs_a_run_started(instance: dict) -> None:
    transform = ln.Transform(key="pipeline").save()
    parent = ln.Run(transform).save()
    children = [ln.Run(transform, initiated_by_run=parent).save() for _ in range(2)]
    ln.Run(transform).save()  # started by nobody
    assert sorted(parent.initiated_runs.to_list("id")) == sorted(c.id for c in children)
    assert children[0].initiated_runs.count() == 0


def test_to_dataframe_without_record_metadata(instance: dict) -> None:
    ln.Feature(name="score", dtype=float).save()
    sample = ln.Record(name="Sample", is_type=True).save()
    first = ln.Record(name="s1", type=sample).save()
    first.features.set_values({"score": 1.5})
    records = ln.Record.filter(type=sample)
    with_metadata = records.to_dataframe(features=["score"])
    assert with_metadata.index.name == "id" and "uid" in with_metadata.columns
    bare = records.to_dataframe(features=["score"], record_metadata=False)
    assert bare.to_dict("records") == [{"name": "s1", "score": 1.5}]
    plain = records.to_dataframe(record_metadata=False)
    assert plain.index.name is None and plain["id"].tolist() == [first.id]
