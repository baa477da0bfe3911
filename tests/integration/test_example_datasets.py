"""ln.examples: the datasets LaminDB 2.12 has, made offline and the same at every call."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lamin_kernel as ln
import lamin_kernel.bionty as bt
from lamin_kernel.setup import instance as setup_instance

datasets = ln.examples.datasets


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def bionty(instance: dict, in_tmp: Path) -> Iterator[dict]:
    setup_instance.init(instance["storage"], db=instance["db"], modules=["bionty"])
    yield instance


def test_mini_immuno_dataset1_and_its_flaws() -> None:
    mini = datasets.mini_immuno
    df = mini.get_dataset1()
    assert list(df.columns[:3]) == ["ENSG00000153563", "ENSG00000010610", "ENSG00000170458"]
    assert list(df.index) == ["sample1", "sample2", "sample3"]
    assert df.attrs["experiment"] == "Experiment 1" and df.attrs["date_of_study"] == "2024-12-01"
    assert df["perturbation"].tolist() == ["DMSO", "IFNG", "DMSO"]
    assert mini.get_dataset1(with_typo=True)["perturbation"].iloc[1] == "IFNJ"
    assert mini.get_dataset1(with_cell_type_synonym=True)["cell_type_by_expert"].iloc[0] == "B-cell"
    typo = mini.get_dataset1(with_cell_type_typo=True)["cell_type_by_expert"]
    assert typo.iloc[1] == "CD8-pos alpha-beta T cell"
    assert mini.get_dataset1(with_gene_typo=True).columns[2] == "GeneTypo"
    outdated = mini.get_dataset1(with_gene_typo=True, with_outdated_gene=True)
    assert outdated.columns[2] == "ENSG00000278198"
    assert list(mini.get_dataset1(gene_symbols_in_index=True).columns[:3]) == [
        "CD8A",
        "CD4",
        "CD14",
    ]
    assert mini.get_dataset1(with_wrong_subtype=True)["perturbation"].iloc[2] != "DMSO"
    assert mini.get_dataset1(with_index_type_mismatch=True).index[2] == 0
    from datetime import date

    assert mini.get_dataset1(with_date_as_iso_string=False).attrs["date_of_study"] == date(
        2024, 12, 1
    )
    adata = mini.get_dataset1(otype="AnnData")
    assert adata.shape == (3, 3) and "donor_ethnicity" not in adata.obs
    assert adata.uns["temperature"] == 21.6
    assert datasets.small_dataset1 is mini.get_dataset1
    with pytest.raises(ValueError, match="otype"):
        mini.get_dataset1(otype="MuData")


def test_mini_immuno_dataset2_has_other_samples_and_fewer_columns() -> None:
    df = datasets.mini_immuno.get_dataset2(gene_symbols_in_index=True)
    assert list(df.columns[:3]) == ["CD8A", "CD4", "CD38"]
    assert "sample_note" not in df and "cell_type_by_expert" not in df
    assert list(df.columns[-2:]) == ["cell_medium", "donor"]  # the tutorial's obs=df.iloc[:, 3:-1]
    assert list(df.index) == ["sample4", "sample5", "sample6"]
    assert datasets.small_dataset2(otype="AnnData").uns["experiment"] == "Experiment 2"


def test_small_files_and_folders(in_tmp: Path) -> None:
    assert pd.read_csv(datasets.file_mini_csv())["test"].tolist() == [1, 2, 3]
    assert datasets.file_fastq().read_text() == "Mock fastq artifact."
    assert datasets.file_bam().name == "output.bam"
    sample = datasets.dir_scrnaseq_cellranger("s1", basedir=in_tmp, output_only=False)
    assert (sample / "filtered_feature_bc_matrix" / "matrix.mtx.gz").exists()
    assert (in_tmp / "fastq" / "s1_R1_001.fastq.gz").exists()
    counts = pd.read_csv(datasets.file_tsv_rnaseq_nfcore_salmon_merged_gene_counts(), sep="\t")
    assert list(counts.columns[:2]) == ["gene_id", "gene_name"] and len(counts) == 200
    assert counts["gene_id"].str.startswith("ENSG").all()


def read_fcs(path: Path) -> tuple[dict[str, str], np.ndarray]:
    raw = path.read_bytes()
    assert raw[:6] == b"FCS3.1"
    start, end, data_start, data_end = (int(raw[10 + 8 * i : 18 + 8 * i]) for i in range(4))
    text = raw[start : end + 1].decode("ascii")
    delimiter = text[0]
    parts = text[1:-1].split(delimiter)
    keywords = dict(zip(parts[::2], parts[1::2], strict=True))
    n_par, n_tot = int(keywords["$PAR"]), int(keywords["$TOT"])
    assert (int(keywords["$BEGINDATA"]), int(keywords["$ENDDATA"])) == (data_start, data_end)
    data = np.frombuffer(raw[data_start : data_end + 1], dtype="<f4").reshape(n_tot, n_par)
    return keywords, data


def test_fcs_files_are_valid_list_mode_fcs(in_tmp: Path) -> None:
    keywords, events = read_fcs(datasets.file_fcs())
    assert keywords["$DATATYPE"] == "F" and keywords["$MODE"] == "L"
    assert events.shape == (5000, 10) and keywords["$P3N"] == "CD3"
    assert np.all(events >= 0) and np.all(np.diff(events[:, -1]) >= 0)  # time runs forward
    first = Path("example.fcs").read_bytes()
    datasets.file_fcs()
    assert Path("example.fcs").read_bytes() == first  # the same bytes at every call
    _, big = read_fcs(datasets.file_fcs_alpert19())
    assert big.shape == (20000, 10)


def test_images_are_png_and_tiff(in_tmp: Path) -> None:
    tiff = datasets.file_tiff_suo22().read_bytes()
    assert tiff[:4] == b"II*\x00"
    (offset,) = struct.unpack("<I", tiff[4:8])
    (n_entries,) = struct.unpack("<H", tiff[offset : offset + 2])
    tags = {}
    for i in range(n_entries):
        tag, kind, _, value = struct.unpack(
            "<HHII", tiff[offset + 2 + 12 * i : offset + 14 + 12 * i]
        )
        tags[tag] = value & 0xFFFF if kind == 3 else value
    assert (tags[256], tags[257], tags[258]) == (256, 256, 8)  # width, height, bits
    assert len(tiff) >= 256 * 256
    root = Path(datasets.dir_iris_images())
    images = sorted(root.glob("study*/*.png"))
    assert len(images) == 15 and images[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (root / "study0_raw_images" / "meta.csv").read_text().startswith("0,1\n")


def test_dictionaries_and_iris() -> None:
    uns = datasets.dict_cellxgene_uns()
    assert uns["organism_ontology_term_id"] == "NCBITaxon:9606"
    assert set(uns["spatial"]) == {"is_single", "library_1", "library_2"}
    iris = datasets.df_iris()
    assert iris.shape == (150, 5) and iris["target"].value_counts().tolist() == [50, 50, 50]
    assert iris.iloc[0, :4].tolist() == [5.1, 3.5, 1.4, 0.2]
    meter = datasets.df_iris_in_meter()
    assert meter["sepal_length"].iloc[0] == pytest.approx(0.051)
    assert set(meter["iris_organism_name"]) == {"setosa", "versicolor", "virginica"}
    assert len(datasets.df_iris_in_meter_study1()) + len(datasets.df_iris_in_meter_study2()) == 150


def test_anndata_examples_have_their_layout_and_real_ids() -> None:
    adata = datasets.anndata_with_obs()
    assert adata.shape == (40, 100) and adata.obs["cell_type"].nunique() == 4
    assert (
        bt.public.public("Gene", organism="human")
        .validate(adata.var.index, field="ensembl_gene_id")
        .all()
    )
    cellxgene = datasets.small_dataset3_cellxgene(with_var_typo=True, with_uns_organism=True)
    assert cellxgene.var.index[0] == "invalid_ensembl_id" and "organism" in cellxgene.uns
    frame = datasets.small_dataset3_cellxgene(otype="DataFrame", with_obs_typo=True)
    assert frame["tissue_ontology_term_id"].iloc[0] == "UBERON:0002048XXX"
    pbmc = datasets.anndata_pbmc68k_reduced()
    assert pbmc.shape == (70, 765) and pbmc.obs["cell_type"].nunique() == 10
    assert pbmc.obsm["X_pca"].shape == (70, 50)
    assert np.array_equal(pbmc.X, datasets.anndata_pbmc68k_reduced().X)  # the same every time
    immune = datasets.anndata_human_immune_cells()
    assert {"donor", "tissue", "cell_type", "assay"} <= set(immune.obs.columns)
    assert bt.public.public("CellType").validate(immune.obs["cell_type"].cat.categories).all()


def test_anndata_written_for_streaming(in_tmp: Path) -> None:
    import anndata as ad

    adata = ad.read_h5ad(datasets.anndata_file_pbmc68k_test())
    assert adata.shape == (30, 200) and adata.raw.shape == (30, 100)
    assert adata.layers["test"][0].sum() == 200 and adata.obsp["test"].shape == (30, 30)
    path = datasets.schmidt22_perturbseq(basedir=in_tmp)
    assert ad.read_h5ad(path).obs["cluster_name"].nunique() == 4
    assert "gene_symbol" in pd.read_csv(datasets.schmidt22_crispra_gws_IFNG(in_tmp)).columns


def test_multimodal_examples_need_their_packages() -> None:
    pytest.importorskip("mudata")
    mdata = datasets.mudata_papalexi21_subset(with_uns=True)
    assert set(mdata.mod) == {"rna", "adt", "hto", "gdo"} and "study_metadata" in mdata.uns


def test_fake_titles_are_the_same_every_time() -> None:
    titles = datasets.fake_bio_notebook_titles(n=5)
    assert len(titles) == 5 and titles == datasets.fake_bio_notebook_titles(n=5)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        datasets.nope  # noqa: B018


def test_croissant_metadata_and_files(in_tmp: Path) -> None:
    metadata_path, zarr_path = ln.examples.croissant.mini_immuno()
    metadata = json.loads(metadata_path.read_text())
    assert metadata["name"] == "Mini immuno dataset" and metadata["version"] == "1.0"
    assert metadata["cr:projectName"] == "Mini Immuno Project"
    assert metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert metadata["distribution"][0]["@id"] == "mini_immuno.anndata.zarr" and zarr_path.is_dir()
    _, _, csv_path = ln.examples.croissant.mini_immuno(n_files=2, filepath_prefix="sub/")
    metadata = json.loads(metadata_path.read_text())
    assert [d["@id"] for d in metadata["distribution"]] == [
        "sub/mini_immuno.anndata.zarr",
        "sub/mini.csv",
    ]
    assert csv_path == Path("sub/mini.csv") and csv_path.exists()
    ln.examples.croissant.mini_immuno(strip_version=True)
    assert "version" not in json.loads(metadata_path.read_text())


def test_populate_registries_and_files_in_the_storage_root(bionty: dict) -> None:
    datasets.file_tsv_rnaseq_nfcore_salmon_merged_gene_counts(populate_registries=True)
    assert bt.ExperimentalFactor.get(ontology_id="EFO:0008896").name
    assert ln.Feature.get(name="assay") and ln.Feature.get(name="organism")
    path = datasets.file_mini_csv(in_storage_root=True)
    assert path.parent == Path(bionty["storage"])
