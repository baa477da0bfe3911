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
    assert result.message.startswith("4 terms not validated: 'B-lymphocyte', 'Neuron', 'my cell'")
    assert result.frac_validated == 0.2


def test_standardize_maps_synonyms_and_case_and_keeps_unknowns(cl: PublicOntology) -> None:
    result = cl.standardize(["B-cell", "b lymphocyte", "NEURON", "my cell", "T cell"])
    assert result == ["B cell", "B cell", "neuron", "my cell", "T cell"]
    assert result.non_standardized == ["my cell"]
    assert not result.all_standardized
    assert cl.standardize("b-lymphocyte") == "B cell"


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
