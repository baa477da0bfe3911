"""MuData and SpatialData examples; they need the optional packages mudata and spatialdata
(a ModuleNotFoundError names the one missing)."""

from __future__ import annotations

from typing import Any

from .synthetic import gene_var, labels, rng, single_cell

MODALITIES = ("rna", "adt", "hto", "gdo")


def mudata_papalexi21_subset(with_uns: bool = False) -> Any:
    """200 cells in four modalities (rna 300 genes, adt 4 proteins, hto 12 hashtags, gdo 20
    guides), obs with the perturbation design of Papalexi et al. 2021; synthetic.

    with_uns: also study-level `uns["study_metadata"]` and `rna.uns["site_metadata"]`.
    """
    import anndata as ad
    import mudata as md
    import pandas as pd

    generator = rng(21)
    n_obs = 200
    design = {
        "perturbation": labels(generator, ["Perturbed", "NT"], n_obs),
        "replicate": labels(generator, ["rep1", "rep2", "rep3"], n_obs),
        "gene_target": labels(
            generator, ["NT", "IFNGR1", "IFNGR2", "JAK2", "STAT1", "IRF1"], n_obs
        ),
    }
    rna = single_cell(21, {**design}, gene_var("human", 300), "gene_target")
    rna.obs["percent.mito"] = generator.uniform(0.01, 0.1, n_obs).astype("float32")
    barcodes = rna.obs_names
    adt = ad.AnnData(
        generator.poisson(30, (n_obs, 4)).astype("float32"),
        obs=pd.DataFrame(index=barcodes),
        var=pd.DataFrame(index=["CD86", "PDL1", "PDL2", "CD366"]),
    )
    hto = ad.AnnData(
        generator.poisson(10, (n_obs, 12)).astype("float32"),
        obs=pd.DataFrame({"technique": pd.Categorical(["cell hashing"] * n_obs)}, index=barcodes),
        var=pd.DataFrame(index=[f"rep{r}-tx{t}" for r in range(1, 4) for t in range(1, 5)]),
    )
    gdo = ad.AnnData(
        generator.poisson(2, (n_obs, 20)).astype("float32"),
        obs=pd.DataFrame(index=barcodes),
        var=pd.DataFrame(index=[f"guide{i:02d}" for i in range(20)]),
    )
    mdata = md.MuData({"rna": rna, "adt": adt, "hto": hto, "gdo": gdo})
    mdata.obs["technique"] = pd.Categorical(["cell hashing"] * n_obs)
    if with_uns:
        mdata.uns["study_metadata"] = {"temperature": 21.6, "experiment": "Experiment 1"}
        mdata["rna"].uns["site_metadata"] = {"pos": 99.9, "site_id": "SITE001"}
    return mdata


def spatialdata_blobs() -> Any:
    """spatialdata's own "blobs" example with bio/tech attributes and three human gene ids
    (one of them not a gene) as var of its table."""
    import pandas as pd
    from spatialdata.datasets import blobs

    sdata = blobs()
    sdata.attrs["bio"] = {"disease": "Alzheimer disease", "developmental_stage": "adult stage"}
    sdata.attrs["tech"] = {"assay": "Visium Spatial Gene Expression"}
    sdata.attrs["random_int"] = 20
    table = sdata.tables["table"]
    table.var.index = ["ENSG00000139618", "ENSG00000157764", "ENSG00000999999"]
    half = table.n_obs // 2
    table.obs["sample_region"] = pd.Categorical(
        ["sample region 1"] * half + ["sample region 2"] * (table.n_obs - half)
    )
    return sdata
