"""QuerySet.update() and bulk delete(), get() by uid prefix, values_list, ln.save batches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

import lamin_kernel as ln
from lamin_kernel import errors
from lamin_kernel.setup.session import connection


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:  # noqa: ANN001
        seen.append(statement)

    engine = connection().engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_update_is_one_statement_and_counts_rows(instance: dict) -> None:
    ln.save([ln.ULabel(name=f"sample {i}") for i in range(500)], batch_size=120)
    ln.ULabel(name="other").save()
    with statements() as seen:
        changed = ln.ULabel.filter(name__startswith="sample").update(description="batch A")
    assert changed == 500
    assert [s for s in seen if s.lstrip().upper().startswith("UPDATE")] and len(
        [s for s in seen if s.lstrip().upper().startswith("UPDATE")]
    ) == 1
    assert ln.ULabel.filter(description="batch A").count() == 500
    assert ln.ULabel.get(name="other").description is None


def test_update_of_a_relation_and_of_a_slice(instance: dict) -> None:
    kind = ln.ULabel(name="Kind", is_type=True).save()
    ln.save([ln.ULabel(name=f"x{i}") for i in range(5)])
    assert ln.ULabel.filter(name__startswith="x").order_by("id")[0:2].update(type=kind) == 2
    assert ln.ULabel.filter(type=kind).to_list("name") == ["x0", "x1"]
    assert ln.ULabel.filter(name="x0").update(type=None) == 1
    assert ln.ULabel.filter(type=kind).count() == 1


def test_update_refuses_unknown_fields_and_writes_nothing(instance: dict) -> None:
    ln.ULabel(name="keep").save()
    with pytest.raises(errors.FieldValidationError, match="unknown field 'colour'"):
        ln.ULabel.filter(name="keep").update(description="changed", colour="red")
    assert ln.ULabel.get(name="keep").description is None
    # the failed call leaves the next one working
    assert ln.ULabel.filter(name="keep").update(description="changed") == 1


def test_bulk_soft_delete_promotes_the_previous_version(instance: dict) -> None:
    v1 = ln.Transform(key="pipeline.py").save()
    v2 = ln.Transform(key="pipeline.py", revises=v1).save()
    assert v2.uid[:12] == v1.uid[:12] and v2.is_latest
    ln.Transform.filter(id=v2.id).delete()
    trashed = ln.Transform.filter(id=v2.id).one()  # a query by id sees the trash
    assert trashed.branch_id == -1 and not trashed.is_latest
    assert ln.Transform.get(v1.uid[:12]).id == v1.id
    assert ln.Transform.filter(uid__startswith=v1.uid[:12]).one().is_latest


def test_bulk_permanent_delete_promotes_and_removes_rows(instance: dict) -> None:
    v1 = ln.Transform(key="flow.py").save()
    v2 = ln.Transform(key="flow.py", revises=v1).save()
    ln.save([ln.ULabel(name=f"gone {i}") for i in range(3)])
    ln.Transform.filter(id=v2.id).delete(permanent=True)
    ln.ULabel.filter(name__startswith="gone").delete(permanent=True)
    assert ln.Transform.filter(id=v2.id).count() == 0
    assert ln.Transform.filter(id=v1.id).one().is_latest
    assert ln.ULabel.filter(name__startswith="gone", branch_id__in=[-1, 0, 1]).count() == 0


def test_bulk_delete_of_the_only_version_keeps_it_latest_in_trash(instance: dict) -> None:
    only = ln.Transform(key="single.py").save()
    ln.Transform.filter(key="single.py").delete()
    trashed = ln.Transform.get(only.id)
    assert trashed.branch_id == -1 and trashed.is_latest
    assert ln.Transform.filter(key="single.py").count() == 0


def test_get_by_uid_prefix_and_missing_uid(instance: dict) -> None:
    label = ln.ULabel(name="prefixed").save()
    assert ln.ULabel.get(label.uid[:4]).id == label.id
    with pytest.raises(errors.DoesNotExist, match="Did you forget a keyword as in"):
        ln.ULabel.get("zzzzzzz")
    assert issubclass(errors.MultipleObjectsReturned, errors.MultipleResultsFound)


def test_get_by_lookups_prefers_the_latest_version(instance: dict) -> None:
    v1 = ln.Transform(key="v.py", description="same").save()
    v2 = ln.Transform(key="v.py", description="same", revises=v1).save()
    assert ln.Transform.get(description="same").id == v2.id
    assert ln.Transform.get(description="same", is_latest=False).id != v2.id


def test_values_list_values_and_class_level_accessors(instance: dict) -> None:
    assert ln.ULabel.first() is None and ln.ULabel.one_or_none() is None
    with pytest.raises(errors.DoesNotExist):
        ln.ULabel.one()
    a = ln.ULabel(name="a", description="first").save()
    assert ln.ULabel.one().id == a.id
    b = ln.ULabel(name="b").save()
    with pytest.raises(errors.MultipleResultsFound):
        ln.ULabel.one_or_none()
    assert ln.ULabel.first().id == a.id and ln.ULabel.last().id == b.id
    qs = ln.ULabel.filter().order_by("name")
    assert qs.values_list("name", flat=True) == ["a", "b"]
    assert qs.values_list("name", "description") == [("a", "first"), ("b", None)]
    assert qs.values("name") == [{"name": "a"}, {"name": "b"}]
    assert ln.ULabel.objects.filter(name="b").one().id == b.id
    with pytest.raises(errors.InvalidArgument):
        qs.values_list("name", "description", flat=True)


def test_ln_save_batches_and_checks_batch_size(instance: dict) -> None:
    ln.save([ln.ULabel(name=f"b{i}") for i in range(25)], batch_size=7)
    assert ln.ULabel.filter(name__startswith="b").count() == 25
    with pytest.raises(errors.InvalidArgument, match="batch_size"):
        ln.save([ln.ULabel(name="never")], batch_size=0)
    assert ln.ULabel.filter(name="never").count() == 0


def test_ln_save_ignore_conflicts_skips_duplicates(instance: dict) -> None:
    first = ln.ULabel(name="u1").save()
    duplicate = ln.ULabel(name="u2")
    duplicate.uid = first.uid
    with pytest.raises(errors.IntegrityError):
        ln.save([duplicate, ln.ULabel(name="u3")])
    ln.save([duplicate, ln.ULabel(name="u4")], ignore_conflicts=True)
    assert ln.ULabel.filter(name="u4").count() == 1
    assert ln.ULabel.filter(name="u2").count() == 0
