"""Validation results as data: messages in LaminDB's words, pass/fail, suggestions, renames."""

from __future__ import annotations

import pandas as pd

from lamin_kernel.curation.checks import FeatureCheck, SchemaErrors, SlotCheck, ValidationResult
from lamin_kernel.curation.edits import infer_dtype, rename_values
from lamin_kernel.curation.registries import Scope
from lamin_kernel.curation.suggest import suggest
from lamin_kernel.curation.validate_cat import unique_values
from lamin_kernel.curation.value_checks import not_validated_message
from lamin_kernel.models import Record, ULabel


def test_message_is_lamindbs() -> None:
    text = not_validated_message("perturbation", ["IFNJ"], Scope(ULabel, "name"), None)
    assert text == (
        "1 term not validated in feature 'perturbation': 'IFNJ'\n"
        "    → fix typos, remove non-existent values, or create objects via:\n\n"
        "  objects = ULabel.from_values(['IFNJ'], field='name', create=True).save()"
    )
    many = not_validated_message("columns", ["a", "b"], Scope(Record, "name"), "var.T")
    assert many.startswith("2 terms not validated in columns in slot 'var.T': 'a', 'b'")
    assert "objects = ln.Record.from_values(['a', 'b'], field='name', create=True)" in many


def test_message_names_slot_and_synonyms() -> None:
    text = not_validated_message(
        "perturbation", ["ifng"], Scope(ULabel, "name"), "obs", {"ifng": "IFNG"}
    )
    assert "in feature 'perturbation' in slot 'obs': 'ifng'" in text
    assert '1 synonym found: "ifng" → "IFNG"' in text
    assert "curator.slots['obs'].cat.standardize(\"perturbation\")" in text
    assert "create objects" not in text  # every term has a synonym


def test_result_fails_only_on_errors() -> None:
    warning = FeatureCheck("columns", "not_validated", non_validated=["x"], warning_only=True)
    slot = SlotCheck("columns", schema=None, checks=[warning, FeatureCheck("a")])
    result = ValidationResult(schema=None, otype="DataFrame", slots=[slot])
    assert result.passed and result.error_message() == ""
    slot.checks.append(FeatureCheck("b", "not_validated", message="b is wrong"))
    assert not result.passed and result.error_message() == "b is wrong"
    slot.schema_errors.add("SCHEMA", "WRONG_DATATYPE", "c", "dtype('int')", "c is no int")
    assert '"WRONG_DATATYPE"' in result.error_message()  # schema errors come first
    assert "feature.coerce = True" in result.error_message()
    assert result.check("b")[1].status == "not_validated"
    assert slot.to_dict()["features"][0]["non_validated"] == ["x"]


def test_schema_errors_merge_per_kind() -> None:
    first, second = SchemaErrors(), SchemaErrors()
    first.add("SCHEMA", "COLUMN_NOT_IN_DATAFRAME", "a", "column_in_dataframe", "no a")
    second.add("SCHEMA", "COLUMN_NOT_IN_DATAFRAME", "b", "column_in_dataframe", "no b")
    first.extend(second)
    assert [e["column"] for e in first.groups["SCHEMA"]["COLUMN_NOT_IN_DATAFRAME"]] == ["a", "b"]
    assert not first.has_dtype_errors and "Hint" not in first.text()


def test_suggestions_rank_synonyms_then_fuzzy_matches() -> None:
    found = suggest(["IFNJ", "dmso"], {"dmso": "DMSO"}, ["DMSO", "IFNG", "IL2"])
    assert found["IFNJ"][0]["value"] == "IFNG" and found["IFNJ"][0]["score"] >= 70
    assert found["dmso"][0] == {"value": "DMSO", "score": 100.0}


def test_unique_values_of_categoricals_and_objects() -> None:
    cat = pd.Series(["b", "a", None, "b"], dtype="category").cat.add_categories(["unused"])
    assert unique_values(cat) == ["a", "b"]
    assert unique_values(pd.Series(["x", None, "y", "x"])) == ["x", "y"]


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
