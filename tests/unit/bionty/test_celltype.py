"""The tutorial's cell types, search, lookup and hierarchy on the loaded CL release."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lamin_kernel.bionty.public import PublicOntology, TermNotFound, public
from lamin_kernel.bionty.public.sources import cxg_latest


@pytest.fixture(scope="module")
def cl() -> PublicOntology:
    return public("CellType")


def test_repr_counts_current_terms_of_the_release(
    cl: PublicOntology, raw_release: Callable, count_current: Callable
) -> None:
    version = cxg_latest()["CL"]["version"].removeprefix("v")
    n = count_current(raw_release("CL"))
    assert (
        repr(cl)
        == f"PublicOntology\nEntity: CellType\nOrganism: all\nSource: cl, {version}\n#terms: {n}"
    )
    assert f"<td>{n}</td>" in cl._repr_html_()


def test_to_dataframe_shape(
    cl: PublicOntology, raw_release: Callable, count_current: Callable
) -> None:
    df = cl.to_dataframe()
    assert df.index.name == "ontology_id"
    assert list(df.columns) == ["name", "definition", "synonyms", "parents"]
    raw = raw_release("CL")
    assert len(df) == count_current(raw)
    everything = cl.to_dataframe(include_deprecated=True)
    assert len(everything) == len(raw) and everything["deprecated"].sum() == len(raw) - len(df)


@pytest.mark.parametrize(
    ("name", "ontology_id"),
    [
        ("B cell", "CL:0000236"),
        ("T cell", "CL:0000084"),
        ("CD8-positive, alpha-beta T cell", "CL:0000625"),
        ("effector T cell", "CL:0000911"),
        ("neuron", "CL:0000540"),
        ("gamma-delta T cell", "CL:0000798"),
    ],
)
def test_tutorial_terms(cl: PublicOntology, name: str, ontology_id: str) -> None:
    assert cl.get(name=name)["ontology_id"] == ontology_id
    assert cl.get(ontology_id=ontology_id)["name"] == name


def test_parents_and_ancestors(cl: PublicOntology, raw_release: Callable) -> None:
    assert cl.parents("CL:0000236") == ["CL:0000945"]
    assert cl.parents("CL:0000625") == ["CL:0000791"]
    assert len(cl.parents("CL:0000540")) == 3
    ancestors = cl.ancestors("CL:0000625")
    assert {"CL:0000791", "CL:0000084", "CL:0000000"} <= ancestors
    raw = raw_release("CL")["CL:0000625"]["ancestors"]
    assert ancestors == set(raw)


def test_search_puts_the_exact_name_first(cl: PublicOntology) -> None:
    result = cl.search("gamma-delta T cell").head(2)
    assert result.index[0] == "CL:0000798"
    assert list(result.columns) == ["name", "definition", "synonyms", "parents", "score"]
    assert result["parents"].iloc[0] == ["CL:0000084"]
    assert result["score"].iloc[0] == 100


def test_search_ranks_synonyms_prefixes_and_typos(cl: PublicOntology) -> None:
    assert cl.search("B lymphocyte").index[0] == "CL:0000236"  # exact synonym
    assert cl.search("effector T").index[0] == "CL:0000911"  # name prefix, shortest first
    assert cl.search("gama-delta T cel", limit=3).index[0] == "CL:0000798"  # fuzzy
    assert len(cl.search("neuron", limit=5)) == 5
    assert cl.search(" - ").empty


def test_lookup_by_attribute_and_by_name(cl: PublicOntology) -> None:
    lookup = cl.lookup()
    assert lookup.b_cell.ontology_id == "CL:0000236"
    assert lookup.cd8_positive_alpha_beta_t_cell.name == "CD8-positive, alpha-beta T cell"
    assert lookup["CD8-positive, alpha-beta T cell"].ontology_id == "CL:0000625"
    assert "b_cell" in dir(lookup)
    with pytest.raises(AttributeError):
        _ = lookup.not_a_cell_type


def test_unknown_name_names_the_closest_terms(cl: PublicOntology) -> None:
    with pytest.raises(TermNotFound) as info:
        cl.get(name="gamma delta T-cel")
    message = str(info.value)
    assert "'gamma delta T-cel'" in message and "'gamma-delta T cell'" in message
    assert message.count("', '") == 2  # three closest names
    assert isinstance(info.value, KeyError)


def test_unknown_and_deprecated_ids(cl: PublicOntology, raw_release: Callable) -> None:
    with pytest.raises(TermNotFound, match="CL:9999999"):
        cl.get(ontology_id="CL:9999999")
    deprecated = next(k for k, v in raw_release("CL").items() if v["deprecated"])
    with pytest.raises(TermNotFound, match="deprecated"):
        cl.get(ontology_id=deprecated)
