"""Validation results as data: messages in LaminDB's words, pass/fail, suggestions, renames."""

from __future__ import annotations

import pandas as pd

from lamin_kernel.curation.checks import (
    FeatureCheck,
    SlotCheck,
    ValidationResult,
    non_validated_message,
)
from lamin_kernel.curation.edits import infer_dtype, rename_values
from lamin_kernel.curation.suggest import suggest
from lamin_kernel.curation.validate import coerce_series, simple_dtype_ok, unique_values


def test_message_is_the_tutorials() -> None:
    text = non_validated_message("perturbation", ["IFNJ"], {}, "curator.cat", None)
    assert text == (
        "1 term not validated in feature 'perturbation': 'IFNJ'\n"
        "    → fix typos, remove non-existent values, or save terms via: "
        "curator.cat.add_new_from('perturbation')"
    )
    many = non_validated_message("columns", ["a", "b"], {}, "curator.cat", None)
    assert many.startswith("2 terms not validated in feature 'columns': 'a', 'b'")


def test_message_names_slot_and_synonyms() -> None:
    text = non_validated_message(
        "perturbation", ["ifng"], {"ifng": "IFNG"}, "curator.slots['obs'].cat", "obs"
    )
    assert "in feature 'perturbation' in slot 'obs': 'ifng'" in text
    assert "1 synonym found: 'ifng' → 'IFNG'" in text
    assert "curator.slots['obs'].cat.standardize('perturbation')" in text
    assert "add_new_from" not in text  # every term has a synonym


def test_result_fails_only_on_errors() -> None:
    warning = FeatureCheck("columns", "not_validated", non_validated=["x"], warning_only=True)
    slot = SlotCheck("columns", schema=None, checks=[warning, FeatureCheck("a")])
    result = ValidationResult(schema=None, otype="DataFrame", slots=[slot])
    assert result.passed and result.error_message() == ""
    slot.checks.append(FeatureCheck("b", "dtype_mismatch", message="b is wrong"))
    assert not result.passed and result.error_message() == "b is wrong"
    assert result.check("b")[1].status == "dtype_mismatch"
    assert slot.to_dict()["features"][0]["non_validated"] == ["x"]


def test_suggestions_rank_synonyms_then_fuzzy_matches() -> None:
    found = suggest(["IFNJ", "dmso"], {"dmso": "DMSO"}, ["DMSO", "IFNG", "IL2"])
    assert found["IFNJ"][0]["value"] == "IFNG" and found["IFNJ"][0]["score"] >= 70
    assert found["dmso"][0] == {"value": "DMSO", "score": 100.0}


def test_vectorized_helpers() -> None:
    cat = pd.Series(["b", "a", None, "b"], dtype="category").cat.add_categories(["unused"])
    assert unique_values(cat) == ["a", "b"]
    assert unique_values(pd.Series(["x", None, "y", "x"])) == ["x", "y"]
    assert simple_dtype_ok("str", pd.Series(["a", "b"]))[0]
    assert not simple_dtype_ok("str", pd.Series([1, 2]))[0]
    assert simple_dtype_ok("float", pd.Series([1, 2]))[0]
    assert simple_dtype_ok("num", pd.Series([1.5, 2]))[0]
    assert not simple_dtype_ok("int", pd.Series([1.5, 2]))[0]
    assert not simple_dtype_ok("num", pd.Series([True, False]))[0]
    ok, detail = simple_dtype_ok("num", pd.Series(["24h", "6"]))
    assert not ok and "'24h'" in detail
    assert list(coerce_series("num", pd.Series(["24", "6"]))) == [24, 6]


def test_rename_values_merges_categories() -> None:
    series = pd.Series(["IFNJ", "DMSO", "IFNG"], dtype="category")
    renamed = rename_values(series, {"IFNJ": "IFNG"})
    assert list(renamed) == ["IFNG", "DMSO", "IFNG"]
    assert sorted(renamed.cat.categories) == ["DMSO", "IFNG"]
    plain = rename_values(pd.Series(["a", None, "b"]), {"a": "A"})
    assert list(plain)[0] == "A" and list(plain)[2] == "b"


def test_infer_dtype_of_new_columns() -> None:
    df = pd.DataFrame(
        {
            "c": pd.Categorical(["x"]),
            "i": [1],
            "f": [1.5],
            "s": ["a"],
            "l": [["a", "b"]],
            "b": [True],
        }
    )
    assert [infer_dtype(df[c]) for c in df] == [
        "cat[ULabel]",
        "int",
        "float",
        "str",
        "list[str]",
        "bool",
    ]
