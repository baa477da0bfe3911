"""GENCODE gene tables shipped as package data."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from lamin_kernel.bionty.public import PublicOntology, public
from lamin_kernel.bionty.public.sources import DATA_DIR


@pytest.fixture(scope="module")
def human() -> PublicOntology:
    return public("Gene", organism="human")


def test_columns_and_count(human: PublicOntology) -> None:
    df = human.to_dataframe()
    assert df.index.name == "ensembl_gene_id"
    assert list(df.columns) == ["symbol", "biotype", "ncbi_gene_ids", "description", "synonyms"]
    raw = pd.read_csv(DATA_DIR / "genes_human.csv.gz")
    assert len(df) == len(raw)
    assert repr(human).endswith(f"#terms: {len(raw)}")


@pytest.mark.parametrize(
    ("ensembl_gene_id", "symbol"),
    [("ENSG00000153563", "CD8A"), ("ENSG00000010610", "CD4"), ("ENSG00000170458", "CD14")],
)
def test_tutorial_genes(human: PublicOntology, ensembl_gene_id: str, symbol: str) -> None:
    assert human.get(ontology_id=ensembl_gene_id)["symbol"] == symbol
    assert human.standardize([ensembl_gene_id], field="ensembl_gene_id", return_field="symbol") == [
        symbol
    ]


def test_symbols_synonyms_and_unnamed_genes(human: PublicOntology) -> None:
    assert human.standardize(["cd8a", "CD8alpha", "Leu-3"]) == ["CD8A", "CD8A", "CD4"]
    assert human.lookup().cd8a.ensembl_gene_id == "ENSG00000153563"
    assert human.validate(["CD4", "cd4"], field="name").tolist() == [True, False]  # name = symbol
    assert human.to_dataframe()["symbol"].str.startswith("ENSG").sum() == 0


def test_mouse_genes() -> None:
    mouse = public("Gene", organism="mouse")
    assert mouse.get(name="Cd8a")["ensembl_gene_id"] == "ENSMUSG00000053977"
    assert mouse.get(ontology_id="ENSMUSG00000023274")["symbol"] == "Cd4"


def test_validating_60000_ids_is_fast(human: PublicOntology) -> None:
    ids = list(human.to_dataframe().index[:59_000]) + [f"ENSG9{i:010d}" for i in range(1_000)]
    start = time.perf_counter()
    result = human.validate(ids, field="ensembl_gene_id")
    elapsed = time.perf_counter() - start
    assert result.sum() == 59_000
    print(f"validated 60,000 ids in {elapsed:.3f} s")  # the figure; `make bench` keeps it
