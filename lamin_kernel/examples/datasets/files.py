"""Example files and folders, written into the current folder (or the storage root).

LaminDB downloads most of these; here each is made from numbers generated in code with a
fixed seed, so a call gives the same bytes every time and works offline. Mock files
(`file_fastq`, `file_bam`) hold a line of text, as LaminDB's do. Files with real-world
counterparts (the FCS, the salmon counts, the images) are synthetic stand-ins with the
same layout: the same kind of columns, channels and names, not the measured values.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ...bionty.public import public
from ...setup.session import default_storage
from .binary_formats import write_fcs, write_png, write_tiff

SEED = 2023
FCS_CHANNELS = [
    ("FSC-A", "forward scatter"), ("SSC-A", "side scatter"), ("CD3", "CD3 FITC"),
    ("CD4", "CD4 PE"), ("CD8", "CD8 APC"), ("CD14", "CD14 PerCP"), ("CD19", "CD19 BV421"),
    ("CD45", "CD45 BV510"), ("CD56", "CD56 PE-Cy7"), ("Time", "time"),
]  # fmt: skip
SALMON_SAMPLES = ["WT_REP1", "WT_REP2", "RAP1_UNINDUCED_REP1", "RAP1_UNINDUCED_REP2", "RAP1_IAA_30M_REP1"]  # fmt: skip
CELLRANGER_OUTPUTS = (
    "web_summary.html", "metrics_summary.csv", "possorted_genome_bam.bam",
    "possorted_genome_bam.bam.bai", "molecule_info.h5", "cloupe.cloupe",
    "raw_feature_bc_matrix.h5", "raw_feature_bc_matrix/barcodes.tsv.gz",
    "raw_feature_bc_matrix/features.tsv.gz", "raw_feature_bc_matrix/matrix.mtx.gz",
    "filtered_feature_bc_matrix.h5", "filtered_feature_bc_matrix/barcodes.tsv.gz",
    "filtered_feature_bc_matrix/features.tsv.gz", "filtered_feature_bc_matrix/matrix.mtx.gz",
    "analysis/analysis.csv",
)  # fmt: skip


def _folder(in_storage_root: bool) -> Path:
    return Path(default_storage().root_as_str) if in_storage_root else Path()


def file_fastq(in_storage_root: bool = False) -> Path:
    """A mock FASTQ file, `input.fastq.gz` (one line of text)."""
    path = _folder(in_storage_root) / "input.fastq.gz"
    path.write_text("Mock fastq artifact.")
    return path


def file_bam(in_storage_root: bool = False) -> Path:
    """A mock BAM file, `output.bam` (one line of text)."""
    path = _folder(in_storage_root) / "output.bam"
    path.write_text("Mock bam artifact.")
    return path


def file_mini_csv(in_storage_root: bool = False) -> Path:
    """`mini.csv`: one column `test` with the values 1, 2, 3."""
    path = _folder(in_storage_root) / "mini.csv"
    path.write_text("test\n1\n2\n3\n")
    return path


def _events(n_events: int, seed: int) -> Any:
    """Flow cytometry events: three populations (T, B, monocytes) over the channels."""
    import numpy as np

    rng = np.random.default_rng(seed)
    means = {  # per population: FSC, SSC, CD3, CD4, CD8, CD14, CD19, CD45, CD56
        "T": [50_000, 20_000, 9_000, 6_000, 3_000, 300, 200, 8_000, 400],
        "B": [45_000, 18_000, 300, 200, 150, 250, 7_000, 7_500, 300],
        "mono": [90_000, 60_000, 250, 2_000, 150, 9_000, 200, 6_000, 500],
    }
    sizes = [n_events // 2, n_events // 4, n_events - n_events // 2 - n_events // 4]
    blocks = [
        rng.lognormal(np.log(m), 0.25, size=(n, 9))
        for m, n in zip(means.values(), sizes, strict=True)
    ]
    events = np.vstack(blocks)[rng.permutation(n_events)]
    time = np.sort(rng.uniform(0, 600, size=(n_events, 1)), axis=0)
    return np.hstack([events, time]).astype("float32")


def file_fcs() -> Path:
    """`example.fcs`: 5,000 events over 10 channels (FCS 3.1, synthetic)."""
    return write_fcs(Path("example.fcs"), _events(5_000, SEED), FCS_CHANNELS)


def file_fcs_alpert19(populate_registries: bool = False) -> Path:
    """`Alpert19.fcs`: 20,000 events over 10 channels (FCS 3.1, synthetic stand-in).

    populate_registries: save Features `assay` and `organism` (bionty dtypes) first.
    """
    path = write_fcs(Path("Alpert19.fcs"), _events(20_000, SEED + 19), FCS_CHANNELS)
    if populate_registries:
        _assay_and_organism_features()
    return path


def _assay_and_organism_features() -> None:
    from ...bionty import ExperimentalFactor, Organism
    from ...models import Feature

    Feature(name="assay", dtype=[ExperimentalFactor]).save()
    Feature(name="organism", dtype=[Organism]).save()


def file_tsv_rnaseq_nfcore_salmon_merged_gene_counts(populate_registries: bool = False) -> Path:
    """`salmon.merged.gene_counts.tsv` as nf-core/rnaseq writes it: gene_id, gene_name and one
    column of counts per sample (200 human genes, synthetic counts).

    populate_registries: also save Features `assay` and `organism` and the EFO term
    "RNA-Seq" (EFO:0008896).
    """
    import numpy as np
    import pandas as pd

    genes = public("Gene", organism="human").table
    coding = genes[genes["biotype"] == "protein_coding"].head(200)
    rng = np.random.default_rng(SEED)
    counts = rng.negative_binomial(2, 0.01, size=(len(coding), len(SALMON_SAMPLES)))
    frame = pd.DataFrame(counts.astype(float), columns=SALMON_SAMPLES)
    frame.insert(0, "gene_name", list(coding["symbol"]))
    frame.insert(0, "gene_id", list(coding.index))
    path = Path("salmon.merged.gene_counts.tsv")
    frame.to_csv(path, sep="\t", index=False)
    if populate_registries:
        from ...bionty import ExperimentalFactor

        _assay_and_organism_features()
        ExperimentalFactor.from_source(ontology_id="EFO:0008896").save()
    return path


def _image(height: int, width: int, seed: int) -> Any:
    """A grayscale image of a few round nuclei on a dark background."""
    import numpy as np

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    image = rng.normal(20, 5, size=(height, width))
    for _ in range(8):
        cy, cx, r = rng.uniform(0, height), rng.uniform(0, width), rng.uniform(5, 15)
        image += 180 * np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * r**2))
    return np.clip(image, 0, 255).astype("uint8")


def file_tiff_suo22() -> Path:
    """`suo22/F121_LP1_4LIV.tiff`: a 256x256 grayscale TIFF image (synthetic)."""
    folder = Path("suo22")
    folder.mkdir(exist_ok=True)
    return write_tiff(folder / "F121_LP1_4LIV.tiff", _image(256, 256, SEED))


def dir_iris_images() -> Any:
    """`iris_studies/`: 3 studies of 5 flower images each (PNG) with a `meta.csv` per study.

    LaminDB points to a bucket here; this folder is made locally, offline.
    """
    from upath import UPath

    root = Path("iris_studies")
    species = ["setosa", "versicolor", "virginica"]
    for study in range(3):
        folder = root / f"study{study}_raw_images"
        folder.mkdir(parents=True, exist_ok=True)
        rows = ["0,1"]
        for i in range(5):
            name = f"iris-{study}{i:03d}.png"
            write_png(folder / name, _image(32, 32, SEED + 10 * study + i))
            rows.append(f"{name},{species[(study + i) % 3]}")
        (folder / "meta.csv").write_text("\n".join(rows) + "\n")
    return UPath(root.resolve())


def dir_scrnaseq_cellranger(
    sample_name: str, basedir: str | Path = "./", output_only: bool = True
) -> Path:
    """A mock Cell Ranger output folder for a sample (and its FASTQ inputs unless
    output_only); each file holds a short text made from its path."""
    basedir = Path(basedir)
    if not output_only:
        fastq = basedir / "fastq"
        fastq.mkdir(parents=True, exist_ok=True)
        for read in ("R1", "R2"):
            path = fastq / f"{sample_name}_{read}_001.fastq.gz"
            path.write_text(_token(str(path)))
    sample = basedir / sample_name
    for folder in ("raw_feature_bc_matrix", "filtered_feature_bc_matrix", "analysis"):
        (sample / folder).mkdir(parents=True, exist_ok=True)
    for name in CELLRANGER_OUTPUTS:
        (sample / name).write_text(_token(f"{sample_name}/{name}"))
    return sample


def _token(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:6]
