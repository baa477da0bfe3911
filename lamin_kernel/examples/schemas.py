"""Example schemas (`ln.examples.schemas`), made on first use and found by name after.

valid_features()                                      columns are registered features
anndata_ensembl_gene_ids_and_valid_features_in_obs()  obs as above, var.T Ensembl gene ids
"""

from __future__ import annotations

from typing import Any

from ..models import builtin_schemas


def valid_features() -> Any:
    """A DataFrame schema: every column must be a registered feature."""
    return builtin_schemas.valid_features()


def anndata_ensembl_gene_ids_and_valid_features_in_obs() -> Any:
    """An AnnData schema: obs columns are registered features, var.T holds Ensembl gene ids."""
    return builtin_schemas.anndata_ensembl_gene_ids_and_valid_features_in_obs()


__all__ = ["anndata_ensembl_gene_ids_and_valid_features_in_obs", "valid_features"]
