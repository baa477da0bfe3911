"""QuerySets: lookups, traversal, Q objects, ordering, slicing, search, lookup, DataFrames."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import inspect

import lamin_kernel as ln
from lamin_kernel.errors import (
    DoesNotExist,
    FieldValidationError,
    InvalidArgument,
    MultipleResultsFound,
)
from lamin_kernel.setup.session import read_session


def make_artifacts() -> list:
    t = ln.Transform(key="tutorial.ipynb", kind="notebook", description="Tutorial notebook").save()
    run = ln.Run(transform_id=t.id).save()
    arts = []
    for i, key in enumerate(["my_datasets/a.parquet", "my_datasets/b.parquet", "other/c.parquet"]):
        df = pd.DataFrame({"x": [i, i + 1]})
        arts.append(
            ln.Artifact.from_dataframe(df, key=key, description=f"Dataset {i}", run=run).save()
        )
    return arts


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_queryset_methods(instance: dict) -> None:
    a, b, c = make_artifacts()
    qs = ln.Artifact.filter(key__startswith="my_datasets/")
    assert qs.count() == 2 and qs.exists() and len(qs) == 2
    assert [x.key for x in qs.order_by("-key")] == [
        "my_datasets/b.parquet",
        "my_datasets/a.parquet",
    ]
    assert qs.first().id == a.id and qs.last().id == b.id
    assert qs.filter(key__endswith="b.parquet").one().id == b.id
    assert qs.filter(key="nope").one_or_none() is None
    with pytest.raises(MultipleResultsFound):
        qs.one()
    with pytest.raises(DoesNotExist):
        ln.Artifact.get(key="nope")
    assert [x.id for x in ln.Artifact.filter().order_by("id")[1:3]] == [b.id, c.id]
    assert ln.Artifact.filter().order_by("id")[2].id == c.id
    assert sorted(ln.Artifact.filter().to_list("key")) == sorted(x.key for x in (a, b, c))
    assert ln.Artifact.exclude(key__startswith="my_").to_list("id") == [c.id]
    assert ln.Artifact.filter().distinct().count() == 3
    df = qs.to_dataframe()
    assert list(df.index) == [a.id, b.id] and df.columns[0] == "uid"
    assert str(df["created_at"].dt.tz) == "UTC"


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_traversal_and_q(instance: dict) -> None:
    a, b, c = make_artifacts()
    transform = ln.Transform.get(key="tutorial.ipynb")
    assert ln.Artifact.filter(transform=transform).count() == 3
    assert ln.Artifact.filter(transform__description__icontains="TUTOR").count() == 3
    assert ln.Artifact.filter(run__transform=transform).count() == 3
    label = ln.ULabel(name="My experiment").save()
    other = ln.ULabel(name="Other").save()
    a.ulabels.add(label)
    b.ulabels.add(label, other)
    assert {x.id for x in ln.Artifact.filter(ulabels=label)} == {a.id, b.id}
    assert ln.Artifact.filter(ulabels__name__in=["Other"]).one().id == b.id
    assert ln.Artifact.filter(ulabels__isnull=True).one().id == c.id
    q = ln.Q(key__endswith="a.parquet") | ln.Q(key__endswith="c.parquet")
    assert {x.id for x in ln.Artifact.filter(q)} == {a.id, c.id}
    assert {x.id for x in ln.Artifact.filter(~q)} == {b.id}
    assert ln.Artifact.filter(size__gt=0, size__lte=10**9).count() == 3
    assert ln.Artifact.filter(id__range=(a.id, b.id)).count() == 2
    assert ln.Artifact.filter(description__iexact="dataset 0").one().id == a.id
    assert ln.Artifact.filter(description__contains="dataset").count() == 0  # case-sensitive
    assert ln.ULabel.filter(artifacts__key__contains="b.parquet").count() == 2


def test_trashed_records_are_left_out_unless_asked(instance: dict) -> None:
    a, b, c = make_artifacts()
    b.delete()
    assert ln.Artifact.filter().count() == 2
    assert ln.Artifact.filter(branch_id=-1).one().id == b.id
    assert ln.Artifact.filter(branch_id__in=[-1, 1]).count() == 3


def test_unknown_fields_are_named(instance: dict) -> None:
    with pytest.raises(FieldValidationError, match="Did you mean 'key'"):
        ln.Artifact.filter(kee="x")
    with pytest.raises(FieldValidationError, match="unknown field 'nme'"):
        ln.ULabel.filter(nme="x")
    with pytest.raises(FieldValidationError):
        ln.Artifact.filter().order_by("-sizee")
    with pytest.raises(FieldValidationError, match="has no field 'nam'"):
        ln.ULabel(nam="x")


def test_search_ranks_exact_prefix_word_fuzzy(instance: dict) -> None:
    for name in ["T cell helper", "T cell", "regulatory T cell", "T cells", "B cell", "Tcel"]:
        ln.ULabel(name=name).save()
    ranked = [x.name for x in ln.ULabel.search("T cell")]
    assert ranked[0] == "T cell"
    assert ranked.index("T cell helper") < ranked.index("regulatory T cell")
    assert ranked.index("regulatory T cell") < ranked.index("Tcel")
    assert "T cells" in ranked[:3]
    assert ln.ULabel.search("T cell").to_dataframe().iloc[0]["name"] == "T cell"
    assert ln.ULabel.filter(name__startswith="T").search("cell").count() >= 2


def test_lookup_completes_to_records(instance: dict) -> None:
    ln.ULabel(name="My experiment").save()
    ln.ULabel(name="2nd run").save()
    records = ln.ULabel.lookup()
    assert records.my_experiment.name == "My experiment"
    assert records["2nd run"].name == "2nd run"
    assert "my_experiment" in dir(records) and "_2nd_run" in dir(records)


def test_class_to_dataframe_shows_latest_and_says_how_many(instance: dict, capsys) -> None:
    ln.save([ln.ULabel(name=f"label {i}") for i in range(120)])
    df = ln.ULabel.to_dataframe()
    assert len(df) == 100 and df.index[0] == df.index.max()
    assert "showing the latest 100 of 120" in capsys.readouterr().out
    assert len(ln.ULabel.to_dataframe(limit=None)) == 120
    assert len(ln.ULabel.filter().to_dataframe()) == 120


def test_bulk_save_assigns_ids_and_uids(instance: dict) -> None:
    labels = [ln.ULabel(name=f"bulk {i}") for i in range(1000)]
    ln.save(labels)
    assert all(x.id is not None and len(x.uid) == 8 for x in labels)
    assert ln.ULabel.filter(name__startswith="bulk").count() == 1000
    assert labels[10].name == ln.ULabel.get(labels[10].uid).name


def test_bulk_saved_records_are_persistent_and_stay_usable(instance: dict) -> None:
    kind = ln.ULabel(name="Batch", is_type=True).save()
    labels = [ln.ULabel(name=f"batch {i}", type=kind) for i in range(3)]
    ln.save(labels)
    with read_session() as session:
        assert all(inspect(x).persistent and x in session for x in labels)
        assert not session.dirty and not session.new
    assert ln.ULabel.get(labels[0].uid) is labels[0]  # one object per row in the session
    assert labels[1].type == kind and labels[1].type_id == kind.id  # relations load
    labels[2].description = "renamed later"
    labels[2].save()
    assert ln.ULabel.get(labels[2].uid).description == "renamed later"
    ln.save([ln.ULabel(name="after"), labels[0]])  # saved records mixed with new ones
    assert ln.ULabel.filter(type=kind).count() == 3


def test_bulk_save_refuses_a_relation_to_an_unsaved_record(instance: dict) -> None:
    unsaved = ln.ULabel(name="Unsaved kind", is_type=True)
    with pytest.raises(InvalidArgument, match="unsaved ULabel in 'type'"):
        ln.save([ln.ULabel(name="orphan 1"), ln.ULabel(name="orphan 2", type=unsaved)])
    assert ln.ULabel.filter(name__startswith="orphan").count() == 0


def test_view_and_describe_class(instance: dict, capsys) -> None:
    make_artifacts()
    ln.view()
    out = capsys.readouterr().out
    assert "Artifact" in out and "my_datasets/a.parquet" in out and "Transform" in out
    ln.Artifact.describe()
    out = capsys.readouterr().out
    assert "Simple fields" in out and ".key" in out and ".ulabels" in out


def test_same_label_name_returns_the_saved_label(instance: dict, capsys) -> None:
    dmso = ln.ULabel(name="DMSO").save()
    again = ln.ULabel(name="DMSO")
    assert (
        again is dmso
        and "returning existing ULabel record with same name" in capsys.readouterr().out
    )
    typed = ln.ULabel(name="Perturbation", is_type=True).save()
    child = ln.ULabel(name="DMSO", type=typed).save()  # another type: another label
    assert child.id != dmso.id and ln.ULabel.filter(name="DMSO").count() == 2


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_exclude_keeps_rows_whose_field_is_null(instance: dict) -> None:
    described = ln.ULabel(name="described", description="a tag").save()
    ln.ULabel(name="bare").save()  # description is NULL
    kept = ln.ULabel.exclude(description="a tag").to_list("name")
    assert kept == ["bare"]
    assert ln.ULabel.exclude(description__startswith="a").count() == 1
    assert ln.ULabel.exclude(name="bare", description=None).to_list("name") == ["described"]
    assert ln.ULabel.exclude(id=described.id).to_list("name") == ["bare"]
