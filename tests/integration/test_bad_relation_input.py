"""Bad input to relation filters, link managers and lookups: a clear error, nothing written,
and values of any length or content are compared as values, never read as query syntax."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import errors

ODD_VALUES = [
    "x" * 10_000,
    "%_%' OR 1=1 --",
    ")))))",
    "🧬🧪" * 50,
    "label3'; DROP TABLE lk_ulabel; --",
    "",
]


@pytest.fixture
def linked(instance: dict, tmp_path) -> tuple[ln.Artifact, ln.ULabel]:
    path = tmp_path / "a.txt"
    path.write_text("a")
    artifact = ln.Artifact(str(path), key="a.txt").save()
    label = ln.ULabel(name="label3").save()
    artifact.ulabels.add(label)
    return artifact, label


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_relation_filters_take_any_text_as_a_value(linked: tuple) -> None:
    for value in ODD_VALUES:
        assert ln.Artifact.filter(ulabels__name=value).count() == 0
        assert ln.Artifact.filter(ulabels__name__startswith=value + "zz").count() == 0
        assert ln.Artifact.filter(run__transform__key=value).count() == 0
        assert ln.ULabel.filter(artifacts__key__contains=value + "zz").count() == 0
    assert ln.Artifact.filter(ulabels__name="label3").count() == 1
    assert ln.ULabel.filter().count() == 1  # nothing was dropped or changed


def test_relation_filters_refuse_what_is_not_a_value(linked: tuple) -> None:
    with pytest.raises(errors.FieldValidationError, match="NUL"):
        ln.Artifact.filter(ulabels__name="label\x003")
    with pytest.raises(errors.FieldValidationError, match="expects a list"):
        ln.Artifact.filter(ulabels__in="label3")
    with pytest.raises(errors.FieldValidationError, match="expects True or False"):
        ln.Artifact.filter(ulabels__isnull="yes")
    with pytest.raises(errors.FieldValidationError, match="expects a record or an id"):
        ln.Artifact.filter(ulabels="label3")
    with pytest.raises(errors.FieldValidationError, match="unknown field 'nam'.*Did you mean"):
        ln.Artifact.filter(ulabels__nam="label3")
    with pytest.raises(errors.FieldValidationError, match="not saved yet"):
        ln.Artifact.filter(ulabels=ln.ULabel(name="unsaved"))


def test_link_managers_refuse_wrong_records_and_write_nothing(linked: tuple) -> None:
    artifact, label = linked
    other = ln.ULabel(name="other").save()
    with pytest.raises(errors.InvalidArgument, match="expected ULabel records, got str"):
        artifact.ulabels.add(other, "label3")
    with pytest.raises(errors.InvalidArgument, match="expected ULabel records, got a QuerySet"):
        artifact.ulabels.add(ln.Artifact.filter())
    with pytest.raises(errors.InvalidArgument, match="save the ULabel"):
        artifact.ulabels.add(other, ln.ULabel(name="new"))
    unsaved = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="x.parquet")
    with pytest.raises(
        errors.InvalidArgument, match="many-to-many relationships of an unsaved Artifact"
    ):
        unsaved.ulabels.add(other)
    assert ln.Artifact.filter().count() == 1
    assert [u.name for u in artifact.ulabels] == ["label3"]  # `other` was not linked either
    with pytest.raises(errors.InvalidArgument, match="non-negative"):
        artifact.ulabels[-1:]
    artifact.ulabels.remove(other)  # not linked: nothing to do
    assert artifact.ulabels.count() == 1 and label in artifact.ulabels
