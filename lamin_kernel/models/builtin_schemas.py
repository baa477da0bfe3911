"""Schemas LaminDB lets constructors name by a string: `schema="valid_features"`.

`Artifact.from_dataframe(df, schema="valid_features")` validates that columns are known
features; `Artifact.from_anndata(adata, schema="ensembl_gene_ids_and_valid_features_in_obs")`
also that var holds Ensembl gene ids. Each is made on first use and found by name after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import InvalidArgument
from .features import Schema


def valid_features() -> Schema:
    """A DataFrame schema: every column is a registered feature."""
    found = Schema.filter(name="valid_features").first()
    return found if found is not None else Schema(name="valid_features", itype="Feature").save()


def anndata_ensembl_gene_ids_and_valid_features_in_obs() -> Schema:
    """An AnnData schema: obs columns are features, var holds Ensembl gene ids."""
    name = "anndata_ensembl_gene_ids_and_valid_features_in_obs"
    found = Schema.filter(name=name).first()
    if found is not None:
        return found
    var_t = (
        Schema.filter(name="valid_ensembl_gene_ids").first()
        or Schema(name="valid_ensembl_gene_ids", itype="bionty.Gene.ensembl_gene_id").save()
    )
    return Schema(
        name=name, otype="AnnData", slots={"obs": valid_features(), "var.T": var_t}
    ).save()


BUILT_IN: dict[str, Callable[[], Schema]] = {
    "valid_features": valid_features,
    "ensembl_gene_ids_and_valid_features_in_obs": (
        anndata_ensembl_gene_ids_and_valid_features_in_obs
    ),
}


def schema_argument(name: str) -> Any:
    """The schema a constructor's `schema="..."` names."""
    try:
        return BUILT_IN[name]()
    except KeyError:
        raise InvalidArgument(
            f"schema must be a Schema or the name of a built-in one, got '{name}'; names: "
            f"{', '.join(repr(n) for n in BUILT_IN)}"
        ) from None
