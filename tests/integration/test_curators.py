"""ln.curators: validate, list non-validated terms, standardize, add new terms, save."""

from __future__ import annotations

import anndata as ad
import numpy as np
import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel.curation.reports import list_reports


def define_features() -> None:
    ln.ULabel(name="DMSO").save()
    ln.ULabel(name="IFNG").save()
    ln.Feature(name="perturbation", dtype=ln.ULabel, synonyms=["treatment"]).save()
    ln.Feature(name="donor", dtype=str, nullable=True).save()


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "perturbation": pd.Categorical(["DMSO", "ifng", "IFNJ", "DMSO"]),
            "donor": ["D1", "D2", None, "D3"],
            "treatment_time_h": [24, 6, 6, 24],
        },
        index=[f"sample{i}" for i in range(4)],
    )


def test_dataframe_curator_fix_and_save(instance: dict, capsys: pytest.CaptureFixture) -> None:
    define_features()
    schema = ln.Schema(itype=ln.Feature).save()
    df = frame()
    curator = ln.curators.DataFrameCurator(df, schema)
    with pytest.raises(ln.errors.ValidationError) as raised:
        curator.validate()
    assert "2 terms not validated in feature 'perturbation': 'IFNJ', 'ifng'" in str(raised.value)
    out = capsys.readouterr().out
    assert "! 1 term not validated in columns: 'treatment_time_h'" in out
    assert curator.cat.non_validated == {
        "columns": ["treatment_time_h"],
        "perturbation": ["IFNJ", "ifng"],
    }
    curator.cat.standardize("perturbation")  # ifng -> IFNG, in the data itself
    assert list(df["perturbation"]) == ["DMSO", "IFNG", "IFNJ", "DMSO"]
    assert curator.cat.non_validated["perturbation"] == ["IFNJ"]
    curator.cat.add_new_from("perturbation")
    assert ln.ULabel.filter(name="IFNJ").count() == 1
    curator.cat.add_new_from("columns")
    assert ln.Feature.get(name="treatment_time_h").dtype == "int"
    curator.validate()
    assert curator.cat.non_validated == {}
    artifact = curator.save_artifact(key="curated/table.parquet", description="curated")
    assert artifact.key == "curated/table.parquet" and artifact.schema_id == schema.id
    assert sorted(r.name for r in artifact.ulabels) == ["DMSO", "IFNG", "IFNJ"]
    assert set(artifact.features.slots["columns"].features.all().to_list("name")) == {
        "perturbation",
        "donor",
        "treatment_time_h",
    }
    reports = list_reports(artifact_uid=artifact.uid)
    assert len(reports) == 1 and reports[0]["passed"]
    assert [r["passed"] for r in list_reports()] == [True, False]
    html = curator.report._repr_html_()
    assert "Validation passed" in html and "perturbation" in html
    assert "passed" in repr(curator.report)


def test_curator_replace_and_refusals(instance: dict) -> None:
    define_features()
    schema = ln.Schema(itype=ln.Feature).save()
    df = frame()
    curator = ln.curators.DataFrameCurator(df, schema)
    curator.cat.replace("perturbation", {"IFNJ": "IFNG", "ifng": "IFNG"})
    assert curator.cat.non_validated.get("perturbation") is None
    with pytest.raises(ln.errors.InvalidArgument, match="not non-validated terms"):
        curator.cat.add_new_from("perturbation", values=["DMSO"])
    with pytest.raises(KeyError, match="no feature 'nope'"):
        curator.cat.add_new_from("nope")
    with pytest.raises(ln.errors.InvalidArgument, match="curates a DataFrame"):
        ln.curators.DataFrameCurator(ad.AnnData(np.ones((1, 1))), schema)
    with pytest.raises(ln.errors.InvalidArgument, match="Schema must be saved before curation"):
        ln.curators.DataFrameCurator(df, ln.Schema(itype=ln.Feature, maximal_set=True))
    bad = frame()
    with pytest.raises(ln.errors.ValidationError):
        ln.curators.DataFrameCurator(bad, schema).save_artifact(key="never.parquet")
    assert ln.Artifact.filter().count() == 0


def test_anndata_curator_slots(instance: dict) -> None:
    define_features()
    obs_schema = ln.Schema(itype=ln.Feature).save()
    var_schema = ln.Schema(itype=ln.Feature).save()
    composite = ln.Schema(otype="AnnData", slots={"obs": obs_schema, "var": var_schema}).save()
    obs = frame().drop(columns=["treatment_time_h"])
    var = pd.DataFrame({"donor": ["g1", "g2"]}, index=["a", "b"])
    adata = ad.AnnData(np.ones((4, 2)), obs=obs, var=var)
    curator = ln.curators.AnnDataCurator(adata, composite)
    assert set(curator.slots) == {"obs", "var"}
    with pytest.raises(ln.errors.ValidationError, match="in slot 'obs'") as raised:
        curator.validate()
    assert "curate synonyms via: curator.slots['obs'].cat.standardize(\"perturbation\")" in str(
        raised.value
    )
    curator.slots["obs"].cat.standardize("perturbation")
    curator.slots["obs"].cat.add_new_from("perturbation")
    curator.validate()
    artifact = curator.save_artifact(key="curated/data.h5ad")
    assert set(artifact.features.slots) == {"obs", "var"}
    assert artifact.otype == "AnnData" and artifact.ulabels.count() == 3


def test_curator_lookups_and_reprs(instance: dict) -> None:
    define_features()
    ln.Feature(name="dose", dtype=float).save()
    features = ln.Feature.filter(name__in=["perturbation", "dose"]).order_by("id")
    schema = ln.Schema(list(features), name="treatments").save()
    df = pd.DataFrame({"perturbation": pd.Categorical(["DMSO", "IFNG"]), "dose": [1.0, 2.0]})
    curator = ln.curators.DataFrameCurator(df, schema)
    # the schema's categorical features are known before validation
    assert repr(curator.cat) == "DataFrameCatManager(categorical_features=1, unvalidated)"
    lookup = curator.cat.lookup()
    assert lookup.perturbation.dmso == ln.ULabel.get(name="DMSO")
    assert lookup["perturbation"].ifng.name == "IFNG"
    assert lookup.columns.dose.name == "dose"
    assert "Lookup objects from the registries" in repr(lookup) and ".perturbation" in repr(lookup)
    with pytest.raises(AttributeError, match='no attribute "dose"'):
        _ = lookup.dose  # not categorical
    curator.validate()
    assert repr(curator) == "DataFrameCurator(Schema: treatments, validated)"

    composite = ln.Schema(otype="AnnData", slots={"obs": schema}).save()
    adata = ad.AnnData(np.ones((2, 1)), obs=df.set_axis(["c1", "c2"]))
    curator = ln.curators.AnnDataCurator(adata, composite)
    assert repr(curator) == (
        f"AnnDataCurator(Schema: uid={composite.uid} (AnnData), slots: ['obs'], unvalidated)"
    )
    assert repr(curator.slots["obs"]) == "ComponentCurator(Schema: treatments, unvalidated)"
    curator.validate()
    assert repr(curator.slots["obs"].cat) == (
        "DataFrameCatManager(categorical_features=1, slot: obs, validated)"
    )
    assert curator.slots["obs"].cat.lookup().perturbation.dmso.name == "DMSO"
    artifact = curator.save_artifact(key="treatments.h5ad")
    again = ln.curators.AnnDataCurator(artifact, composite)
    assert repr(again).startswith(f"AnnDataCurator, artifact: {artifact.uid}(Schema: ")

    # wrong arguments, in LaminDB's words
    with pytest.raises(ln.errors.InvalidArgument, match="schema argument must be a Schema record"):
        ln.curators.DataFrameCurator(df, "treatments")
    with pytest.raises(ln.errors.InvalidArgument, match="dataset must be AnnData-like"):
        ln.curators.AnnDataCurator(df, composite)
    with pytest.raises(ln.errors.InvalidArgument, match="Schema otype must be 'AnnData'"):
        ln.curators.AnnDataCurator(adata, schema)
