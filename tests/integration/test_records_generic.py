"""What every registry does as LaminDB's do: constructor arguments, deleting, a uid that is
already in the registry, reloading, ln.view()."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel.query.queryset import QuerySet


def test_constructors_take_keyword_arguments_only(instance: dict) -> None:
    with pytest.raises(ln.errors.FieldValidationError, match=r"e.g.: User\(name='...'\)"):
        ln.User("an arg")
    with pytest.raises(ValueError) as error:
        ln.Record("a name")
    assert type(error.value) is ValueError
    assert str(error.value) == "Only one non-keyword arg allowed"
    with pytest.raises(ln.errors.FieldValidationError) as error:
        ln.Record(x=1)
    assert str(error.value).startswith(
        "Only name, type, is_type, features, description, schema, reference, reference_type,"
        " branch, space are valid keyword arguments"
    )
    with pytest.raises(ln.errors.FieldValidationError, match="Did you mean 'abbr'"):
        ln.Project(name="p", abr="P")
    with pytest.raises(ln.errors.FieldValidationError, match=r"\['name'\] are required"):
        ln.ULabel(description="no name")
    assert QuerySet(ln.ULabel).count() == 0


def test_branch_and_space_as_records_or_ids(instance: dict) -> None:
    branch = ln.Branch(name="ctor-branch").save()
    space = ln.Space(name="ctor-space").save()
    made = [
        ln.Record(name="by object", branch=branch, space=space).save(),
        ln.Record(name="by id", branch_id=branch.id, space_id=space.id).save(),
        ln.ULabel(name="label", branch=branch, space=space).save(),
        ln.Project(name="project", branch=branch, space=space).save(),
        ln.Feature(name="feature", dtype=str, branch=branch, space=space).save(),
    ]
    made += [
        ln.Schema([made[-1]], name="schema", branch=branch, space=space).save(),
        ln.Schema(name="schema by id", is_type=True, branch_id=branch.id, space_id=space.id),
    ]
    made[-1].save()
    assert {(r.branch_id, r.space_id) for r in made} == {(branch.id, space.id)}
    assert {r.created_on_id for r in made} == {branch.id}
    with pytest.raises(ln.errors.FieldValidationError, match="saved branch"):
        ln.Record(name="unsaved branch", branch=ln.Branch(name="not saved"))


def test_delete_unsaved_soft_and_permanent(instance: dict) -> None:
    record = ln.Record(name="to delete")
    assert record.delete() is None  # unsaved: nothing to delete
    assert record.branch_id == 1
    record.save()
    assert record.delete() is None and record.branch_id == -1
    assert record.delete(permanent=True) == (1, {"lamindb.Record": 1})
    assert QuerySet(ln.Record).filter(branch_id__gte=-1).count() == 0
    with pytest.raises(ValueError, match="Soft delete is not possible for Storage"):
        ln.Storage.filter().first().delete(permanent=False)
    with pytest.raises(ValueError, match="Soft delete is not possible for Branch"):
        ln.Branch.filter().first().delete(permanent=False)
    with pytest.raises(ln.errors.InvalidArgument, match="unexpected arguments"):
        ln.Record(name="x").save().delete(permanently=True)


def test_a_new_record_with_the_uid_of_a_trashed_one_takes_its_place(instance: dict) -> None:
    record = ln.Record(name="first name").save()
    uid = record.uid
    record.delete()
    again = ln.Record(name="second name")
    again.uid = uid
    again.save()
    assert (again.branch_id, again.name, again.id) == (1, "second name", record.id)
    assert QuerySet(ln.Record).filter(branch_id__gte=-1).count() == 1
    same = ln.Record(name="third name")
    same.uid = uid
    same.save()  # on main already: the saved record comes back unchanged
    assert (same.id, same.name) == (record.id, "second name")


def test_refresh_from_db_drops_unsaved_changes(instance: dict) -> None:
    record = ln.Record(name="saved name").save()
    record.name = "changed"
    record.refresh_from_db()
    assert record.name == "saved name"
    with pytest.raises(ln.errors.InvalidArgument, match="unsaved"):
        ln.Record(name="new").refresh_from_db()


def test_linking_to_an_unsaved_record_says_save_it_first(instance: dict) -> None:
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), description="unsaved")
    label = ln.Record(name="label").save()
    with pytest.raises(ValueError) as error:
        artifact.records.add(label)
    assert str(error.value) == (
        "You are trying to access the many-to-many relationships of an unsaved Artifact "
        "object. Please save it first using '.save()'."
    )


def test_view_of_a_module(instance: dict, capsys: pytest.CaptureFixture[str]) -> None:
    ln.Record(name="shown").save()
    ln.view(modules="core")
    assert "Record" in capsys.readouterr().out
    ln.view(registries=["ULabel"])
    assert capsys.readouterr().out == ""  # no labels yet
    with pytest.raises(ln.errors.InvalidArgument, match="unknown module"):
        ln.view(modules="nonexistent")
