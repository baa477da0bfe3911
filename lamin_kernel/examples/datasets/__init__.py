"""Example datasets, made offline (`ln.examples.datasets`, LaminDB's names).

    mini_immuno.get_dataset1(...), get_dataset2(...)   the tutorial's small tables
    small_dataset1, small_dataset2, small_dataset3_cellxgene, anndata_with_obs
    file_mini_csv, file_fastq, file_bam, file_fcs, file_fcs_alpert19, file_tiff_suo22,
    file_tsv_rnaseq_nfcore_salmon_merged_gene_counts, dir_scrnaseq_cellranger, dir_iris_images
    dict_cellxgene_uns, df_iris, df_iris_in_meter(_study1, _study2)
    anndata_pbmc68k_reduced, anndata_file_pbmc68k_test, anndata_pbmc3k_processed,
    anndata_human_immune_cells, anndata_mouse_sc_lymph_node, anndata_suo22_Visium10X,
    anndata_visium_mouse_cellxgene, schmidt22_crispra_gws_IFNG, schmidt22_perturbseq
    mudata_papalexi21_subset, spatialdata_blobs (need mudata / spatialdata)
    fake_bio_notebook_titles

Nothing is downloaded: small tables are written out value by value, iris ships with the
package, and the rest is generated with fixed seeds (synthetic data with the layout of
LaminDB's datasets: real ontology terms and gene ids, made-up measurements). Attributes load
on first use, so importing this package loads no pandas.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# name -> submodule that defines it
_WHERE = {
    **dict.fromkeys(
        ["file_fastq", "file_bam", "file_mini_csv", "file_fcs", "file_fcs_alpert19",
         "file_tsv_rnaseq_nfcore_salmon_merged_gene_counts", "file_tiff_suo22",
         "dir_iris_images", "dir_scrnaseq_cellranger"],
        "files",
    ),
    **dict.fromkeys(
        ["dict_cellxgene_uns", "df_iris", "df_iris_in_meter", "df_iris_in_meter_study1",
         "df_iris_in_meter_study2"],
        "frames",
    ),
    **dict.fromkeys(
        ["anndata_with_obs", "small_dataset3_cellxgene", "anndata_pbmc68k_reduced",
         "anndata_file_pbmc68k_test", "anndata_pbmc3k_processed"],
        "anndata_examples",
    ),
    **dict.fromkeys(
        ["anndata_human_immune_cells", "anndata_mouse_sc_lymph_node", "anndata_suo22_Visium10X",
         "anndata_visium_mouse_cellxgene", "schmidt22_crispra_gws_IFNG",
         "schmidt22_perturbseq", "fake_bio_notebook_titles"],
        "study_examples",
    ),
    **dict.fromkeys(["mudata_papalexi21_subset", "spatialdata_blobs"], "multimodal"),
}  # fmt: skip
_ALIASES = {"small_dataset1": "get_dataset1", "small_dataset2": "get_dataset2"}

__all__ = ["mini_immuno", *_WHERE, *_ALIASES]


def __getattr__(name: str) -> Any:
    if name == "mini_immuno":
        return import_module(f"{__name__}.mini_immuno")
    if name in _ALIASES:
        return getattr(import_module(f"{__name__}.mini_immuno"), _ALIASES[name])
    if name in _WHERE:
        return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
