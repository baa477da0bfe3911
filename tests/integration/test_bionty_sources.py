"""bt.Source as LaminDB has it: rows from the start, currently_used, add_source (installed
releases and any table), import_source, strict_source, and what happens without a source."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

import lamin_kernel as ln
import lamin_kernel.bionty as bt
from lamin_kernel.setup import instance as setup_instance


@pytest.fixture
def bionty(instance: dict) -> Iterator[dict]:
    setup_instance.init(instance["storage"], db=instance["db"], modules=["bionty"])
    yield instance


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_an_instance_lists_its_sources_from_the_start(bionty: dict) -> None:
    rows = bt.Source.filter().to_list()
    entities = {r.entity for r in rows}
    assert {"bionty.CellType", "bionty.Gene", "bionty.Organism", "bionty.Disease"} <= entities
    cl = bt.Source.get(entity="bionty.CellType", name="cl")
    assert cl.currently_used and cl.organism == "all" and len(cl.uid) == 8
    assert cl.version == bt.CellType.public().version  # what loads is what the row says
    genes = bt.Source.filter(entity="bionty.Gene", currently_used=True).to_list("organism")
    assert sorted(genes) == ["human", "mouse"]
    assert bt.Source.filter(organism="human").first() is not None
    with pytest.raises(AttributeError, match="'Source' object has no attribute 'set_abbr'"):
        cl.set_abbr("abbr")


def test_add_source_of_an_installed_release_and_switch_to_it(bionty: dict) -> None:
    current = bt.Source.get(entity="bionty.CellType", currently_used=True)
    older = bt.CellType.add_source("cl", version="2025-02-13")
    assert older.version == "2025-02-13" and not older.currently_used and older.id is not None
    assert bt.CellType.add_source("cl", version="2025-02-13").id == older.id  # once
    assert bt.CellType.public(source=older).version == "2025-02-13"
    assert bt.CellType.public().version == current.version
    record = bt.CellType.from_source(name="T cell", source=older)
    assert record.source.version == "2025-02-13"

    older.currently_used = True
    older.save()  # the other release of cl is no longer the one in use
    assert not bt.Source.get(id=current.id).currently_used
    assert bt.CellType.public().version == "2025-02-13"
    with pytest.raises(ln.errors.InvalidArgument, match="specify `version`"):
        bt.CellType.add_source("cl")  # two rows now


def test_a_release_that_is_not_installed_is_refused_unless_a_table_is_given(bionty: dict) -> None:
    with pytest.raises(bt.NoPublicSource, match="2022-08-16 is not installed") as error:
        bt.CellType.add_source(source="cl", version="2022-08-16")
    assert "2026-03-26" in str(error.value)  # the message lists what is installed
    assert not bt.Source.filter(version="2022-08-16").exists()

    table = pd.DataFrame(
        {
            "ontology_id": ["X:1", "X:2"],
            "name": ["my cell", "my other cell"],
            "synonyms": ["mc|my-cell", None],
            "parents": [[], ["X:1"]],
        }
    )
    source = bt.Source(entity="bionty.CellType", name="mycells", version="1.0", organism="all")
    source = bt.CellType.add_source(source, df=table)
    assert source.dataframe_artifact_id is not None and source.id is not None
    public = bt.CellType.public(source=source)
    assert public.validate(["my cell", "B cell"], mute=True).tolist() == [True, False]
    assert public.standardize(["mc"]) == ["my cell"]
    records = bt.CellType.from_values(["my-cell", "my other cell"], source=source).save()
    assert [r.ontology_id for r in records] == ["X:1", "X:2"]
    assert records[1].parents.all().one().ontology_id == "X:1"  # parents from the table
    assert {r.source_id for r in records} == {source.id}


def test_strict_source_restricts_the_registry_to_one_source(bionty: dict) -> None:
    other = bt.CellType.add_source("cl", version="2025-04-10")
    bt.CellType.from_source(name="T cell").save()  # from the currently used release
    assert bt.CellType.validate(["T cell"], source=other, mute=True).sum() == 1
    assert bt.CellType.validate(["T cell"], source=other, strict_source=True, mute=True).sum() == 0
    assert bt.CellType.inspect(["T-cell"], source=other, mute=True).synonyms_mapper == {
        "T-cell": "T cell"
    }
    strict = bt.CellType.inspect(["T-cell"], source=other, strict_source=True, mute=True)
    assert strict.synonyms_mapper == {}
    # the public source still standardizes what the registry cannot
    assert (
        bt.CellType.standardize("T-cell", source=other, strict_source=True, mute=True) == "T cell"
    )


def test_a_registry_without_source_rows_has_no_public_source(bionty: dict) -> None:
    source = bt.Source.filter(entity="bionty.ExperimentalFactor").first()
    source.delete(permanent=True)
    assert bt.ExperimentalFactor.from_values(["single-cell RNA sequencing"], mute=True) == []
    with pytest.raises(bt.NoPublicSource, match="add_source"):
        bt.ExperimentalFactor.public()
    with pytest.raises(bt.NoPublicSource, match="user-curated"):
        bt.CellMarker.public()
    source.save()  # deleted for good, saved again: back with its id
    assert bt.Source.get(entity="bionty.ExperimentalFactor").id == source.id
    assert len(bt.ExperimentalFactor.from_values(["single-cell RNA sequencing"])) == 1


def test_import_source_saves_every_term_with_its_parents(bionty: dict) -> None:
    source = bt.Source.get(entity="bionty.DevelopmentalStage", organism="human")
    bt.DevelopmentalStage.from_source(name="adult stage").save()  # one is there already
    bt.DevelopmentalStage.import_source(source)
    terms = bt.DevelopmentalStage.public(source=source).to_dataframe()
    assert bt.DevelopmentalStage.filter(source_id=source.id).count() == len(terms)
    term, parents = next((t, p) for t, p in terms["parents"].items() if p)
    child = bt.DevelopmentalStage.get(ontology_id=term)
    assert {p.ontology_id for p in child.parents} == set(parents)
    assert bt.Source.get(id=source.id).in_db
    with pytest.raises(TypeError, match="not a str"):
        bt.DevelopmentalStage.import_source("hsapdv")


def test_organism_is_needed_where_lamindb_needs_it(bionty: dict) -> None:
    with pytest.raises(bt.OrganismNotSet, match="organism"):
        bt.Gene.from_values(["CD8A"], bt.Gene.symbol)
    with pytest.raises(bt.OrganismNotSet):
        bt.Gene(symbol="CD8A")
    # Ensembl ids name their organism
    mouse = bt.Gene.from_values(["ENSMUSG00000053977"], bt.Gene.ensembl_gene_id)
    assert mouse.one().organism.name == "mouse"
    assert bt.settings.organism is None
    bt.settings.organism = "human"
    try:
        assert bt.settings.organism.name == "human" and bt.settings.organism.id is not None
        genes = bt.Gene.from_values(["CD8A", "CD4"], bt.Gene.symbol)
        assert [g.organism.name for g in genes] == ["human", "human"]
        assert bt.Gene(symbol="MYGENE").organism.name == "human"
    finally:
        bt.settings.organism = None
    with pytest.raises(bt.OrganismNotSet, match="can't be created from the source"):
        bt.Gene.from_values(["CD8A"], bt.Gene.symbol, organism="unicorn")
    with pytest.raises(TypeError, match="bionty.Organism"):
        bt.Gene(symbol="X", organism="human")
    assert bt.Gene.require_organism() and not bt.Gene.require_organism(bt.Gene.ensembl_gene_id)
    assert not bt.CellType.require_organism()


def test_from_source_matches_exactly_by_field_and_also_synonyms_by_value(bionty: dict) -> None:
    assert bt.CellType.from_source("B-cell").name == "B cell"
    with pytest.raises(ln.errors.DoesNotExist, match="name='B-cell'"):
        bt.CellType.from_source(name="B-cell")
    with pytest.raises(ln.errors.InvalidArgument, match="Only one field"):
        bt.CellType.from_source(name="B cell", ontology_id="CL:0000236")
    with pytest.raises(ln.errors.InvalidArgument, match="No field"):
        bt.CellType.from_source()
    found = bt.Gene.from_source(symbol="TCF7", organism="human")
    assert found.ensembl_gene_id == "ENSG00000081059" and found.source.entity == "bionty.Gene"


def test_set_abbr_and_synonyms_on_bionty_records(bionty: dict) -> None:
    record = bt.CellType(name="my cell type").save()
    record.set_abbr("my cell type")  # the name itself is no synonym
    assert record.abbr == "my cell type" and record.synonyms is None
    record.set_abbr("myct")
    assert bt.CellType.get(name="my cell type").abbr == "myct"
    assert "myct" in record.synonyms.split("|")
    t_cell, b_cell = bt.CellType.from_values(["T cell", "B cell"]).save()
    t_cell.add_synonym("my t")
    with pytest.raises(ln.errors.ValidationError):
        b_cell.add_synonym("my t")
    assert bt.CellType.standardize(["my t", "myct"]) == ["T cell", "my cell type"]
    t_cell.remove_synonym("my t")
    assert "my t" not in (bt.CellType.get(name="T cell").synonyms or "")


def test_a_queryset_of_a_bionty_registry_keeps_organism_and_source(bionty: dict) -> None:
    human = bt.Gene.from_values(["CD8A", "CD4"], bt.Gene.symbol, organism="human").save()
    bt.Gene.from_values(["Cd8a"], bt.Gene.symbol, organism="mouse").save()
    coding = bt.Gene.filter(biotype="protein_coding")
    assert coding.validate(["CD8A", "Cd8a"], organism="human", mute=True).tolist() == [True, False]
    assert coding.validate(["CD8A", "Cd8a"], mute=True).tolist() == [True, True]
    only_cd4 = bt.Gene.filter(id=human[1].id)
    # not among these records, but the public source maps the synonym
    assert only_cd4.standardize(["CD8", "CD4"], organism="human", mute=True) == ["CD8A", "CD4"]
