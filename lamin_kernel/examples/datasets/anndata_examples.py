"""Example AnnData objects: small ones defined value by value, and synthetic single-cell data
with the layout of LaminDB's (the same obs columns, categories, var ids and slots).

The counts are synthetic (see `synthetic.py`); cell types, tissues and assays are real
ontology terms, gene ids and symbols come from the offline GENCODE tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .synthetic import genes, labels, rng, single_cell

if TYPE_CHECKING:
    import anndata as ad

PBMC68K_CELL_TYPES = [
    "CD14+ Monocytes", "CD19+ B", "CD34+", "CD4+/CD25 T Reg", "CD4+/CD45RA+/CD25- Naive T",
    "CD4+/CD45RO+ Memory", "CD56+ NK", "CD8+ Cytotoxic T", "CD8+/CD45RA+ Naive Cytotoxic",
    "Dendritic cells",
]  # fmt: skip
PBMC3K_CELL_TYPES = [
    "CD4 T cells", "CD14+ Monocytes", "B cells", "CD8 T cells", "NK cells",
    "FCGR3A+ Monocytes", "Dendritic cells", "Megakaryocytes",
]  # fmt: skip


def anndata_with_obs() -> ad.AnnData:
    """40 observations x 100 human genes (zeros) with cell_type, cell_type_id, tissue, disease."""
    import anndata as ad
    import numpy as np
    import pandas as pd

    obs = pd.DataFrame(
        {
            "cell_type": ["T cell", "hematopoietic stem cell", "hepatocyte", "my new cell type"]
            * 10,
            "cell_type_id": ["CL:0000084", "CL:0000037", "CL:0000182", ""] * 10,
            "tissue": ["kidney", "liver", "heart", "brain"] * 10,
            "disease": [
                "chronic kidney disease",
                "liver lymphoma",
                "cardiac ventricle disorder",
                "Alzheimer disease",
            ]
            * 10,
        },
        index=[f"obs{i}" for i in range(40)],
    )
    adata = ad.AnnData(X=np.zeros((40, 100), dtype=np.float32), obs=obs)
    adata.var.index = list(genes("human", 100, protein_coding=False).index)
    return adata


def small_dataset3_cellxgene(
    otype: Literal["DataFrame", "AnnData"] = "AnnData",
    *,
    with_obs_defaults: bool = False,
    with_var_typo: bool = False,
    with_obs_typo: bool = False,
    with_uns_organism: bool = False,
    with_uns_spatial: bool = False,
) -> Any:
    """3 cells x 3 genes in the CELLxGENE schema's layout (ontology term id columns).

    The options add the ontology id defaults, a typo in a gene id or in a tissue id, the
    organism in `.uns` instead of `.obs`, and a Visium `spatial` entry in `.uns`.
    """
    import anndata as ad
    import numpy as np
    import pandas as pd

    first_gene = "invalid_ensembl_id" if with_var_typo else "ENSG00000000457"
    var_ids = [first_gene, "ENSG00000000419", "ENSG00000139618"]
    lung = "UBERON:0002048XXX" if with_obs_typo else "UBERON:0002048"
    barcodes = ["barcode1", "barcode2", "barcode3"]
    obs = pd.DataFrame(
        {
            "disease_ontology_term_id": ["MONDO:0004975", "MONDO:0004980", "MONDO:0004980"],
            "development_stage_ontology_term_id": ["unknown"] * 3,
            "sex_ontology_term_id": ["PATO:0000383", "PATO:0000384", "unknown"],
            "tissue_ontology_term_id": [lung, lung, "UBERON:0000948"],
            "cell_type": ["T cell", "B cell", "B cell"],
            "self_reported_ethnicity": ["South Asian"] * 3,
            "donor_id": pd.Categorical(["-1", "1", "2"]),
            "is_primary_data": [False] * 3,
            "suspension_type": ["cell"] * 3,
            "tissue_type": ["tissue"] * 3,
        },
        index=barcodes,
    )
    x = pd.DataFrame(
        {var_ids[0]: [2, 3, 3], var_ids[1]: [3, 4, 5], var_ids[2]: [4, 2, 3]},
        index=barcodes,
        dtype="float32",
    )
    if otype == "DataFrame":
        return pd.concat([x, obs], axis=1)
    var = pd.DataFrame({"feature_is_filtered": [False] * 3}, index=var_ids)
    adata = ad.AnnData(X=x, obs=obs, var=var)
    adata.uns["title"] = "CELLxGENE example"
    adata.obsm["X_pca"] = np.array([[-1.2, 0.8], [0.5, -0.3], [0.7, -0.5]], dtype="float32")
    adata.raw = adata.copy()
    adata.raw.var.drop(columns="feature_is_filtered", inplace=True)
    if with_obs_defaults:
        adata.obs["cell_type_ontology_term_id"] = ["CL:0000084", "CL:0000236", "CL:0000236"]
        adata.obs["self_reported_ethnicity_ontology_term_id"] = "na"
        adata.obs["assay_ontology_term_id"] = "EFO:1001982"
        adata.obs["assay"] = "single-cell RNA sequencing"
    if with_uns_organism:
        adata.uns["organism_ontology_term_id"] = "NCBITaxon:9606"
        adata.uns["organism"] = "Homo sapiens"
    else:
        adata.obs["organism_ontology_term_id"] = "NCBITaxon:9606"
    if with_uns_spatial:
        image = rng(3).integers(0, 255, (2000, 2000, 3), dtype=np.uint8)
        adata.uns["spatial"] = {
            "is_single": True,
            "library_123": {
                "scalefactors": {"spot_diameter_fullres": 165.0, "tissue_hires_scalef": 0.5},
                "images": {"hires": image},
            },
        }
    return adata


def anndata_pbmc68k_reduced() -> ad.AnnData:
    """70 PBMCs x 765 genes (symbols), log-normalized, with cell_type (10 types), n_genes,
    percent_mito, louvain, X_pca and X_umap; synthetic, in the layout of scanpy's pbmc68k."""
    generator = rng(68)
    cell_types = labels(generator, PBMC68K_CELL_TYPES, 70)
    var = genes("human", 765)
    var = var.reset_index().set_index("symbol")[["ensembl_gene_id"]]
    var.index.name = None
    obs = {
        "cell_type": cell_types,
        "percent_mito": generator.uniform(0.005, 0.06, 70).astype("float32"),
        "louvain": labels(generator, [str(i) for i in range(11)], 70),
    }
    adata = single_cell(68, obs, var, "cell_type")
    adata.var["n_counts"] = adata.X.sum(axis=0)
    adata.var["highly_variable"] = adata.X.var(axis=0) > float(adata.X.var(axis=0).mean())
    return adata


def anndata_file_pbmc68k_test() -> Path:
    """`pbmc68k_test.h5ad`: the first 30 cells x 200 genes of anndata_pbmc68k_reduced() with a
    raw of 100 genes, obsp/varp "test" (identities) and layers "test" (row 0 all ones)."""
    import numpy as np
    from scipy import sparse

    adata = anndata_pbmc68k_reduced()[:30, :200].copy()
    adata.raw = adata[:, :100].copy()
    adata.obsp["test"] = sparse.eye(adata.n_obs, format="csr")
    adata.varp["test"] = sparse.eye(adata.n_vars, format="csr")
    layer = np.zeros(adata.shape, dtype="float32")
    layer[0] = 1.0
    adata.layers["test"] = sparse.csr_matrix(layer)
    path = Path("pbmc68k_test.h5ad")
    adata.write_h5ad(path)
    return path


def anndata_pbmc3k_processed() -> ad.AnnData:
    """300 PBMCs x 500 genes with cell_type (scanpy's 8 clusters), n_genes, percent_mito,
    n_counts, X_pca and X_umap; synthetic, in the layout of scanpy's pbmc3k_processed."""
    generator = rng(3)
    obs = {
        "cell_type": labels(generator, PBMC3K_CELL_TYPES, 300),
        "percent_mito": generator.uniform(0.0, 0.05, 300).astype("float32"),
    }
    var = genes("human", 500)
    var = var.reset_index().set_index("symbol")[["ensembl_gene_id"]]
    var.index.name = None
    adata = single_cell(3, obs, var, "cell_type")
    adata.obs["n_counts"] = adata.X.sum(axis=1)
    return adata
