"""validate / inspect / standardize against public ontologies."""

from __future__ import annotations

import numpy as np
import pytest

from lamin_kernel.bionty.public import PublicOntology, public
from lamin_kernel.errors import FieldValidationError


@pytest.fixture(scope="module")
def cl() -> PublicOntology:
    return public("CellType")


def test_validate_returns_a_bool_array(cl: PublicOntology) -> None:
    result = cl.validate(["B cell", "b cell", "B-cell", "neuron", "not a cell"])
    assert isinstance(result, np.ndarray) and result.dtype == bool
    assert result.tolist() == [True, False, False, True, False]
    assert cl.validate(["CL:0000236", "CL:XYZ"], field="ontology_id").tolist() == [True, False]


def test_validate_rejects_an_unknown_field(cl: PublicOntology) -> None:
    with pytest.raises(FieldValidationError, match="no field 'colour'"):
        cl.validate(["B cell"], field="colour")


def test_inspect_maps_synonyms_and_case(cl: PublicOntology) -> None:
    result = cl.inspect(["B cell", "B-lymphocyte", "Neuron", "B cell", "my cell", "your cell"])
    assert result.validated == ["B cell"]
    assert result.non_validated == ["B-lymphocyte", "Neuron", "my cell", "your cell"]
    assert result.synonyms_mapper == {"B-lymphocyte": "B cell", "Neuron": "neuron"}
    assert result.frac_validated == 20  # a percentage, as in LaminDB
    assert (result.n_unique, result.n_empty) == (5, 1)
    assert result["validated"] == ["B cell"] and result.df["__validated__"].sum() == 2
    assert cl.inspect(["Neuron"], standardize=False, mute=True).synonyms_mapper == {}


def test_inspect_and_validate_print_what_validated(
    cl: PublicOntology, capsys: pytest.CaptureFixture
) -> None:
    cl.inspect(["B cell", "my cell"])
    out = capsys.readouterr().out
    assert "1 unique term (50.00%) is validated for name" in out
    assert "1 unique term (50.00%) is not validated for name: 'my cell'" in out
    cl.inspect(["my cell"], mute=True)
    assert capsys.readouterr().out == ""


def test_standardize_maps_synonyms_and_case_and_keeps_unknowns(cl: PublicOntology) -> None:
    result = cl.standardize(["B-cell", "b lymphocyte", "NEURON", "my cell", "T cell"])
    assert result == ["B cell", "B cell", "neuron", "my cell", "T cell"]
    mapper = cl.standardize(["B-cell", "my cell", "T cell"], return_mapper=True)
    assert mapper == {"B-cell": "B cell"}  # only the values that change
    assert cl.standardize("b-lymphocyte") == ["B cell"]  # a list, as LaminDB's public does


def test_standardize_keep_decides_shared_synonyms() -> None:
    import pandas as pd

    table = pd.DataFrame(
        {"name": ["alpha", "beta"], "synonyms": ["shared|a", "shared|b"]},
        index=pd.Index(["X:1", "X:2"], name="ontology_id"),
    )
    ontology = PublicOntology.from_frame("CellType", table.reset_index(), name="x", version="1")
    assert ontology.standardize(["shared"]) == ["alpha"]
    assert ontology.standardize(["shared"], keep="last") == ["beta"]
    assert ontology.standardize(["shared", "a"], keep=False) == [["alpha", "beta"], "alpha"]
    assert ontology.standardize(["shared"], return_field="ontology_id") == ["X:1"]
    assert ontology.standardize(["a"], return_field=ontology.ontology_id) == ["X:1"]


def test_standardize_case_sensitive_and_return_field(cl: PublicOntology) -> None:
    assert cl.standardize(["NEURON", "B-cell"], case_sensitive=True) == ["NEURON", "B cell"]
    assert cl.standardize(["B-cell", "neuron"], return_field="ontology_id") == [
        "CL:0000236",
        "CL:0000540",
    ]
    assert cl.standardize(["cl:0000236"], field="ontology_id") == ["CL:0000236"]


def test_experimental_factor_synonym() -> None:
    efo = public("ExperimentalFactor")
    term = efo.get(ontology_id="EFO:0008913")
    assert term["name"] == "single-cell RNA sequencing"
    assert "scRNA-seq" in term["synonyms"].split("|")
    assert efo.standardize(["scRNA-seq"]) == ["single-cell RNA sequencing"]
    assert efo.search("scRNA-seq").index[0] == "EFO:0008913"
