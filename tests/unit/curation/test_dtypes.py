"""Dtype strings: parsing, formatting from Python objects, display, single-value checks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from lamin_kernel.curation.dtype_display import display_dtype
from lamin_kernel.curation.dtype_values import check_value, read_value, sort_number
from lamin_kernel.curation.dtypes import CatTarget, format_dtype, parse_dtype
from lamin_kernel.errors import InvalidArgument


@pytest.mark.parametrize(
    "text",
    [
        "str",
        "int",
        "float",
        "num",
        "bool",
        "date",
        "datetime",
        "dict",
        "cat",
        "list[int]",
        "list[cat[ULabel]]",
        "cat[ULabel]",
        "cat[ULabel[Perturbation]]",
        "cat[Record]",
        "cat[bionty.CellType]",
        "cat[bionty.ExperimentalFactor.ontology_id]",
        "cat[ULabel|bionty.CellType]",
        "cat[ULabel[My Type].name]",
    ],
)
def test_dtype_strings_round_trip(text: str) -> None:
    assert str(parse_dtype(text)) == text


def test_parse_reads_registry_field_and_type() -> None:
    dtype = parse_dtype("cat[ULabel[Perturbation]|bionty.Gene.ensembl_gene_id]")
    assert dtype.is_cat and dtype.kind == "cat"
    assert dtype.targets == (
        CatTarget("ULabel", None, "Perturbation"),
        CatTarget("bionty.Gene", "ensembl_gene_id"),
    )
    assert dtype.targets[1].module == "bionty" and dtype.targets[1].class_name == "Gene"
    listed = parse_dtype("list[cat[bionty.CellType]]")
    assert listed.is_cat and listed.cat_targets == (CatTarget("bionty.CellType"),)


@pytest.mark.parametrize(
    "text",
    ["flaot", "", "cat[]", "cat[ulabel]", "list[list[int]]", "cat[ULabel", "list[x]", "str "],
)
def test_unknown_dtype_strings_are_refused(text: str) -> None:
    if text == "str ":
        assert str(parse_dtype(text)) == "str"  # surrounding spaces are forgiven
        return
    with pytest.raises(InvalidArgument, match="dtype"):
        parse_dtype(text)


def test_python_types_format_as_their_names() -> None:
    assert [format_dtype(t) for t in (str, int, float, bool, dict)] == [
        "str",
        "int",
        "float",
        "bool",
        "dict",
    ]
    assert format_dtype(dt.datetime) == "datetime" and format_dtype(dt.date) == "date"
    assert format_dtype(list[int]) == "list[int]"
    assert format_dtype("num") == "num"
    with pytest.raises(InvalidArgument):
        format_dtype(complex)
    with pytest.raises(InvalidArgument):
        format_dtype(3)


def test_display_drops_the_cat_wrapper() -> None:
    assert display_dtype("cat[ULabel]") == "ULabel"
    assert display_dtype("cat[bionty.CellType]") == "bionty.CellType"
    assert display_dtype("cat[bionty.ExperimentalFactor.ontology_id]") == (
        "bionty.ExperimentalFactor.ontology_id"
    )
    assert display_dtype("list[cat[ULabel]]") == "list[ULabel]"
    assert display_dtype("float") == "float" and display_dtype(None) == ""


def test_check_value_normalises_and_names_the_problem() -> None:
    assert check_value(parse_dtype("float"), 21) == 21.0
    assert check_value(parse_dtype("float"), np.float32(2.5)) == 2.5
    assert check_value(parse_dtype("int"), np.int64(3)) == 3
    assert check_value(parse_dtype("int"), 4.0) == 4
    assert check_value(parse_dtype("num"), 7) == 7
    assert check_value(parse_dtype("date"), dt.date(2024, 1, 2)) == "2024-01-02"
    assert check_value(parse_dtype("datetime"), "2024-01-02T03:04:05") == "2024-01-02T03:04:05"
    with pytest.raises(ValueError, match="set coerce=True"):
        check_value(parse_dtype("date"), "2024-01-02", coerce=False)  # as LaminDB: no strings
    assert check_value(parse_dtype("list[int]"), [1, 2]) == [1, 2]
    assert check_value(parse_dtype("dict"), {"a": 1}) == {"a": 1}
    for dtype, value, reason in [
        ("float", "hot", "not a number"),
        ("float", True, "not a number"),
        ("int", 2.5, "not an integer"),
        ("str", 3, "not a string"),
        ("bool", 1, "not a bool"),
        ("date", "yesterday", "ISO date"),
        ("list[int]", 3, "not a list"),
        ("dict", [1], "not a dict"),
    ]:
        with pytest.raises(ValueError, match=reason):
            check_value(parse_dtype(dtype), value)


@pytest.mark.parametrize(
    "text",
    [
        "url",
        "path",
        "datetime64[ns, UTC]",
        "cat[User]",
        "cat[Run.uid]",
        "cat[Artifact[schema__uid=abc123]]",
        "cat[bionty.Disease.ontology_id[source__uid=Xy12]]",
        "cat[Record[AbCdEfGhIjKlMnOp, schema__uid=abc]]",
    ],
)
def test_newer_dtype_strings_round_trip(text: str) -> None:
    assert str(parse_dtype(text)) == text


def test_filters_and_type_references_are_read_apart() -> None:
    (target,) = parse_dtype("cat[Record[AbCd, schema__uid=x]]").targets
    assert target.type_ref == "AbCd" and target.filters == (("schema__uid", "x"),)
    (target,) = parse_dtype("cat[bionty.Gene.symbol[source__uid='a,b']]").targets
    assert target.field == "symbol" and target.filters == (("source__uid", "a,b"),)


def test_python_and_pandas_types_become_dtypes() -> None:
    import pandas as pd

    assert format_dtype(pd.DatetimeTZDtype(tz="UTC")) == "datetime64[ns, UTC]"
    assert format_dtype(np.dtype("int32")) == "int"
    assert format_dtype(pd.CategoricalDtype(["a"])) == "cat[ULabel]"
    assert format_dtype(list[dt.date]) == "list[date]"
    # `from datetime import datetime; dtype=datetime.date` is the method: LaminDB reads its name
    assert format_dtype(dt.datetime.date) == "date"
    with pytest.raises(InvalidArgument, match="cannot make a dtype"):
        format_dtype(dt.datetime.isoformat)


def test_simple_dtypes_as_python_objects() -> None:
    from lamin_kernel.curation.schema_api import dtype_as_object

    assert dtype_as_object("num") is float and dtype_as_object("url") is str
    assert dtype_as_object("list[num]") == list[float]
    assert dtype_as_object("date") is dt.date


def test_values_read_back_and_sort() -> None:
    assert read_value(parse_dtype("date"), "2024-01-02") == dt.date(2024, 1, 2)
    assert read_value(parse_dtype("float"), 3) == 3.0
    assert read_value(parse_dtype("list[date]"), ["2024-01-02"]) == [dt.date(2024, 1, 2)]
    assert sort_number(parse_dtype("date"), "2024-01-02") < sort_number(
        parse_dtype("date"), "2024-01-03"
    )
    assert sort_number(parse_dtype("int"), 3) == 3.0
    assert sort_number(parse_dtype("str"), "x") is None
    aware = check_value(parse_dtype("datetime64[ns, UTC]"), dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert aware == "2024-01-01T00:00:00+00:00"
    with pytest.raises(ValueError, match="time-zone aware"):
        check_value(parse_dtype("datetime64[ns, UTC]"), dt.datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="not a URL"):
        check_value(parse_dtype("url"), "example")
