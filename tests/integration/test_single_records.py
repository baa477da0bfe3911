"""What every registry does with a single record: construction rules, delete's results,
refresh_from_db(), and the built-in branches that cannot be removed."""

from __future__ import annotations

import pytest

import lamin_kernel as ln
from lamin_kernel.query.queryset import QuerySet


def test_positional_arguments_are_refused_with_a_keyword_example(instance: dict) -> None:
    with pytest.raises(ln.errors.FieldValidationError, match=r"e\.g\.: User\(name='\.\.\.'\)"):
        ln.User("someone")
    with pytest.raises(ln.errors.FieldValidationError, match="keyword arguments"):
        ln.Branch("b")
    assert ln.User.filter(handle="someone").count() == 0


@pytest.mark.parametrize("kwargs", [{}, {"description": "no name"}])
def test_a_label_without_its_name_is_refused_when_made(instance: dict, kwargs: dict) -> None:
    with pytest.raises(ln.errors.FieldValidationError, match=r"\['name'\] are required"):
        ln.ULabel(**kwargs)
    assert ln.ULabel.filter().count() == 0


def test_deleting_an_unsaved_record_does_nothing(instance: dict) -> None:
    record = ln.Record(name="never saved")
    assert record.delete() is None
    assert record.delete(permanent=True) is None
    assert record.branch_id == 1 and record.id is None
    record.save()  # still usable afterwards
    assert ln.Record.get(name="never saved").id == record.id


def test_trash_returns_nothing_and_a_permanent_delete_counts_rows(instance: dict) -> None:
    record = ln.Record(name="counted").save()
    assert record.delete() is None
    assert record.branch_id == -1
    count, per_registry = record.delete(permanent=True)
    assert (count, per_registry) == (1, {"lamindb.Record": 1})
    assert not ln.Record.filter(name="counted").exists()


def test_a_permanent_delete_of_a_linked_label_removes_its_links(instance: dict) -> None:
    label = ln.ULabel(name="linked").save()
    transform = ln.Transform(key="counting.py", kind="script").save()
    run = ln.Run(transform).save()
    run.ulabels.add(label)
    count, per_registry = label.delete(permanent=True)
    assert (count, per_registry) == (1, {"lamindb.ULabel": 1})
    assert run.ulabels.all().count() == 0


def test_built_in_branches_cannot_be_deleted_nor_trashed(instance: dict) -> None:
    trash = ln.Branch.get(-1)
    with pytest.raises(ValueError, match="Soft delete is not possible for Branch"):
        trash.delete(permanent=False)
    for branch_id in (-1, 0, 1):
        with pytest.raises(ln.errors.InvalidArgument, match="built-in branch"):
            ln.Branch.get(branch_id).delete()
    # the trash still works after the refusals
    label = ln.ULabel(name="to trash").save()
    label.delete()
    assert ln.ULabel.filter(name="to trash", branch_id=-1).count() == 1
    other = ln.Branch(name="short-lived").save()
    count, _ = other.delete()
    assert count == 1 and not ln.Branch.filter(name="short-lived").exists()


def test_refresh_from_db_reads_what_a_bulk_update_changed(instance: dict) -> None:
    label = ln.ULabel(name="before", description="old").save()
    QuerySet(ln.ULabel).filter(id=label.id).update(description="new")
    label.refresh_from_db()
    assert label.description == "new"
    QuerySet(ln.ULabel).filter(id=label.id).update(name="after", description="newer")
    label.refresh_from_db(fields=["name"])
    assert label.name == "after"
    with pytest.raises(ln.errors.InvalidArgument, match="no field"):
        label.refresh_from_db(fields=["no_such_field"])


def test_refresh_from_db_of_an_unsaved_or_deleted_record_says_so(instance: dict) -> None:
    with pytest.raises(ln.errors.InvalidArgument, match="unsaved ULabel"):
        ln.ULabel(name="unsaved").refresh_from_db()
    label = ln.ULabel(name="gone").save()
    QuerySet(ln.ULabel).filter(id=label.id).delete(permanent=True)
    with pytest.raises(ln.errors.DoesNotExist, match="no longer in the registry"):
        label.refresh_from_db()
    assert ln.ULabel(name="next").save().id is not None  # the session answers the next call


def test_refresh_from_db_sees_the_version_a_bulk_trash_promoted(instance: dict) -> None:
    first = ln.Transform(key="family.py", kind="script").save()
    second = ln.Transform(revises=first, key="family.py", kind="script").save()
    assert second.is_latest
    ln.Transform.filter(id=second.id).delete(permanent=False)
    first.refresh_from_db()
    assert first.is_latest
    trashed = ln.Transform.filter(id=second.id).one()
    assert trashed.branch_id == -1 and not trashed.is_latest


@pytest.mark.parametrize("key", ["a/../b", "../a", "./a", "a/./b", ".", "..", "a\\b"])
def test_transform_keys_cannot_hold_dot_segments_or_backslashes(instance: dict, key: str) -> None:
    with pytest.raises(ln.errors.InvalidKey):
        ln.Transform(key=key)
    assert ln.Transform.filter().count() == 0


@pytest.mark.parametrize("key", ["Introduction v2", "/a", "a/", "a//b", "my folder/run.py"])
def test_transform_keys_that_name_paths_loosely_are_kept(instance: dict, key: str) -> None:
    assert ln.Transform(key=key).save().key == key


def test_a_version_tag_of_a_family_with_source_code_is_not_reused(instance: dict) -> None:
    transform = ln.Transform(key="tagged.py", version="1").save()
    assert ln.Transform(key="tagged.py", version="1") == transform  # no source yet: the same
    transform.source_code = "print(1)"
    transform.save()
    with pytest.raises(ValueError, match="'1' is already taken"):
        ln.Transform(key="tagged.py", version="1")
    newer = ln.Transform(key="tagged.py", version="2").save()
    assert newer.version_tag == "2" and newer.stem_uid == transform.stem_uid


def test_view_narrows_to_a_module_and_prints_a_dataframe(
    instance: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    ln.ULabel(name="shown").save()
    ln.view(modules="core")
    assert "ULabel" in capsys.readouterr().out
    ln.view(modules="core", registries=["Transform"])
    assert "ULabel" not in capsys.readouterr().out
    with pytest.raises(ln.errors.InvalidArgument, match="unknown module 'nope'"):
        ln.view(modules="nope")
