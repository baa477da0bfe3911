"""Collection(...) as LaminDB 2.12 takes it: meta=, schema=, revises and versions by key,
append(), data_artifact and meta_artifact, version, skip_hash_lookup."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import errors


def frames(n: int) -> list:
    return [
        ln.Artifact.from_dataframe(pd.DataFrame({"x": [i]}), key=f"part{i}.parquet").save()
        for i in range(n)
    ]


def test_meta_data_artifact_and_version(instance: dict) -> None:
    data, meta = frames(2)
    collection = ln.Collection(data, key="pair", meta=meta, description="a pair").save()
    assert collection.data_artifact.id == data.id
    assert collection.meta_artifact.id == meta.id
    assert collection.version == collection.uid[-4:] == "0000"
    tagged = ln.Collection(meta, key="tagged", version="v1").save()
    assert tagged.version == "v1" and collection.name == "pair"


def test_append_makes_the_next_version(instance: dict) -> None:
    a, b = frames(2)
    v1 = ln.Collection([a], key="growing", description="grows").save()
    v2 = v1.append(b).save()
    assert v2.uid[:16] == v1.uid[:16] and v2.version == "0001"
    assert [x.id for x in v2.ordered_artifacts] == [a.id, b.id]
    assert v2.description == "grows" and v2.key == "growing"
    assert ln.Collection.get(key="growing").id == v2.id
    assert not ln.Collection.get(v1.uid).is_latest
    assert [c.id for c in v2.versions] == [v2.id, v1.id]


def test_same_key_new_members_is_a_new_version(instance: dict) -> None:
    a, b = frames(2)
    v1 = ln.Collection([a], key="by-key").save()
    v2 = ln.Collection([a, b], key="by-key").save()
    assert v2.uid[:16] == v1.uid[:16] and v2.is_latest


def test_same_members_return_the_saved_collection_unless_asked(instance: dict) -> None:
    (a,) = frames(1)
    first = ln.Collection([a], key="c1").save()
    assert ln.Collection([a], key="c1") is first
    second = ln.Collection([a], key="c2", skip_hash_lookup=True).save()
    assert second.id != first.id


def test_schema_must_be_shared_by_the_members(instance: dict) -> None:
    ln.Feature(name="x", dtype=int).save()
    schema = ln.Schema(name="xs", features=[ln.Feature.get(name="x")]).save()
    validated = ln.Artifact.from_dataframe(
        pd.DataFrame({"x": [1]}), key="v.parquet", schema=schema
    ).save()
    collection = ln.Collection([validated], key="checked", schema=schema).save()
    assert collection.schema.id == schema.id
    (plain,) = frames(1)
    with pytest.raises(errors.ValidationError, match="do not match the collection schema"):
        ln.Collection([validated, plain], key="mixed", schema=schema)
    assert ln.Collection.filter(key="mixed").count() == 0


def test_bad_arguments(instance: dict) -> None:
    (a,) = frames(1)
    with pytest.raises(errors.FieldValidationError, match=r"you passed: \{'colour': 'red'\}"):
        ln.Collection([a], key="x", colour="red")
    unsaved = ln.Artifact.from_dataframe(pd.DataFrame({"x": [9]}), key="u.parquet")
    with pytest.raises(errors.InvalidArgument, match="Save meta_artifact"):
        ln.Collection([a], key="x", meta=unsaved)
    with pytest.raises(errors.InvalidArgument, match="has to be an Artifact"):
        ln.Collection([a], key="x", meta="not an artifact")
    assert ln.Collection.filter().count() == 0
