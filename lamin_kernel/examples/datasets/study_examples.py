"""Synthetic stand-ins for LaminDB's study datasets: the same layout (obs columns with real
ontology terms, Ensembl gene ids, slots, file names), counts made in code.

`populate_registries=True` fills the registries the way the matching LaminDB guides expect.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...bionty import CellType, ExperimentalFactor, Gene, Organism, Tissue
from ...models import Feature, ULabel
from ...records.persist import save_records
from .synthetic import gene_var, labels, obs_with_terms, rng, single_cell, write_h5ad

if TYPE_CHECKING:
    import anndata as ad

HUMAN_IMMUNE_TERMS = {
    "cell_type": [
        "classical monocyte", "CD4-positive, alpha-beta memory T cell", "naive B cell",
        "effector memory CD8-positive, alpha-beta T cell", "alveolar macrophage",
        "CD16-positive, CD56-dim natural killer cell, human", "plasma cell",
        "naive thymus-derived CD4-positive, alpha-beta T cell",
    ],
    "tissue": ["blood", "lung", "spleen", "bone marrow", "thoracic lymph node"],
    "assay": ["10x 3' v3", "10x 5' v1", "10x 5' v2"],
    "donor": ["D496", "621B", "A29", "A36", "A37", "D503"],
}  # fmt: skip
MOUSE_LYMPH_NODE_TERMS = {
    "sex": ["female", "male"],
    "age": ["10 weeks", "12 weeks"],
    "genotype": ["wild type genotype", "Gsdmd knockout"],
    "immunophenotype": ["CD45-positive", "CD45-negative"],
    "tissue": ["lymph node"],
    "cell_type": ["B cell", "T cell", "dendritic cell", "macrophage"],
    "developmental_stage": ["adult"],
}


def anndata_human_immune_cells(populate_registries: bool = False) -> ad.AnnData:
    """300 human immune cells x 1,000 genes (Ensembl ids) with donor, tissue, cell_type and
    assay; synthetic, in the layout of the cross-tissue immune atlas subsample."""
    adata = single_cell(
        1648,
        obs_with_terms(rng(1648), 300, HUMAN_IMMUNE_TERMS),
        gene_var("human", 1000),
        "cell_type",
    )
    if populate_registries:
        save_records(Gene.from_values(adata.var.index, field="ensembl_gene_id", organism="human"))
        for registry, column in (
            (CellType, "cell_type"),
            (ExperimentalFactor, "assay"),
            (Tissue, "tissue"),
        ):
            save_records(registry.from_values(adata.obs[column], field="name"))
        for name, dtype in (
            ("cell_type", CellType),
            ("assay", ExperimentalFactor),
            ("tissue", Tissue),
            ("organism", Organism),
            ("donor", ULabel),
        ):
            Feature(name=name, dtype=[dtype]).save()
        ExperimentalFactor.from_source(ontology_id="EFO:0008913").save()
        save_records([ULabel(name=name) for name in adata.obs["donor"].unique()])
    return adata


def anndata_mouse_sc_lymph_node(populate_registries: bool = False) -> ad.AnnData:
    """300 mouse lymph node cells x 1,000 genes (Ensembl ids) with sex, age, genotype,
    immunophenotype, tissue, cell_type and developmental_stage; synthetic."""
    adata = single_cell(
        8414,
        obs_with_terms(rng(8414), 300, MOUSE_LYMPH_NODE_TERMS),
        gene_var("mouse", 1000),
        "cell_type",
    )
    if populate_registries:
        ExperimentalFactor.from_source(ontology_id="EFO:0004472").save()
        ExperimentalFactor.from_source(ontology_id="EFO:0001272").save()
        Tissue.from_source(ontology_id="UBERON:0001542").save()
        save_records(CellType.from_values(["CL:0000115", "CL:0000738"], "ontology_id"))
        Feature(name="assay", dtype=[ExperimentalFactor]).save()
        ExperimentalFactor.from_source(ontology_id="EFO:0008913").save()
        save_records(
            Gene.from_values(adata.var.index[:-19], field="ensembl_gene_id", organism="mouse")
        )
        names = {v for c in ("sex", "age", "genotype", "immunophenotype") for v in adata.obs[c]}
        save_records([ULabel(name=name) for name in sorted(names)])
    return adata


def _spatial(adata: ad.AnnData, seed: int, library: str) -> ad.AnnData:
    """Spot coordinates on a hexagonal grid, and a Visium-style `uns["spatial"]` entry."""
    import numpy as np

    n = adata.n_obs
    side = int(np.ceil(np.sqrt(n)))
    rows, cols = np.divmod(np.arange(n), side)
    adata.obsm["spatial"] = np.column_stack([cols * 100 + (rows % 2) * 50, rows * 87]).astype(
        "float64"
    )
    image = rng(seed).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    adata.uns["spatial"] = {
        library: {
            "images": {"hires": image},
            "scalefactors": {"spot_diameter_fullres": 89.4, "tissue_hires_scalef": 0.17},
        }
    }
    return adata


def anndata_suo22_Visium10X() -> ad.AnnData:  # noqa: N802 - LaminDB's name
    """200 Visium spots x 500 human genes with spatial coordinates, also written to
    `suo22/Visium10X_data_LI_subset.h5ad`; synthetic."""
    obs = obs_with_terms(rng(22), 200, {"annotation": ["hepatocyte zone", "vessel", "stroma"]})
    adata = _spatial(
        single_cell(22, obs, gene_var("human", 500), "annotation"), 22, "F121_LP1_4LIV"
    )
    write_h5ad(adata, Path("suo22") / "Visium10X_data_LI_subset.h5ad")
    return adata


def anndata_visium_mouse_cellxgene() -> ad.AnnData:
    """200 Visium spots of mouse thymus x 500 genes in the CELLxGENE schema's layout
    (ontology term id columns, `uns["spatial"]` with is_single); synthetic."""
    generator = rng(2024)
    obs = {
        "assay_ontology_term_id": ["EFO:0010961"] * 200,
        "tissue_ontology_term_id": ["UBERON:0002370"] * 200,
        "disease_ontology_term_id": ["PATO:0000461"] * 200,
        "development_stage_ontology_term_id": ["MmusDv:0000048"] * 200,
        "sex_ontology_term_id": labels(generator, ["PATO:0000383", "PATO:0000384"], 200),
        "self_reported_ethnicity_ontology_term_id": ["na"] * 200,
        "donor_id": labels(generator, ["mouse1", "mouse2"], 200),
        "suspension_type": ["na"] * 200,
        "is_primary_data": [True] * 200,
        "in_tissue": [1] * 200,
        "array_row": list(range(200)),
        "array_col": [0] * 200,
        "cell_type_ontology_term_id": ["unknown"] * 200,
        "tissue_type": ["tissue"] * 200,
    }
    adata = _spatial(
        single_cell(2024, obs, gene_var("mouse", 500), "sex_ontology_term_id"), 2024, "thymus"
    )
    adata.uns["spatial"]["is_single"] = True
    adata.uns["organism_ontology_term_id"] = "NCBITaxon:10090"
    adata.uns["title"] = "Visium of the thymus of wild type mice (synthetic)"
    adata.var["feature_is_filtered"] = False
    return adata


def schmidt22_crispra_gws_IFNG(basedir: str | Path = ".") -> Path:  # noqa: N802 - LaminDB's name
    """`schmidt22-crispra-gws-IFNG.csv`: a CRISPRa screen's gene-level results (id, symbol,
    log fold change, p value, FDR) for 1,000 human genes; synthetic."""
    import pandas as pd

    generator = rng(22)
    table = gene_var("human", 1000).reset_index()
    lfc = generator.normal(0, 1, len(table))
    pvalue = generator.uniform(0, 1, len(table)) ** 2
    frame = pd.DataFrame(
        {
            "id": table["ensembl_gene_id"],
            "gene_symbol": table["gene_symbol"],
            "neg|lfc": -abs(lfc),
            "pos|lfc": abs(lfc),
            "pos|p-value": pvalue,
            "pos|fdr": (pvalue * len(table) / (pd.Series(pvalue).rank() + 1)).clip(upper=1),
        }
    )
    path = Path(basedir) / "schmidt22-crispra-gws-IFNG.csv"
    frame.to_csv(path, index=False)
    return path


def schmidt22_perturbseq(basedir: str | Path = ".") -> Path:
    """`schmidt22_perturbseq.h5ad`: 300 restimulated T cells x 500 genes with `cluster_name`
    and the CRISPRa target `gene_target`; synthetic."""
    generator = rng(2022)
    targets = ["NO-TARGET", "IFNG", "IL2", "TNF", "VAV1", "CD28"]
    obs = {
        "cluster_name": labels(
            generator, ["IFNG high", "IL2 high", "TNF high", "proliferating"], 300
        ),
        "gene_target": labels(generator, targets, 300),
    }
    adata = single_cell(2022, obs, gene_var("human", 500), "cluster_name")
    return write_h5ad(adata, Path(basedir) / "schmidt22_perturbseq.h5ad")


def fake_bio_notebook_titles(n: int = 100) -> list[str]:
    """n titles of imagined biology notebooks, made from word lists with a fixed seed."""
    generator = rng(n)
    verbs = ["Study", "Investigate", "Research", "Cluster", "Rank", "Visualize", "Classify"]
    things = ["T cells", "B cells", "hepatocytes", "alveolar macrophages", "neurons", "IgG1", "IgA", "the intestine", "kidney organoids", "mitochondria"]  # fmt: skip
    goals = ["efficiency", "candidate markers", "results", "lineage", "response to IFNG"]
    return [
        f"{generator.choice(verbs)} {generator.choice(things)} in {generator.choice(things)} "
        f"for {generator.choice(goals)}."
        for _ in range(n)
    ]
