"""Shared pieces of the synthetic single-cell examples: counts, embeddings, gene ids.

Every dataset is made with numpy's seeded generator, so the same call gives the same data.
The gene ids and symbols are real (from the offline GENCODE tables); the counts are not.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...bionty.public import public

if TYPE_CHECKING:
    import anndata as ad
    import numpy as np
    import pandas as pd


def rng(seed: int) -> np.random.Generator:
    import numpy as np

    return np.random.default_rng(seed)


def genes(organism: str, n: int, protein_coding: bool = True) -> pd.DataFrame:
    """The first n genes (by Ensembl id) of an organism with a symbol: index ensembl_gene_id."""
    table = public("Gene", organism=organism).table
    table = table[table["symbol"].notna()]
    if protein_coding:
        table = table[table["biotype"] == "protein_coding"]
    return table.head(n)


def labels(generator: np.random.Generator, categories: list[str], n: int) -> pd.Categorical:
    """n labels drawn from categories (each present at least once when n allows)."""
    import pandas as pd

    drawn = list(generator.choice(categories, size=n))
    for i, category in enumerate(categories[:n]):
        drawn[i] = category
    drawn = [drawn[i] for i in generator.permutation(n)]
    return pd.Categorical(drawn, categories=categories)


def counts(generator: np.random.Generator, n_obs: int, n_vars: int, groups: Any) -> np.ndarray:
    """Counts with group-specific expression (a few marker genes per group), float32."""
    import numpy as np

    codes = np.asarray(groups.codes)
    base = generator.gamma(0.6, 2.0, size=n_vars)
    markers = generator.integers(0, n_vars, size=(codes.max() + 1, max(1, n_vars // 20)))
    means = np.tile(base, (n_obs, 1))
    for group, genes_of_group in enumerate(markers):
        rows = codes == group
        means[np.ix_(rows, genes_of_group)] *= 8
    return generator.poisson(means).astype("float32")


def log_normalized(x: np.ndarray) -> np.ndarray:
    """Counts per 10,000, log1p-transformed."""
    import numpy as np

    totals = x.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1
    return np.log1p(x / totals * 1e4).astype("float32")


def embeddings(x: np.ndarray, n_pcs: int) -> tuple[np.ndarray, np.ndarray]:
    """A PCA of the data (n_pcs components) and a 2-d embedding (its first two components).

    The scores come from the eigenvectors of the cells' Gram matrix (cells are few here),
    which gives the same components as an SVD of the centered data, much faster.
    """
    import numpy as np

    centered = (x - x.mean(axis=0)).astype("float64")
    values, vectors = np.linalg.eigh(centered @ centered.T)
    order = np.argsort(values)[::-1][:n_pcs]
    scores = vectors[:, order] * np.sqrt(np.clip(values[order], 0, None))
    pca = np.zeros((x.shape[0], n_pcs), dtype="float32")
    pca[:, : scores.shape[1]] = scores
    return pca, pca[:, :2].copy()


def single_cell(
    seed: int,
    obs: dict[str, Any],
    var: pd.DataFrame,
    group_column: str,
    n_pcs: int = 50,
) -> ad.AnnData:
    """An AnnData of log-normalized counts with obs, var, X_pca and X_umap."""
    import anndata as ad
    import pandas as pd

    generator = rng(seed)
    obs_frame = pd.DataFrame(obs)
    obs_frame.index = [f"cell{i:04d}" for i in range(len(obs_frame))]
    raw = counts(generator, len(obs_frame), len(var), obs_frame[group_column].array)
    x = log_normalized(raw)
    obs_frame["n_genes"] = (raw > 0).sum(axis=1)
    adata = ad.AnnData(x, obs=obs_frame, var=var)
    adata.obsm["X_pca"], adata.obsm["X_umap"] = embeddings(x, n_pcs)
    return adata


def obs_with_terms(generator: Any, n_obs: int, columns: dict[str, list[str]]) -> dict[str, Any]:
    """obs columns of labels drawn from the given terms."""
    return {name: labels(generator, terms, n_obs) for name, terms in columns.items()}


def gene_var(organism: str, n: int) -> pd.DataFrame:
    """var indexed by Ensembl id, with gene symbols."""
    return genes(organism, n)[["symbol"]].rename(columns={"symbol": "gene_symbol"})


def write_h5ad(adata: ad.AnnData, path: Path) -> Path:
    """Write an AnnData (making its folder) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    adata.write_h5ad(path)
    return path
