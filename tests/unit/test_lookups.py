"""The lookup parser: field paths, lookups and values become bound SQL conditions."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import sqlite

from lamin_kernel import models
from lamin_kernel.errors import FieldValidationError
from lamin_kernel.query.lookups import LOOKUPS, build_condition, split_expression
from lamin_kernel.query.q import Q


def sql(condition) -> str:
    return str(condition.compile(dialect=sqlite.dialect()))


def params(condition) -> dict:
    return condition.compile(dialect=sqlite.dialect()).params


def test_split_expression() -> None:
    assert split_expression("run__transform__key__icontains") == [
        "run",
        "transform",
        "key",
        "icontains",
    ]
    with pytest.raises(FieldValidationError, match="empty part"):
        split_expression("key____exact")


@pytest.mark.parametrize("lookup", [x for x in LOOKUPS if x not in ("in", "isnull", "range")])
def test_every_scalar_lookup_binds_its_value(lookup: str) -> None:
    condition = build_condition(models.Artifact, f"key__{lookup}", "'; DROP TABLE lk_artifact; --")
    assert "DROP TABLE" not in sql(condition)
    assert any("drop table" in str(v).lower() for v in params(condition).values())


def test_in_isnull_range() -> None:
    assert "IN" in sql(build_condition(models.Artifact, "size__in", [1, 2]))
    assert "IS NULL" in sql(build_condition(models.Artifact, "description__isnull", True))
    assert "IS NOT NULL" in sql(build_condition(models.Artifact, "description__isnull", False))
    text = sql(build_condition(models.Artifact, "size__range", (1, 10)))
    assert ">=" in text and "<=" in text


def test_traversal_through_foreign_keys_and_many_to_many() -> None:
    fk = sql(build_condition(models.Artifact, "run__transform__key__icontains", "tut"))
    # planned from the related side: IN subqueries, never an EXISTS per artifact row
    assert "EXISTS" not in fk and "run_id IN (SELECT lk_run.id" in fk
    assert "lk_transform" in fk and "lower" in fk
    m2m = sql(build_condition(models.Artifact, "ulabels__name__in", ["a", "b"]))
    assert "lk_artifact_ulabel" in m2m and "IN" in m2m
    alias = sql(build_condition(models.Artifact, "transform__description__icontains", "x"))
    assert "lk_run" in alias and "lk_transform" in alias


def test_record_values_become_ids() -> None:
    run = models.Run(transform_id=1)
    run.id = 7
    condition = build_condition(models.Artifact, "run", run)
    assert "run_id" in sql(condition) and 7 in params(condition).values()


def test_unknown_field_suggests_closest() -> None:
    with pytest.raises(FieldValidationError, match="Did you mean 'suffix'"):
        build_condition(models.Artifact, "sufix", ".csv")


def test_unknown_lookup_suggests_closest() -> None:
    with pytest.raises(FieldValidationError, match="Did you mean 'icontains'"):
        build_condition(models.Artifact, "key__icontain", "x")


def test_lookup_after_plain_field_is_refused() -> None:
    with pytest.raises(FieldValidationError, match="not a relation"):
        build_condition(models.Artifact, "key__name__exact", "x")


def test_wrong_value_types_are_named() -> None:
    with pytest.raises(FieldValidationError, match="expects a string"):
        build_condition(models.Artifact, "key__icontains", 3)
    with pytest.raises(FieldValidationError, match="expects a list"):
        build_condition(models.Artifact, "size__in", "abc")
    with pytest.raises(FieldValidationError, match="expects a record or an id"):
        build_condition(models.Artifact, "run", "not-a-run")


def test_q_objects_combine() -> None:
    q = (Q(key__startswith="a/") | Q(key__startswith="b/")) & ~Q(suffix=".csv")
    text = sql(q.to_condition(models.Artifact))
    assert " OR " in text and ("NOT" in text or "!=" in text)
