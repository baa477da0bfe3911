"""The bionty registries on a real database: the tutorial's flows, records from public sources,
registry-level validation, hierarchies, and links to artifacts and schemas.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pandas as pd
import pytest

import lamin_kernel as ln
import lamin_kernel.bionty as bt
from lamin_kernel.setup import instance as setup_instance


@pytest.fixture
def bionty(instance: dict) -> Iterator[dict]:
    """The test instance with the bionty module added, as `lamin init --modules bionty` does."""
    setup_instance.init(instance["storage"], db=instance["db"], modules=["bionty"])
    yield instance


def small_artifact(key: str = "my_datasets/rnaseq1.parquet") -> ln.Artifact:
    return ln.Artifact.from_dataframe(pd.DataFrame({"a": [1, 2, 3]}), key=key).save()


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_tutorial_cell_type_annotation(bionty: dict) -> None:
    cell_type = bt.CellType.from_source(name="effector T cell")
    assert cell_type.id is None and cell_type.ontology_id == "CL:0000911"
    assert cell_type.source.name == "cl" and cell_type.source.entity == "bionty.CellType"
    cell_type.save()
    ancestors = bt.CellType.public().ancestors("CL:0000911")
    saved = set(bt.CellType.filter().to_list("ontology_id"))
    assert saved == {"CL:0000911", *ancestors}  # the whole chain up to the root
    assert {"CL:0000084", "CL:0000000"} <= saved  # T cell ... cell
    parents = {p.ontology_id for p in cell_type.parents}
    assert parents == set(bt.CellType.public().parents("CL:0000911"))
    assert cell_type.uid and len(cell_type.uid) == 14

    artifact = small_artifact()
    artifact.cell_types.add(cell_type)
    found = ln.Artifact.filter(cell_types=cell_type).to_dataframe()
    assert list(found["uid"]) == [artifact.uid]
    text = artifact.describe(return_str=True)
    assert ".cell_types" in text and "bionty.CellType" in text and "effector T cell" in text
    fields = ln.Artifact.describe(return_str=True)
    assert "Bionty fields" in fields
    for relation in (".cell_types", ".genes", ".tissues", ".experimental_factors", ".ethnicities"):
        assert relation in fields
    artifact.cell_types.remove(cell_type)
    assert ln.Artifact.filter(cell_types=cell_type).count() == 0


def test_tutorial_neuron_state_and_hierarchy(bionty: dict) -> None:
    neuron = bt.CellType.from_source(name="neuron").save()
    state = bt.CellType(name="my neuron cell state", description="explains X").save()
    state.parents.add(neuron)
    assert [p.name for p in state.parents] == ["neuron"]
    assert "my neuron cell state" in neuron.children.all().to_list("name")

    view = state.view_parents(distance=2)
    neuron_parents = {
        bt.CellType.public().get(ontology_id=i)["name"]
        for i in bt.CellType.public().parents("CL:0000540")
    }
    text = repr(view)
    assert text.splitlines()[:2] == ["my neuron cell state", "└── neuron"]
    assert all(name in text for name in neuron_parents)
    assert set(view.labels.values()) == {"my neuron cell state", "neuron", *neuron_parents}
    svg = view._repr_svg_()
    ET.fromstring(svg)  # well-formed
    assert "my neuron cell state" in svg and "neuron" in svg

    odd = bt.CellType(name='odd <b>&"state"').save()
    odd.parents.add(state)
    svg = odd.view_parents(distance=1).to_svg()
    ET.fromstring(svg)
    assert "<b>" not in svg and "&lt;b&gt;&amp;&quot;state&quot;" in svg
    assert {r.name for r in neuron.query_children()} == {"my neuron cell state", 'odd <b>&"state"'}
    assert "neuron" in odd.query_parents().to_list("name")


@pytest.mark.parametrize(
    ("registry", "field", "value", "expected"),
    [
        ("CellType", "ontology_id", "CL:0000236", {"name": "B cell"}),
        ("CellType", "name", "CD8-positive, alpha-beta T cell", {"ontology_id": "CL:0000625"}),
        ("CellType", None, "B lymphocyte", {"name": "B cell"}),  # a synonym: positional only
        ("CellType", "name", "gamma-delta T cell", {"ontology_id": "CL:0000798"}),
        (
            "ExperimentalFactor",
            "ontology_id",
            "EFO:0008913",
            {"name": "single-cell RNA sequencing"},
        ),
        ("Gene", "ensembl_gene_id", "ENSG00000153563", {"symbol": "CD8A"}),
        ("Gene", "symbol", "CD4", {"ensembl_gene_id": "ENSG00000010610"}),  # organism: human
        ("Organism", "name", "human", {"ontology_id": "NCBITaxon:9606"}),
        ("Protein", "uniprotkb_id", "P01732", {"name": "CD8A_HUMAN"}),
    ],
)
def test_ontology_ids_resolve(
    bionty: dict, registry: str, field: str, value: str, expected: dict
) -> None:
    model = bt.registry_by_name(registry)
    organism = {"organism": "human"} if field == "symbol" else {}
    args, kwargs = ((value,), organism) if field is None else ((), {field: value, **organism})
    record = model.from_source(*args, **kwargs)
    for key, wanted in expected.items():
        assert getattr(record, key) == wanted
    record.save()
    again = model.from_source(*args, **kwargs)
    assert again.id == record.id  # an existing record comes back as it is


def test_gene_records_have_organism_and_mouse_is_inferred(bionty: dict) -> None:
    gene = bt.Gene.from_source(ensembl_gene_id="ENSG00000153563").save()
    assert gene.organism.name == "human" and gene.source.version.startswith("v")
    mouse = bt.Gene.from_values(["ENSMUSG00000053977"], bt.Gene.ensembl_gene_id)
    assert [g.symbol for g in mouse] == ["Cd8a"] and mouse[0].organism_id != gene.organism_id
    assert bt.Organism.filter().to_list("name") == ["human", "mouse"]


def test_public_search_ranks_tutorial_term_first(bionty: dict) -> None:
    result = bt.CellType.public().search("gamma-delta T cell")
    assert result.index[0] == "CL:0000798"


def test_unknown_terms_give_clear_errors(bionty: dict) -> None:
    with pytest.raises(bt.TermNotFound) as error:
        bt.CellType.from_source(name="B cel")
    assert "'B cel'" in str(error.value) and "B cell" in str(error.value)
    assert isinstance(error.value, ln.errors.LaminError)
    with pytest.raises(bt.TermNotFound, match="CL:9999999"):
        bt.CellType.from_source(ontology_id="CL:9999999")
    with pytest.raises(bt.NoPublicSource, match="user-curated"):
        bt.CellMarker.public()
    with pytest.raises(ln.errors.InvalidArgument, match="one field"):
        bt.CellType.from_source(name="B cell", ontology_id="CL:0000236")
    with pytest.raises(ln.errors.FieldValidationError, match="no field 'nme'"):
        bt.CellType.validate(["B cell"], field="nme")


def test_from_values_validate_standardize_inspect(
    bionty: dict, capsys: pytest.CaptureFixture
) -> None:
    values = ["B cell", "T cell", "B lymphocyte", "not a cell"]
    assert bt.CellType.validate(values, mute=True).tolist() == [False] * 4
    records = bt.CellType.from_values(values)
    assert sorted(r.name for r in records) == ["B cell", "T cell"]  # the synonym maps to B cell
    assert all(r.id is None for r in records)
    ln.save(records)
    assert all(r.id is not None for r in records)
    assert bt.CellType.filter(name="B cell").one().parents.count() >= 1  # ancestors linked

    assert bt.CellType.validate(values, mute=True).tolist() == [True, True, False, False]
    assert bt.CellType.validate(pd.Series(values), field=bt.CellType.name, mute=True).sum() == 2
    assert bt.CellType.standardize(["B lymphocyte", "b cell", "not a cell"]) == [
        "B cell",
        "B cell",
        "not a cell",
    ]
    assert bt.CellType.standardize("B lymphocyte") == "B cell"
    assert bt.CellType.standardize(["B cell"], return_field="ontology_id") == ["CL:0000236"]
    # not in the registry, but the public source knows it: mapped unless from_source=False
    assert bt.CellType.standardize(["gammadelta T cell"]) == ["gamma-delta T cell"]
    assert bt.CellType.standardize(["gammadelta T cell"], from_source=False, mute=True) == [
        "gammadelta T cell"
    ]
    assert bt.CellType.standardize(["B lymphocyte", "x"], return_mapper=True) == {
        "B lymphocyte": "B cell"
    }

    result = bt.CellType.inspect(["B cell", "B lymphocyte", "gamma-delta T cell", "xx"])
    assert result.validated == ["B cell"]
    assert result.non_validated == ["B lymphocyte", "gamma-delta T cell", "xx"]
    assert result.synonyms_mapper == {"B lymphocyte": "B cell"}
    out = capsys.readouterr().out
    assert "detected 1 CellType term in public source for name: 'gamma-delta T cell'" in out
    assert "couldn't validate 1 term: 'xx'" in out

    again = bt.CellType.from_values(["B cell", "T cell"])
    assert sorted(r.id for r in again) == sorted(r.id for r in records)


def test_genes_from_values_and_schema_membership(bionty: dict) -> None:
    ids = ["ENSG00000153563", "ENSG00000010610", "ENSG00000170458", "ENSG99999999999"]
    genes = bt.Gene.from_values(ids, field=bt.Gene.ensembl_gene_id, organism="human")
    assert [g.symbol for g in genes] == ["CD8A", "CD4", "CD14"]
    ln.save(genes)
    assert bt.Gene.validate(ids, bt.Gene.ensembl_gene_id, mute=True).tolist() == [
        True,
        True,
        True,
        False,
    ]
    assert bt.Gene.standardize(["cd8a", "CD8"], field="symbol") == ["CD8A", "CD8A"]
    schema = ln.Schema(name="var genes", itype="bionty.Gene.ensembl_gene_id").save()
    schema.genes.add(genes)
    found = ln.Schema.filter(genes__symbol="CD8A").to_list()
    assert [s.id for s in found] == [schema.id]
    artifact = small_artifact()
    artifact.genes.add(genes[0])
    assert [g.symbol for g in artifact.genes] == ["CD8A"]


def test_source_rows_are_made_once_per_release(bionty: dict) -> None:
    bt.CellType.from_source(name="B cell").save()
    bt.CellType.from_source(name="T cell").save()
    rows = bt.Source.filter(entity="bionty.CellType").to_list()
    assert len(rows) == 1
    source = rows[0]
    assert source.currently_used and source.name == "cl" and len(source.uid) == 8
    assert source.version == bt.CellType.public().version
    assert bt.CellType.public(source=source).version == source.version


def test_hand_made_records_and_user_curated_registries(bionty: dict) -> None:
    marker = bt.CellMarker(name="CD8", gene_symbol="CD8A").save()
    assert bt.CellMarker.get(name="CD8").id == marker.id
    assert bt.CellMarker.validate(["CD8", "CD4"], mute=True).tolist() == [True, False]
    assert bt.CellMarker.from_values(["CD8", "CD4"], mute=True) == [marker]
    pathway = bt.Pathway(name="T cell receptor signaling pathway", ontology_id="GO:0050852")
    pathway.save()
    assert bt.Pathway.search("T cell receptor").first().id == pathway.id
    assert bt.CellType.lookup() is not None
