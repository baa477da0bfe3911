"""MappedCollection: rows read lazily from h5ad and zarr files match what AnnData holds."""

from __future__ import annotations

import pickle
from pathlib import Path

import anndata as ad
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from lamin_kernel.errors import InvalidArgument
from lamin_kernel.storage.mapped import MISSING, MappedCollection


def make_adata(
    n: int,
    genes: list[str],
    obs: dict[str, list],
    seed: int = 0,
    sparse: bool = True,
    density: float = 0.3,
) -> ad.AnnData:
    rng = np.random.default_rng(seed)
    dense = (rng.random((n, len(genes))) < density) * rng.integers(1, 9, (n, len(genes)))
    matrix = sp.csr_matrix(dense.astype(np.float32)) if sparse else dense.astype(np.float32)
    frame = pd.DataFrame(obs, index=[f"s{seed}_{i}" for i in range(n)])
    return ad.AnnData(matrix, obs=frame, var=pd.DataFrame(index=genes))


def write(adata: ad.AnnData, path: Path, **kwargs: object) -> str:
    if path.suffix == ".zarr":
        adata.write_zarr(path)
    else:
        adata.write_h5ad(path, **kwargs)
    return str(path)


def dense_row(adata: ad.AnnData, i: int) -> np.ndarray:
    row = adata.X[i]
    return np.asarray(row.toarray()[0] if sp.issparse(row) else row).ravel()


@pytest.fixture
def two_files(tmp_path: Path) -> tuple[list[str], ad.AnnData, ad.AnnData]:
    """Two members with different var and different obs columns."""
    first = make_adata(
        7, ["g1", "g2", "g3", "g4"], {"cell_type": list("ABABABC"), "donor": list("xxyyxxy")}
    )
    second = make_adata(
        5, ["g3", "g4", "g5"], {"cell_type": list("CCDAB"), "medium": list("mnmnm")}, seed=1
    )
    paths = [write(first, tmp_path / "a.h5ad"), write(second, tmp_path / "b.h5ad")]
    return paths, first, second


@pytest.mark.parametrize("suffix", [".h5ad", ".zarr"])
@pytest.mark.parametrize("sparse", [True, False])
def test_rows_match_anndata(tmp_path: Path, suffix: str, sparse: bool) -> None:
    adata = make_adata(40, [f"g{i}" for i in range(9)], {"t": list("ab" * 20)}, sparse=sparse)
    path = write(adata, tmp_path / f"m{suffix}")
    with MappedCollection([path, path], obs_keys="t") as dataset:
        assert len(dataset) == 80 and dataset.shape == (80, 9)
        item = dataset[45]
        np.testing.assert_array_equal(item["X"], dense_row(adata, 5))
        assert item["t"] == dataset.encoders["t"][adata.obs["t"].iloc[5]]
        assert item["_store_idx"] == 1
        indices = [39, 0, 7, 7, 79, -1, 40]
        batch = dataset.__getitems__(indices)
        for index, sample in zip(indices, batch, strict=True):
            np.testing.assert_array_equal(sample["X"], dense_row(adata, index % 40))


def test_compressed_h5ad_reads_through_hdf5(tmp_path: Path) -> None:
    adata = make_adata(30, [f"g{i}" for i in range(6)], {"t": list("abc" * 10)})
    path = write(adata, tmp_path / "gz.h5ad", compression="gzip")
    dataset = MappedCollection([path])
    assert dataset.members[0]._pread is None  # compressed: h5py hyperslabs, not pread
    for index, sample in zip([29, 3, 3, 0], dataset.__getitems__([29, 3, 3, 0]), strict=True):
        np.testing.assert_array_equal(sample["X"], dense_row(adata, index))


def test_inner_join_keeps_shared_vars_and_missing_obs_are_minus_one(two_files: tuple) -> None:
    paths, first, second = two_files
    dataset = MappedCollection(paths, obs_keys=["cell_type", "medium"], join="inner")
    assert list(dataset.var_joint) == ["g3", "g4"]
    np.testing.assert_array_equal(dataset[0]["X"], dense_row(first, 0)[2:4])
    np.testing.assert_array_equal(dataset[8]["X"], dense_row(second, 1)[0:2])
    assert dataset.get_merged_categories("cell_type") == ["A", "B", "C", "D"]
    assert dataset[0]["medium"] == MISSING  # the first file has no 'medium' column
    assert dataset[7]["medium"] == dataset.encoders["medium"]["m"]
    labels = dataset.get_merged_labels("medium")
    assert labels[0] is None and labels[8] == "n"


def test_outer_join_fills_missing_vars_with_zeros(two_files: tuple) -> None:
    paths, first, second = two_files
    dataset = MappedCollection(paths, obs_keys="donor", join="outer")
    assert list(dataset.var_joint) == ["g1", "g2", "g3", "g4", "g5"]
    expected = pd.concat([first.to_df(), second.to_df()], join="outer", ignore_index=True).fillna(0)
    for index in (0, 6, 7, 11):
        np.testing.assert_array_equal(dataset[index]["X"], expected.iloc[index].to_numpy())
    assert [dataset[i]["donor"] for i in (0, 2, 7)] == [0, 1, MISSING]


def test_join_none_requires_the_same_var(two_files: tuple) -> None:
    with pytest.raises(InvalidArgument, match="different var"):
        MappedCollection(two_files[0], join=None)
    with pytest.raises(InvalidArgument, match="join must be"):
        MappedCollection(two_files[0], join="left")


def test_unknown_obs_key_and_csc_are_refused(tmp_path: Path, two_files: tuple) -> None:
    with pytest.raises(InvalidArgument, match="in none of the members"):
        MappedCollection(two_files[0], obs_keys=["nope"])
    adata = make_adata(4, ["g1", "g2"], {"t": list("abab")})
    adata.X = sp.csc_matrix(adata.X)
    with pytest.raises(InvalidArgument, match="CSC"):
        MappedCollection([write(adata, tmp_path / "csc.h5ad")])


def test_nan_labels_and_index_errors(tmp_path: Path) -> None:
    adata = make_adata(4, ["g1", "g2"], {"t": ["a", None, "b", "a"]})
    dataset = MappedCollection([write(adata, tmp_path / "nan.h5ad")], obs_keys="t")
    assert [dataset[i]["t"] for i in range(4)] == [0, MISSING, 1, 0]
    with pytest.raises(IndexError):
        dataset[4]


def test_label_weights_balance_labels(two_files: tuple) -> None:
    dataset = MappedCollection(two_files[0], obs_keys=["cell_type", "medium"])
    weights = dataset.get_label_weights("cell_type")
    labels = dataset.get_merged_labels("cell_type")
    counts = pd.Series(labels).value_counts()
    np.testing.assert_allclose(weights, [1 / counts[label] for label in labels])
    for label in counts.index:  # every label weighs the same in total
        assert weights[labels == label].sum() == pytest.approx(1.0)
    joint = dataset.get_label_weights(["cell_type", "medium"])
    assert joint.shape == (12,) and joint[0] == pytest.approx(1 / 3)  # A with no medium: 3 rows
    assert dataset.get_label_weights("cell_type", scaler=1.0)[0] == pytest.approx(1 / (4 + 1))
    with pytest.raises(InvalidArgument):
        dataset.get_label_weights("donor")


def test_pickles_for_worker_processes(two_files: tuple) -> None:
    dataset = MappedCollection(two_files[0], obs_keys="cell_type", join="outer")
    dataset[0]  # open the files in this process
    copy = pickle.loads(pickle.dumps(dataset))
    np.testing.assert_array_equal(copy[3]["X"], dataset[3]["X"])
    dataset.close()
    copy.close()


def test_torch_dataloader_with_weighted_sampler(two_files: tuple) -> None:
    torch = pytest.importorskip("torch")
    if torch.__version__.split("+")[0] != "2.13.0":
        pytest.skip("this test runs with torch==2.13.0 (the CPU build these machines install)")
    from torch.utils.data import DataLoader, WeightedRandomSampler

    dataset = MappedCollection(two_files[0], obs_keys=["cell_type"], join="outer")
    sampler = WeightedRandomSampler(
        weights=dataset.get_label_weights("cell_type"), num_samples=len(dataset)
    )
    batches = list(DataLoader(dataset, batch_size=5, sampler=sampler))
    assert sum(len(b["X"]) for b in batches) == len(dataset)
    assert batches[0]["X"].shape == (5, 5) and batches[0]["X"].dtype == torch.float32
    assert batches[0]["cell_type"].dtype == torch.int64
    workers = list(DataLoader(dataset, batch_size=4, shuffle=True, num_workers=2))
    rows = torch.cat([b["X"] for b in workers])
    assert rows.shape == (12, 5)
    assert torch.sort(rows.sum(dim=1)).values.tolist() == sorted(
        dataset[i]["X"].sum() for i in range(12)
    )
