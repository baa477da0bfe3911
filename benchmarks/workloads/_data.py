"""Input files shared by both sides of a run: ``python -m workloads._data KIND OUT [--smoke]``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ._child import size

CELL_TYPES = [f"type_{i}" for i in range(10)]


def big_file(out: Path, smoke: bool) -> Path:
    """A file of ``big_file_mb`` MiB whose 1 MiB blocks all differ."""
    path = out / "big.bin"
    chunk = os.urandom(1024 * 1024)
    with open(path, "wb") as f:
        for i in range(size("big_file_mb", smoke)):
            f.write(i.to_bytes(4, "little") + chunk[4:])
    return path


def _random_csr(rows: int, cols: int, per_row: int, seed: int):  # noqa: ANN202
    """A float32 CSR matrix with about ``per_row`` sorted unique entries per row."""
    import numpy as np
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    parts = []
    step = 100_000
    for start in range(0, rows, step):
        n = min(step, rows - start)
        counts = rng.poisson(per_row, n)
        row = np.repeat(np.arange(n, dtype=np.int64), counts)
        keys = np.unique(row * cols + rng.integers(0, cols, row.size))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(keys // cols, minlength=n))])
        data = rng.random(keys.size, dtype=np.float32) * 10
        parts.append(sp.csr_matrix((data, (keys % cols).astype(np.int32), indptr), shape=(n, cols)))
    return sp.vstack(parts, format="csr")


def mapped_h5ad(out: Path, smoke: bool) -> Path:
    """``mapped_rows`` x ``mapped_genes`` sparse AnnData (1% density) with a skewed cell_type."""
    import anndata as ad
    import numpy as np
    import pandas as pd

    rows, genes = size("mapped_rows", smoke), size("mapped_genes", smoke)
    rng = np.random.default_rng(7)
    weights = np.arange(1, len(CELL_TYPES) + 1, dtype=float)
    obs = pd.DataFrame(
        {
            "cell_type": pd.Categorical(
                rng.choice(CELL_TYPES, rows, p=weights / weights.sum()), categories=CELL_TYPES
            )
        },
        index=pd.Index([f"cell_{i}" for i in range(rows)]),
    )
    var = pd.DataFrame(index=pd.Index([f"gene_{j}" for j in range(genes)]))
    path = out / "mapped.h5ad"
    X = _random_csr(rows, genes, max(1, genes // 100), seed=3)
    ad.AnnData(X=X, obs=obs, var=var).write_h5ad(path)
    return path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["big_file", "mapped_h5ad"])
    ap.add_argument("out")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = {"big_file": big_file, "mapped_h5ad": mapped_h5ad}[args.kind](out, args.smoke)
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
