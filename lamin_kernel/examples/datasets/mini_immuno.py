"""The "mini immuno" datasets: 3 genes and sample metadata for 3 samples each (LaminDB's).

`get_dataset1()` is the table the tutorial prints; its `with_*` options introduce the flaws
curation tutorials fix (a typo, a synonym, a gene typo, an index of mixed types, ...).
`get_dataset2()` has other samples and fewer columns, plus a `cell_medium` column before
`donor` (the tutorial's `collection.mapped(obs_keys=["cell_medium"])` reads it).
Dataset-level metadata goes to `df.attrs` (DataFrame) or `adata.uns` (AnnData).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

ENSEMBL_IDS = ["ENSG00000153563", "ENSG00000010610", "ENSG00000170458"]  # CD8A, CD4, CD14
SYMBOLS = ["CD8A", "CD4", "CD14"]
OUTDATED_GENE = "ENSG00000278198"  # an Ensembl id retired from the gene annotation
ABT_CELL = "CD8-positive, alpha-beta T cell"
Otype = Literal["DataFrame", "AnnData"]


def _genes(gene_symbols_in_index: bool, third: str | None = None) -> list[str]:
    genes = list(SYMBOLS if gene_symbols_in_index else ENSEMBL_IDS)
    if third is not None:
        genes[2] = third
    return genes


def _third_gene(gene_symbols_in_index: bool, with_gene_typo: bool, with_outdated: bool) -> str:
    if not with_gene_typo:
        return SYMBOLS[2] if gene_symbols_in_index else ENSEMBL_IDS[2]
    if with_outdated and not gene_symbols_in_index:
        return OUTDATED_GENE
    return "GeneTypo"


def get_dataset1(
    otype: Otype = "DataFrame",
    gene_symbols_in_index: bool = False,
    with_typo: bool = False,
    with_cell_type_synonym: bool = False,
    with_cell_type_typo: bool = False,
    with_gene_typo: bool = False,
    with_outdated_gene: bool = False,
    with_wrong_subtype: bool = False,
    with_index_type_mismatch: bool = False,
    with_date_as_iso_string: bool = True,
) -> Any:
    """The tutorial's table: expression of 3 genes and metadata of 3 samples.

    with_typo: 'IFNJ' for 'IFNG'; with_cell_type_synonym: 'B-cell'; with_cell_type_typo:
    'CD8-pos alpha-beta T cell'; with_gene_typo: 'GeneTypo' as third gene (with
    with_outdated_gene: a retired Ensembl id instead); with_wrong_subtype: a label that is
    no perturbation; with_index_type_mismatch: the third sample's index is the int 0.
    """
    import pandas as pd

    genes = _genes(
        gene_symbols_in_index,
        _third_gene(gene_symbols_in_index, with_gene_typo, with_outdated_gene),
    )
    expert_cell = "CD8-pos alpha-beta T cell" if with_cell_type_typo else ABT_CELL
    columns = {
        genes[0]: [1, 2, 3],
        genes[1]: [3, 4, 5],
        genes[2]: [5, 6, 7],
        "perturbation": pd.Categorical(
            [
                "DMSO",
                "IFNJ" if with_typo else "IFNG",
                "ulabel_but_not_perturbation" if with_wrong_subtype else "DMSO",
            ]
        ),
        "sample_note": ["was ok", "looks naah", "pretty! 🤩"],
        "cell_type_by_expert": pd.Categorical(
            ["B-cell" if with_cell_type_synonym else "B cell", expert_cell, expert_cell]
        ),
        "cell_type_by_model": pd.Categorical(["B cell", "T cell", "T cell"]),
        "assay_oid": pd.Categorical(["EFO:0008913"] * 3),
        "concentration": ["0.1%", "200 nM", "0.1%"],
        "treatment_time_h": [24, 24, 6],
        "donor": ["D0001", "D0002", None],
        "donor_ethnicity": [
            ["Chinese", "Singaporean Chinese"],
            ["Chinese", "Han Chinese"],
            ["Chinese"],
        ],
    }
    index: list[Any] = ["sample1", "sample2", 0 if with_index_type_mismatch else "sample3"]
    metadata = {
        "temperature": 21.6,
        "experiment": "Experiment 1",
        "date_of_study": _date(date(2024, 12, 1), with_date_as_iso_string),
        "study_note": (
            "We had a great time performing this study and the results look compelling."
        ),
    }
    df = pd.DataFrame(columns, index=index)
    return _as_otype(df, otype, metadata, drop=["donor_ethnicity"])


def get_dataset2(
    otype: Otype = "DataFrame",
    gene_symbols_in_index: bool = False,
    with_date_as_iso_string: bool = True,
) -> Any:
    """A second table: other samples, CD38 as third gene, fewer metadata columns."""
    import pandas as pd

    genes = _genes(gene_symbols_in_index, "CD38" if gene_symbols_in_index else "ENSG00000004468")
    columns = {
        genes[0]: [2, 3, 3],
        genes[1]: [3, 4, 5],
        genes[2]: [4, 2, 3],
        "perturbation": pd.Categorical(["DMSO", "IFNG", "IFNG"]),
        "cell_type_by_model": pd.Categorical(["B cell", "T cell", "T cell"]),
        "concentration": ["0.1%", "200 nM", "0.1%"],
        "treatment_time_h": [24, 24, 6],
        "cell_medium": pd.Categorical(["DMSO", "IFNG", "IFNG"]),
        "donor": ["D0003", "D0003", "D0004"],
    }
    metadata = {
        "temperature": 22.6,
        "experiment": "Experiment 2",
        "date_of_study": _date(date(2025, 2, 13), with_date_as_iso_string),
    }
    df = pd.DataFrame(columns, index=["sample4", "sample5", "sample6"])
    return _as_otype(df, otype, metadata, drop=[])


def _date(value: date, as_iso_string: bool) -> date | str:
    return value.isoformat() if as_iso_string else value


def _as_otype(df: pd.DataFrame, otype: str, metadata: dict[str, Any], drop: list[str]) -> Any:
    """The DataFrame (metadata in attrs), or an AnnData of its genes (metadata in uns)."""
    if otype == "DataFrame":
        df.attrs.update(metadata)
        return df
    if otype == "AnnData":
        import anndata as ad

        obs = df.iloc[:, 3:].drop(columns=drop)  # lists cannot be written to h5ad
        return ad.AnnData(df.iloc[:, :3], obs=obs, uns=metadata)
    raise ValueError(f"otype must be 'DataFrame' or 'AnnData', got {otype!r}")


DEFINITIONS = ("define_features_labels", "define_mini_immuno_schema_flexible")


def __getattr__(name: str) -> Any:
    """The features, labels and schema of these datasets (they need the bionty registries,
    so they load on first use)."""
    if name in DEFINITIONS:
        from . import mini_immuno_definitions

        return getattr(mini_immuno_definitions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
