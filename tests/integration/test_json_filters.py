"""Filters on JSON values (JsonValue.value, Run.params): compared as JSON values of the
value's type, with the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

import lamin_kernel as ln


def json_values() -> dict[str, ln.JsonValue]:
    """One JsonValue per kind of JSON value, each of its own feature."""
    values = {"zero": 0.0, "one": 1, "yes": True, "no": False, "text": "0.0", "doc": {"a": 1}}
    made = {}
    for name, value in values.items():
        dtype = {bool: "bool", str: "str", dict: "dict", int: "int", float: "float"}[type(value)]
        feature = ln.Feature(name=f"f_{name}", dtype=dtype).save()
        made[name] = ln.JsonValue(feature=feature, value=value).save()
    return made


def names(query: ln.QuerySet, made: dict[str, ln.JsonValue]) -> set[str]:
    ids = set(query.to_list("id"))
    return {name for name, value in made.items() if value.id in ids}


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_json_value_matches_values_of_its_own_type(instance: dict) -> None:
    made = json_values()
    assert names(ln.JsonValue.filter(value=0.0), made) == {"zero"}
    assert names(ln.JsonValue.filter(value=0), made) == {"zero"}  # 0 and 0.0 are one number
    assert names(ln.JsonValue.filter(value=1), made) == {"one"}  # not the boolean true
    assert names(ln.JsonValue.filter(value=True), made) == {"yes"}
    assert names(ln.JsonValue.filter(value=False), made) == {"no"}
    assert names(ln.JsonValue.filter(value="0.0"), made) == {"text"}
    assert names(ln.JsonValue.filter(value={"a": 1}), made) == {"doc"}
    assert names(ln.JsonValue.filter(value__in=[0.0, "0.0", True]), made) == {
        "zero",
        "text",
        "yes",
    }
    assert names(ln.JsonValue.filter(value__gte=0, value__lt=1), made) == {"zero"}
    assert names(ln.JsonValue.filter(value__range=(0.5, 2)), made) == {"one"}
    assert names(ln.JsonValue.exclude(value=0.0), made) == set(made) - {"zero"}
    assert ln.JsonValue.filter(value__in=[]).count() == 0


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_params_of_mixed_types_are_compared_without_errors(instance: dict) -> None:
    transform = ln.Transform(key="fit.py", kind="script").save()
    numeric = ln.Run(transform, params={"alpha": 0.5, "flag": True, "mode": "fast"}).save()
    textual = ln.Run(transform, params={"alpha": "auto", "flag": 1, "mode": 2}).save()

    assert ln.Run.filter(params__alpha__gt=0.1).to_list("id") == [numeric.id]
    assert ln.Run.filter(params__alpha="auto").to_list("id") == [textual.id]
    assert ln.Run.filter(params__flag=True).to_list("id") == [numeric.id]
    assert ln.Run.filter(params__flag=1).to_list("id") == [textual.id]
    assert ln.Run.filter(params__mode__in=["fast", 2]).count() == 2
    assert ln.Run.filter(params__mode__startswith="fa").to_list("id") == [numeric.id]
    with pytest.raises(ln.errors.FieldValidationError, match="only be compared with '='"):
        ln.Run.filter(params__flag__gt=True).count()
    # a failed query leaves the session usable
    assert ln.Run.filter(params__alpha__lte=0.5).count() == 1
