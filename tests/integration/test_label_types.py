"""ULabel(type=...) and Record(type=...) take only type records (is_type=True)."""

from __future__ import annotations

import pytest

import lamin_kernel as ln
from lamin_kernel.query.queryset import QuerySet


def test_ulabel_type_must_be_a_type(instance: dict) -> None:
    experiment = ln.ULabel(name="Experiment", is_type=True).save()
    plain = ln.ULabel(name="plain label").save()
    typed = ln.ULabel(name="Experiment 1", type=experiment).save()
    assert typed.type.name == "Experiment"
    before = QuerySet(ln.ULabel).count()
    with pytest.raises(ln.errors.InvalidArgument) as error:
        ln.ULabel(name="Experiment 2", type=plain)
    message = str(error.value)
    assert "ULabel 'Experiment 2'" in message and "'plain label' is not a type" in message
    assert "is_type=True" in message
    with pytest.raises(ln.errors.InvalidArgument, match="'Experiment 1' is not a type"):
        ln.ULabel(name="nested", type=typed, is_type=True)
    assert QuerySet(ln.ULabel).count() == before  # nothing written
    subtype = ln.ULabel(name="Sub-experiment", type=experiment, is_type=True).save()
    assert ln.ULabel(name="deep", type=subtype).save().type_id == subtype.id


def test_record_type_must_be_a_type(instance: dict) -> None:
    sample = ln.Record(name="Sample", is_type=True).save()
    one = ln.Record(name="sample 1", type=sample).save()
    before = QuerySet(ln.Record).count()
    with pytest.raises(ln.errors.InvalidArgument, match="Record 'sample 2'.*'sample 1' is not a"):
        ln.Record(name="sample 2", type=one)
    assert QuerySet(ln.Record).count() == before
    with pytest.raises(ln.errors.FieldValidationError, match="takes Record records"):
        ln.Record(name="wrong registry", type=ln.ULabel(name="x", is_type=True))
