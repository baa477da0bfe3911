"""Schemas and validation in Artifact.from_dataframe / from_anndata(schema=): the tutorial's
"Validate an artifact" and "Make a new version" cells, every kind of bad input, reports."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import models, runtime
from lamin_kernel.curation.reports import list_reports
from lamin_kernel.query.queryset import QuerySet

TUTORIAL_ERROR = (
    "1 term not validated in feature 'perturbation': 'IFNJ'\n"
    "    → fix typos, remove non-existent values, or create objects via:\n\n"
    "  objects = ULabel.from_values(['IFNJ'], field='name', create=True).save()"
)
LINKS = (
    "ArtifactULabel",
    "ArtifactJsonValue",
    "ArtifactSchema",
    "SchemaFeature",
    "SchemaComponent",
)


def row_counts() -> dict[str, int]:
    names = ("Artifact", "ULabel", "Feature", "Schema", "JsonValue")
    counts = {n: getattr(ln, n).filter(branch_id__in=[-1, 0, 1]).count() for n in names}
    return counts | {n: QuerySet(getattr(models, n)).count() for n in LINKS}


def stored_files(instance: dict) -> set[str]:
    root = Path(instance["storage"]) / ".lamindb"
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith("lamin.db")
    }


def define_tutorial_features() -> None:
    """The tutorial's labels and features, without the bionty ones."""
    ln.ULabel(name="DMSO").save()
    ln.ULabel(name="IFNG").save()
    ln.Feature(name="perturbation", dtype=ln.ULabel).save()
    ln.Feature(name="donor", dtype=str, nullable=True).save()
    ln.Feature(name="sample_note", dtype=str, nullable=True).save()
    ln.Feature(name="concentration", dtype=str).save()
    ln.Feature(name="treatment_time_h", dtype="num", coerce=True).save()


# -- schemas ---------------------------------------------------------------------------------
def test_schema_variants_flags_and_hash(instance: dict, capsys: pytest.CaptureFixture) -> None:
    f1 = ln.Feature(name="temperature", dtype=float).save()
    f2 = ln.Feature(name="experiment", dtype=ln.ULabel).save()
    by_itype = ln.Schema(itype=ln.Feature).save()
    assert by_itype.itype == "Feature" and by_itype.flexible and by_itype.n_members is None
    listed = ln.Schema(features=[f1, f2], name="mine", ordered_set=True, coerce=True).save()
    assert listed.n_members == 2 and not listed.flexible and listed.ordered_set and listed.coerce
    assert [f.name for f in listed.features] == ["temperature", "experiment"]
    assert [f.name for f in listed.members] == ["temperature", "experiment"]
    assert len(listed.hash) == 22
    capsys.readouterr()
    again = ln.Schema(features=[f2, f1], name="mine", ordered_set=True, coerce=True)
    assert again.id == listed.id  # same content, member order aside
    assert "returning schema with same hash: Schema(uid=" in capsys.readouterr().out
    other = ln.Schema(features=[f1, f2], name="mine", maximal_set=True).save()
    assert other.id != listed.id
    renamed = ln.Schema(features=[f1, f2], name="theirs", ordered_set=True, coerce=True).save()
    assert renamed is listed and ln.Schema.get(listed.id).name == "theirs"
    assert [f.name for f in listed.features] == ["temperature", "experiment"]  # still usable
    composite = ln.Schema(otype="AnnData", slots={"obs": listed, "var": by_itype}).save()
    assert composite.slots == {"obs": listed, "var": by_itype}
    assert ln.Schema(otype="AnnData", slots={"obs": listed, "var": by_itype}).id == composite.id
    assert ln.Schema(itype="Feature", dtype=int).dtype == "int"


def test_schema_bad_input(instance: dict) -> None:
    f1 = ln.Feature(name="temperature", dtype=float).save()
    label = ln.ULabel(name="x").save()
    s1 = ln.Schema(features=[f1]).save()
    before = row_counts()
    cases = [
        (lambda: ln.Schema(itype=ln.Feature, otype="Parquet"), "otype 'Parquet' is not supported"),
        (lambda: ln.Schema(otype="AnnData", slots={"obs": s1, 3: s1}), "slot names are strings"),
        (lambda: ln.Schema(features=[ln.Feature(name="new", dtype=int)]), "save the Feature"),
        (lambda: ln.Schema(itype="Nope"), "'Nope' is an invalid dtype"),
        (lambda: ln.Schema(itype=ln.Feature, dtype="flaot"), "unknown dtype"),
        (
            lambda: ln.Schema(
                otype="AnnData", slots={"obs": ln.Schema(features=[f1], maximal_set=True)}
            ),
            "saved Schema",
        ),
        (lambda: ln.Schema(features=[f1], colour="red"), "unknown argument"),
    ]
    for make, message in cases:
        with pytest.raises(ln.errors.InvalidArgument, match=message):
            make()
    with pytest.raises(TypeError, match="one registry"):
        ln.Schema(features=[f1, label])
    assert row_counts() == before


# -- the tutorial ------------------------------------------------------------------------------
@pytest.mark.backends("sqlite-local", "postgres-local", "sqlite-s3")
def test_tutorial_validate_and_new_version(instance: dict, capsys: pytest.CaptureFixture) -> None:
    df = ln.examples.datasets.mini_immuno.get_dataset1(with_typo=True)
    df = df.drop(columns=["cell_type_by_expert", "cell_type_by_model", "assay_oid"])
    first = ln.Artifact.from_dataframe(df, key="my_datasets/rnaseq1.parquet").save()
    define_tutorial_features()
    schema = ln.Schema(itype=ln.Feature).save()
    before, files = row_counts(), stored_files(instance)
    capsys.readouterr()
    with pytest.raises(ln.errors.ValidationError) as raised:
        ln.Artifact.from_dataframe(df, key="my_datasets/rnaseq1.parquet", schema=schema)
    assert str(raised.value) == TUTORIAL_ERROR
    out = capsys.readouterr().out
    assert out.index("returning artifact with same hash") < out.index(
        "loading artifact into memory for validation"
    )
    assert (
        "! 4 terms not validated in columns: 'ENSG00000153563', 'ENSG00000010610', "
        "'ENSG00000170458', 'donor_ethnicity'\n    → fix typos, remove non-existent values, or "
        "create objects via:" in out
    )
    assert "! " + TUTORIAL_ERROR in out
    assert row_counts() == before and stored_files(instance) == files
    assert ln.Artifact.get(first.uid).schema_id is None

    df["perturbation"] = df["perturbation"].cat.rename_categories({"IFNJ": "IFNG"})
    artifact = ln.Artifact.from_dataframe(
        df, key="my_datasets/rnaseq1.parquet", schema=schema
    ).save()
    assert artifact.uid.endswith("0001") and artifact.schema_id == schema.id
    text = artifact.describe(return_str=True)
    assert "├── Dataset features" in text and "columns (5)" in text
    assert "perturbation                   ULabel                               DMSO, IFNG" in text
    assert "treatment_time_h               num" in text
    assert ".ulabels                       ULabel                               DMSO, IFNG" in text
    columns = artifact.features.slots["columns"]
    assert columns.n_members == 5 and columns.itype == "Feature" and not columns.flexible
    assert sorted(f.name for f in columns.features) == [
        "concentration",
        "donor",
        "perturbation",
        "sample_note",
        "treatment_time_h",
    ]
    assert ln.Artifact.filter(feature_sets__in=[columns]).one().id == artifact.id
    assert ln.Artifact.filter(perturbation="IFNG").one().id == artifact.id
    assert artifact.features.get_values() == {"perturbation": {"DMSO", "IFNG"}}
    versions = artifact.versions.to_dataframe()
    assert list(versions["uid"]) == [artifact.uid, first.uid]
    included = ln.Artifact.to_dataframe(include="features")
    assert included.loc[artifact.id, "perturbation"] == {"DMSO", "IFNG"}
    reports = list_reports(artifact_uid=artifact.uid)
    assert len(reports) == 1 and reports[0]["passed"] and reports[0]["schema"] == schema.uid


def test_flexible_warnings_and_fixed_schemas(instance: dict, capsys: pytest.CaptureFixture) -> None:
    define_tutorial_features()
    fixed = ln.Schema(
        features=[ln.Feature.get(name="perturbation"), ln.Feature.get(name="donor")]
    ).save()
    df = pd.DataFrame(
        {
            "perturbation": pd.Categorical(["DMSO", "IFNG"]),
            "donor": ["D1", "D2"],
            "extra": [1, 2],
        }
    )
    artifact = ln.Artifact.from_dataframe(df, key="fixed.parquet", schema=fixed).save()
    assert "not validated" not in capsys.readouterr().out  # extra columns are ignored
    assert artifact.features.slots == {"columns": fixed}
    flexible = ln.Schema(features=[ln.Feature.get(name="perturbation")], flexible=True).save()
    df2 = df.assign(concentration=["1", "2"], donor=["D3", "D4"])
    artifact = ln.Artifact.from_dataframe(df2, key="flex.parquet", schema=flexible).save()
    assert "! 1 term not validated in columns: 'extra'" in capsys.readouterr().out
    slot = artifact.features.slots["columns"]
    assert sorted(f.name for f in slot.features) == ["concentration", "donor", "perturbation"]


def test_every_failing_feature_is_listed_and_nothing_saved(instance: dict) -> None:
    define_tutorial_features()
    ln.Feature(name="required", dtype=int, nullable=False).save()
    schema = ln.Schema(itype=ln.Feature).save()
    bad = pd.DataFrame(
        {
            "perturbation": ["DMSO", "IFNJ", "ifng"],
            "concentration": [1, 2, 3],
            "treatment_time_h": ["24", "6h", "1"],
            "required": [1.0, np.nan, 3.0],
        }
    )
    before, files = row_counts(), stored_files(instance)
    with pytest.raises(ln.errors.ValidationError) as raised:
        ln.Artifact.from_dataframe(bad, key="bad.parquet", schema=schema)
    message = str(raised.value)  # dtype problems first, as LaminDB reports them
    assert '"DATAFRAME_CHECK"' in message and '"SERIES_CONTAINS_NULLS"' in message
    assert "Column 'concentration' failed dtype check for 'str': got int64" in message
    assert "Column 'treatment_time_h' failed dtype check for 'num': got object" in message
    assert "non-nullable series 'required' contains null values" in message
    perturbation = raised.value.result.check("perturbation")[1]  # type: ignore[attr-defined]
    assert perturbation.non_validated == ["IFNJ", "ifng"]
    assert '1 synonym found: "ifng" → "IFNG"' in perturbation.message
    assert 'curator.cat.standardize("perturbation")' in perturbation.message
    report = raised.value.report  # type: ignore[attr-defined]
    assert not report.passed
    features = {f["name"]: f for f in report.to_dict()["slots"][0]["features"]}
    assert features["perturbation"]["status"] == "not_validated"
    assert features["perturbation"]["suggestions"]["IFNJ"][0]["value"] == "IFNG"
    assert features["concentration"]["status"] == "dtype_mismatch"
    assert row_counts() == before and stored_files(instance) == files
    coerced = bad.assign(
        perturbation=["DMSO", "IFNG", "IFNG"],
        concentration=["1", "2", "3"],
        treatment_time_h=["24", "6", "1"],
        required=[1, 2, 3],
    )
    artifact = ln.Artifact.from_dataframe(coerced, key="ok.parquet", schema=schema).save()
    assert artifact.load()["treatment_time_h"].tolist() == ["24", "6", "1"]  # data as given


def test_schema_flags_are_enforced(instance: dict) -> None:
    define_tutorial_features()
    features = [ln.Feature.get(name=n) for n in ("perturbation", "donor")]
    df = pd.DataFrame({"donor": ["D1"], "perturbation": ["DMSO"], "other": [1]})
    cases = [
        (
            ln.Schema(features=features).save(),
            df.drop(columns=["donor"]),
            "column 'donor' not in dataframe",
        ),
        (ln.Schema(features=features, maximal_set=True).save(), df, "column 'other' not in"),
        (ln.Schema(features=features, ordered_set=True).save(), df, "not in the order of"),
    ]
    before = row_counts()
    for schema, data, message in cases:
        with pytest.raises(ln.errors.ValidationError, match=message):
            ln.Artifact.from_dataframe(data, key="x.parquet", schema=schema)
    assert row_counts() == before
    minimal_off = ln.Schema(features=features, minimal_set=False).save()
    ln.Artifact.from_dataframe(df.drop(columns=["donor"]), key="y.parquet", schema=minimal_off)


def test_schema_that_does_not_fit_the_object(instance: dict) -> None:
    define_tutorial_features()
    frame_schema = ln.Schema(itype=ln.Feature).save()
    composite = ln.Schema(otype="AnnData", slots={"obs": frame_schema}).save()
    df = pd.DataFrame({"perturbation": ["DMSO"]}, index=["sample1"])
    import anndata as ad

    adata = ad.AnnData(np.ones((1, 1)), obs=df)
    before = row_counts()
    with pytest.raises(ln.errors.InvalidArgument, match="is for an AnnData"):
        ln.Artifact.from_dataframe(df, key="a.parquet", schema=composite)
    with pytest.raises(ln.errors.InvalidArgument, match="needs a composite schema"):
        ln.Artifact.from_anndata(adata, key="a.h5ad", schema=frame_schema)
    with pytest.raises(ln.errors.InvalidArgument, match="save the schema"):
        ln.Artifact.from_dataframe(
            df, key="a.parquet", schema=ln.Schema(itype="Feature", maximal_set=True)
        )
    with pytest.raises(ln.errors.InvalidArgument, match="must be a Schema"):
        ln.Artifact.from_dataframe(df, key="a.parquet", schema="schema")
    assert row_counts() == before
    artifact = ln.Artifact.from_anndata(adata, key="a.h5ad", schema=composite).save()
    assert artifact.features.slots["obs"].n_members == 1


# -- reports ----------------------------------------------------------------------------------
def test_reports_are_stored_with_run_and_artifact(instance: dict) -> None:
    define_tutorial_features()
    schema = ln.Schema(itype=ln.Feature).save()
    transform = ln.Transform(key="validate.py", kind="script").save()
    run = ln.Run(transform_id=transform.id).save()
    tokens = runtime.set_current_run(run, transform)
    try:
        bad = pd.DataFrame({"perturbation": ["IFNJ"]})
        with pytest.raises(ln.errors.ValidationError):
            ln.Artifact.from_dataframe(bad, key="r.parquet", schema=schema)
        good = pd.DataFrame({"perturbation": ["IFNG"]})
        artifact = ln.Artifact.from_dataframe(good, key="r.parquet", schema=schema).save()
    finally:
        runtime.restore_current_run(tokens)
    by_run = list_reports(run_uid=run.uid)
    assert [r["passed"] for r in by_run] == [True, False]  # newest first
    assert by_run[0]["artifact"] == artifact.uid and by_run[1]["artifact"] is None
    assert by_run[0]["run"] == run.uid and by_run[0]["schema"] == schema.uid
    slot = by_run[1]["slots"][0]
    assert slot["slot"] == "columns"
    entry = slot["features"][0]
    assert set(entry) >= {"name", "status", "n_values", "non_validated", "suggestions"}
    assert entry == entry | {"name": "perturbation", "status": "not_validated", "n_values": 1}
    assert entry["non_validated"] == ["IFNJ"]
    assert entry["suggestions"]["IFNJ"][0] == {
        "value": "IFNG",
        "score": entry["suggestions"]["IFNJ"][0]["score"],
    }
    assert list_reports(artifact_uid=artifact.uid)[0]["id"] == by_run[0]["id"]
    assert list_reports(artifact_uid="nope") == []


# -- AnnData and bionty ------------------------------------------------------------------------
@pytest.fixture
def bionty_instance(tmp_path: Path) -> dict:
    import importlib

    from lamin_kernel.setup import instance as setup_instance

    bionty = importlib.import_module("lamin_kernel.bionty")
    if not hasattr(bionty, "CellType") or not hasattr(bionty, "registry_by_name"):
        pytest.skip(
            "lamin_kernel.bionty has no CellType registry yet (bionty registries not landed)"
        )
    runtime.reset()
    storage = str(tmp_path / "storage")
    setup_instance.init(storage, name=f"bt-{tmp_path.name[-6:]}", modules="bionty")
    yield {"storage": storage, "bt": bionty}
    runtime.reset()


def test_tutorial_validate_with_bionty_and_anndata(
    bionty_instance: dict, capsys: pytest.CaptureFixture
) -> None:
    bt = bionty_instance["bt"]
    df = ln.examples.datasets.mini_immuno.get_dataset1(with_typo=True)
    ln.Artifact.from_dataframe(df, key="my_datasets/rnaseq1.parquet").save()
    define_tutorial_features()
    ln.Feature(name="cell_type_by_model", dtype=bt.CellType).save()
    ln.Feature(name="cell_type_by_expert", dtype=bt.CellType).save()
    ln.Feature(name="assay_oid", dtype=bt.ExperimentalFactor.ontology_id).save()
    assert ln.Feature.get(name="assay_oid").dtype == "cat[bionty.ExperimentalFactor.ontology_id]"
    schema = ln.Schema(itype=ln.Feature).save()
    with pytest.raises(ln.errors.ValidationError) as raised:
        ln.Artifact.from_dataframe(df, key="my_datasets/rnaseq1.parquet", schema=schema)
    assert str(raised.value) == TUTORIAL_ERROR
    assert bt.CellType.filter().count() == 0  # nothing created from the public source
    df["perturbation"] = df["perturbation"].cat.rename_categories({"IFNJ": "IFNG"})
    artifact = ln.Artifact.from_dataframe(
        df, key="my_datasets/rnaseq1.parquet", schema=schema
    ).save()
    text = artifact.describe(return_str=True)
    assert "columns (8)" in text
    assert "assay_oid                      bionty.ExperimentalFactor.ontology…  EFO:0008913" in text
    assert (
        "cell_type_by_expert            bionty.CellType                      "
        "B cell, CD8-positive, alpha-beta T cell" in text
    )
    assert (
        "cell_type_by_model             bionty.CellType                      B cell, T cell" in text
    )
    assert (
        ".experimental_factors          bionty.ExperimentalFactor            single-cell RNA sequencing"
        in text
    )
    assert ln.Artifact.filter(cell_types__name="T cell").one().id == artifact.id

    var_schema = ln.Schema(itype=bt.Gene.ensembl_gene_id, dtype=int).save()
    anndata_schema = ln.Schema(otype="AnnData", slots={"obs": schema, "var.T": var_schema}).save()
    import anndata as ad

    adata = ad.AnnData(df.iloc[:, :3], obs=df.iloc[:, 3:-1])
    capsys.readouterr()
    artifact = ln.Artifact.from_anndata(
        adata, key="my_datasets/my_rnaseq1.h5ad", schema=anndata_schema
    ).save()
    out = capsys.readouterr().out
    assert "loading artifact into memory for validation" in out
    assert "returning schema with same hash: Schema(uid=" in out and "n_members=8" in out
    text = artifact.describe(return_str=True)
    assert "obs (8)" in text and "var.T (3 bionty.Gene.ensembl…" in text
    for gene in ("CD14", "CD4", "CD8A"):
        assert f"{gene.ljust(30)} num" in text
    feature_sets = ln.Schema.filter(genes__symbol="CD8A").all()
    found = ln.Artifact.filter(feature_sets__in=feature_sets).to_dataframe()
    assert list(found["uid"]) == [artifact.uid]
    assert artifact.schema_id == anndata_schema.id

    bad = adata.copy()
    bad.var_names = ["ENSG00000153563", "ENSG00000010610", "ENSGNOTAGENE"]
    before = row_counts()
    with pytest.raises(ln.errors.ValidationError, match="in columns in slot 'var.T'"):
        ln.Artifact.from_anndata(bad, key="bad.h5ad", schema=anndata_schema)
    floats = adata.copy()
    floats.X = floats.X.astype(float) + 0.5
    with pytest.raises(ln.errors.ValidationError, match="expected series 'X' to have type int"):
        ln.Artifact.from_anndata(floats, key="bad.h5ad", schema=anndata_schema)
    assert row_counts() == before

    # synonyms of the public ontology standardize, too
    curator = ln.curators.DataFrameCurator(pd.DataFrame({"cell_type_by_model": ["T-cell"]}), schema)
    with pytest.raises(ln.errors.ValidationError, match='"T-cell" → "T cell"'):
        curator.validate()
    curator.cat.standardize("cell_type_by_model")
    curator.validate()
    assert list(curator.obj["cell_type_by_model"]) == ["T cell"]


# -- speed ------------------------------------------------------------------------------------
def _bulk_labels(names: list[str]) -> None:
    """Many labels fast (the registry's contents are set-up, not what is measured)."""
    from sqlalchemy import insert

    from lamin_kernel.db.uid import base62
    from lamin_kernel.setup.session import current_user_id, write_transaction

    user = current_user_id()
    rows = [
        {"uid": base62(8), "name": n, "is_type": False, "is_locked": False, "branch_id": 1}
        | {"created_on_id": 1, "space_id": 1, "created_by_id": user}
        for n in names
    ]
    with write_transaction() as session:
        session.execute(insert(ln.ULabel.__table__), rows)


def test_speed_million_rows_against_100k_terms(instance: dict) -> None:
    import time

    terms = [f"term_{i:06d}" for i in range(100_000)]
    _bulk_labels(terms)
    features = [ln.Feature(name=f"c{i}", dtype=ln.ULabel).save() for i in range(3)]
    schema = ln.Schema(features=features).save()
    rng = np.random.default_rng(0)
    n = 1_000_000
    df = pd.DataFrame(
        {
            "c0": pd.Categorical.from_codes(rng.integers(0, len(terms), n), categories=terms),
            "c1": pd.Categorical.from_codes(rng.integers(0, 1000, n), categories=terms[:1000]),
            "c2": np.asarray(terms, dtype=object)[rng.integers(0, len(terms), n)],
        }
    )
    started = time.perf_counter()
    ln.curators.DataFrameCurator(df, schema).validate()
    elapsed = time.perf_counter() - started
    print(f"\nvalidate 1,000,000 rows x 3 categorical columns vs 100,000 terms: {elapsed:.3f} s")


def test_speed_lamindb_bench_part_g(instance: dict) -> None:
    import time

    cats = [f"cat_{i:04d}" for i in range(1000)]
    _bulk_labels(cats)
    f_cat = ln.Feature(name="bench_cat", dtype=ln.ULabel).save()
    f_val = ln.Feature(name="bench_value", dtype=float).save()
    schema = ln.Schema(name="bench_schema", features=[f_cat, f_val]).save()
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "bench_cat": pd.Categorical(rng.choice(cats, size=100_000), categories=cats),
            "bench_value": rng.random(100_000),
        }
    )
    timings = {}
    for attempt in range(3):
        started = time.perf_counter()
        ln.curators.DataFrameCurator(df, schema).validate()
        timings[f"valid_{attempt}"] = time.perf_counter() - started
    bad = df.copy()
    bad["bench_cat"] = bad["bench_cat"].cat.add_categories(["cat_typo"])
    bad.loc[12345, "bench_cat"] = "cat_typo"
    started = time.perf_counter()
    with pytest.raises(ln.errors.ValidationError):
        ln.curators.DataFrameCurator(bad, schema).validate()
    timings["one_invalid"] = time.perf_counter() - started
    started = time.perf_counter()
    artifact = ln.Artifact.from_dataframe(df, key="bench/validated.parquet", schema=schema).save()
    timings["from_dataframe_schema_save"] = time.perf_counter() - started
    assert artifact.ulabels.count() == 1000
    print(
        "\nLaminDB bench part g (100,000 rows vs 1000 labels; LaminDB 2.12: valid 0.228 s, "
        "one invalid 0.105 s, from_dataframe(schema=).save() 0.320 s):\n"
        + "\n".join(f"  {k}: {v:.3f} s" for k, v in timings.items())
    )
