"""AnnData artifacts: h5ad round trip, open() in backed mode; parquet open() as a dataset."""

from __future__ import annotations

import anndata as ad
import numpy as np
import pandas as pd
import pytest

import lamin_kernel as ln


@pytest.mark.backends("sqlite-local", "sqlite-s3")
def test_anndata_round_trip_and_backed_open(instance: dict) -> None:
    adata = ln.examples.datasets.mini_immuno.get_dataset1(otype="AnnData")
    artifact = ln.Artifact.from_anndata(adata, key="my_datasets/my_rnaseq1.h5ad").save()
    assert artifact.otype == "AnnData" and artifact.suffix == ".h5ad"
    assert artifact.n_observations == 3 and artifact.kind == "dataset"
    loaded = artifact.load()
    assert isinstance(loaded, ad.AnnData) and loaded.shape == adata.shape
    np.testing.assert_array_equal(loaded.X, adata.X)
    backed = artifact.open()
    assert backed.isbacked and backed.shape == (3, 3)
    assert list(backed.obs["perturbation"]) == list(adata.obs["perturbation"])
    backed.file.close()


@pytest.mark.backends("sqlite-local", "sqlite-s3")
def test_parquet_open_is_a_pyarrow_dataset(instance: dict) -> None:
    df = pd.DataFrame({"a": range(100), "b": [str(i) for i in range(100)]})
    artifact = ln.Artifact.from_dataframe(df, key="big.parquet").save()
    dataset = artifact.open()
    assert dataset.count_rows() == 100
    assert dataset.head(5).to_pandas()["a"].tolist() == [0, 1, 2, 3, 4]


def test_from_anndata_refuses_other_objects(instance: dict) -> None:
    with pytest.raises(ln.errors.UnsupportedObject, match="expects an AnnData"):
        ln.Artifact.from_anndata(pd.DataFrame({"a": [1]}), key="x.h5ad")
