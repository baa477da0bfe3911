"""import_obo on a small OBO file written by the test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lamin_kernel.bionty.public import TermNotFound, import_obo
from lamin_kernel.bionty.public.cache import cache_path

OBO = """format-version: 1.2
data-version: toy/releases/2024-05-01
ontology: toy

[Term]
id: TOY:0000001
name: thing
def: "The \\"root\\" of everything." [TOY:curator]

[Term]
id: TOY:0000002
name: animal cell
def: "A cell of an animal." []
synonym: "animal cellule" EXACT []
synonym: "zoocyte" RELATED []
is_a: TOY:0000001 ! thing

[Term]
id: TOY:0000003
name: neuron-like cell
synonym: "nerve-ish cell" EXACT [TOY:x]
is_a: TOY:0000002 ! animal cell
relationship: part_of TOY:0000004 ! brain

[Term]
id: TOY:0000004
name: brain
is_a: TOY:0000001

[Term]
id: TOY:0000005
name: obsolete cell
is_obsolete: true

[Typedef]
id: part_of
name: part of
"""


@pytest.fixture
def obo_file(tmp_path: Path) -> Path:
    path = tmp_path / "toy.obo"
    path.write_text(OBO)
    return path


def test_import_obo_reads_terms_parents_and_synonyms(obo_file: Path) -> None:
    toy = import_obo(obo_file, entity="CellType", source_name="toy")
    assert (
        repr(toy)
        == "PublicOntology\nEntity: CellType\nOrganism: all\nSource: toy, 2024-05-01\n#terms: 4"
    )
    df = toy.to_dataframe()
    assert df.loc["TOY:0000002", "synonyms"] == "animal cellule"  # EXACT synonyms only
    assert df.loc["TOY:0000003", "parents"] == ["TOY:0000002"]
    assert df.loc["TOY:0000001", "definition"] == 'The "Root" Of Everything.'
    assert toy.ancestors("TOY:0000003") == {"TOY:0000001", "TOY:0000002"}
    assert toy.standardize(["Nerve-ish cell"]) == ["neuron-like cell"]
    assert "TOY:0000005" in toy.to_dataframe(include_deprecated=True).index
    with pytest.raises(TermNotFound, match="deprecated"):
        toy.get(ontology_id="TOY:0000005")


def test_import_obo_with_part_of_and_explicit_version(obo_file: Path) -> None:
    toy = import_obo(
        obo_file, entity="Tissue", source_name="toy", version="9", relations=("is_a", "part_of")
    )
    assert toy.version == "9"
    assert toy.parents("TOY:0000003") == ["TOY:0000002", "TOY:0000004"]


def test_changed_obo_file_rebuilds_its_cache(obo_file: Path) -> None:
    first = import_obo(obo_file, entity="CellType", source_name="toy2")
    assert len(first.to_dataframe()) == 4
    assert cache_path(first._source).exists()
    obo_file.write_text(OBO.replace("name: brain", "name: cerebrum"))
    later = cache_path(first._source).stat().st_mtime + 5
    os.utime(obo_file, (later, later))
    second = import_obo(obo_file, entity="CellType", source_name="toy2")
    assert second.get(ontology_id="TOY:0000004")["name"] == "cerebrum"


def test_an_entity_without_public_source_can_import_one(obo_file: Path) -> None:
    pathways = import_obo(obo_file, entity="bionty.Pathway", source_name="toy", version="1")
    assert (pathways.entity, pathways.source) == ("Pathway", "toy")
    assert pathways.validate(["brain", "liver"]).tolist() == [True, False]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        import_obo(tmp_path / "none.obo", entity="CellType", source_name="x")
