"""Schema types (is_type=True) group schemas; a schema knows its composites and the
artifacts and collections it validated."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_schema_types_group_schemas(instance: dict) -> None:
    panels = ln.Schema(name="Panels", is_type=True).save()
    assays = ln.Schema(name="Assays", is_type=True).save()
    # a type has no content: two types are two records, not one recovered by hash
    assert panels.id != assays.id and (panels.hash, assays.hash) == (None, None)
    assert panels.itype is None and panels.name == "Panels"
    reading = ln.Feature(name="reading", dtype=float).save()
    panel = ln.Schema([reading], name="panel_a", type=panels).save()
    assert panel.type == panels and panel.type_id == panels.id
    assert list(panels.schemas) == [panel] and list(panels.query_schemas()) == [panel]
    assert list(ln.Schema.filter(type=panels)) == [panel]
    assert list(ln.Schema.filter(type__name="Panels")) == [panel]
    assert panel.describe(return_str=True).startswith("Schema: Panels · panel_a\n")
    assert panel.n == 1

    with pytest.raises(ln.errors.InvalidArgument, match="is_type=True"):
        ln.Schema([reading], name="wrong", type=panel)
    with pytest.raises(ln.errors.InvalidArgument, match="got Feature"):
        ln.Schema([reading], name="wrong", type=ln.Feature(name="Kinds", is_type=True).save())

    # a type that still groups schemas is not deleted, and stays usable
    with pytest.raises(ln.errors.IntegrityError, match="Cannot delete some instances"):
        panels.delete(permanent=True)
    assert ln.Schema.filter(name="Panels").count() == 1
    panel.delete(permanent=True)
    panels.delete(permanent=True)
    assert ln.Schema.filter(name="Panels").count() == 0


def test_composites_and_validated_records(instance: dict) -> None:
    reading = ln.Feature(name="reading", dtype=float).save()
    obs = ln.Schema([reading], name="obs").save()
    composite = ln.Schema(otype="AnnData", slots={"obs": obs}).save()
    assert list(obs.composites) == [composite] and list(composite.components) == [obs]
    assert list(composite.composites) == []
    frame = pd.DataFrame({"reading": [1.5]})
    artifact = ln.Artifact.from_dataframe(frame, key="r.parquet", schema=obs).save()
    assert list(obs.validated_artifacts) == [artifact]
    assert list(obs.validated_collections) == []
    value = ln.Feature(name="score", dtype=int).save()
    assert list(value.values) == []
    artifact.features.add_values({"score": 3})
    assert [v.value for v in value.values] == [3]


def test_schema_arguments_refused_in_lamindbs_words(instance: dict) -> None:
    reading = ln.Feature(name="reading", dtype=float).save()
    label = ln.ULabel(name="plate").save()
    with pytest.raises(ln.errors.InvalidArgument, match="Please pass features or slots or itype"):
        ln.Schema(name="nothing")
    with pytest.raises(ValueError, match="Please pass a ListLike of features, not a single"):
        ln.Schema(reading)
    with pytest.raises(TypeError, match="schema can only contain a single type"):
        ln.Schema([reading, label])
    unsaved = ln.Feature(name="unsaved", dtype=int)
    with pytest.raises(ValueError, match="Can only create schema from validated features"):
        ln.Schema([unsaved])
    schema = ln.Schema([reading], name="readings").save()
    other = ln.Feature(name="other", dtype=int).save()
    with pytest.raises(ValueError, match="Feature not part of the schema"):
        schema.optionals.add(other)
    assert ln.Schema.filter().count() == 1  # nothing else was saved
    assert ln.Schema(itype=ln.Feature).save().flexible  # the way to ask for any feature


def test_describe_shows_flags_that_differ_from_the_defaults(instance: dict) -> None:
    reading = ln.Feature(name="reading", dtype=float).save()
    strict = ln.Schema([reading], name="strict", ordered_set=True, maximal_set=True).save()
    lines = strict.describe(return_str=True).splitlines()
    uid_item = f"uid: {strict.uid}"
    assert lines[1] == f"├── {uid_item}  ordered_set: True"
    assert lines[2].startswith("│   " + "maximal_set: True".ljust(len(uid_item)) + "  created_at: ")
    assert lines[3] == "│   created_by: anonymous"
    plain = ln.Schema([reading], name="plain").save()
    assert "_set" not in plain.describe(return_str=True)
    from_frame = ln.Schema.from_dataframe(pd.DataFrame({"reading": [1.0]}), name="framed")
    assert from_frame.otype == "DataFrame"
    assert "otype: DataFrame" in from_frame.save().describe(return_str=True)


def test_coerce_dtype_and_n_arguments(instance: dict) -> None:
    reading = ln.Feature(name="reading", dtype=float).save()
    coercing = ln.Schema([reading], name="coercing", coerce_dtype=True).save()
    assert coercing.coerce is True
    ln.curators.DataFrameCurator(pd.DataFrame({"reading": ["1.5"]}), coercing).validate()
    panel = ln.Schema(itype=ln.Feature, name="sized", n=3).save()
    assert panel.n == 3 == panel.n_members
    with pytest.raises(ln.errors.InvalidArgument, match="n=2 but the schema has 1 members"):
        ln.Schema([reading], n=2)
    with pytest.raises(ln.errors.InvalidArgument, match="n must be a number of members"):
        ln.Schema(itype=ln.Feature, n="three")
