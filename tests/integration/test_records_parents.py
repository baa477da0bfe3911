"""Ontologies of Record, ULabel and Project: parents, children, walks and the graph view."""

from __future__ import annotations

import pytest

import lamin_kernel as ln
from lamin_kernel.records.hierarchy_view import HierarchyView


@pytest.mark.backends("sqlite-local", "postgres-local")
@pytest.mark.parametrize("model", [ln.Record, ln.ULabel, ln.Project])
def test_parents_children_and_walks(instance: dict, model: type) -> None:
    root = model(name="root").save()
    middle = model(name="middle").save()
    leaf = model(name="leaf").save()
    other = model(name="other").save()
    middle.parents.add(root)
    leaf.parents.set([middle, other])
    assert sorted(leaf.parents.to_list("name")) == ["middle", "other"]
    assert [r.name for r in root.children] == ["middle"]
    assert {r.name for r in leaf.query_parents()} == {"middle", "other", "root"}
    assert {r.name for r in root.query_children()} == {"middle", "leaf"}
    assert leaf.query_children().count() == 0
    leaf.parents.remove(other)
    assert {r.name for r in leaf.query_parents()} == {"middle", "root"}


def test_a_trashed_parent_hides_its_ancestors(instance: dict) -> None:
    root = ln.Record(name="root").save()
    middle = ln.Record(name="middle").save()
    leaf = ln.Record(name="leaf").save()
    middle.parents.add(root)
    leaf.parents.add(middle)
    middle.delete()
    assert leaf.query_parents().count() == 0
    middle.restore()
    assert leaf.query_parents().count() == 2


def test_a_cycle_of_parents_ends_the_walk(instance: dict) -> None:
    a = ln.ULabel(name="a").save()
    b = ln.ULabel(name="b").save()
    a.parents.add(b)
    b.parents.add(a)
    assert [r.name for r in a.query_parents()] == ["b"]
    assert [r.name for r in a.query_children()] == ["b"]


def test_view_parents_draws_ancestors_and_children(instance: dict) -> None:
    root = ln.Record(name="root").save()
    middle = ln.Record(name="middle", description="the middle one").save()
    leaf = ln.Record(name="leaf").save()
    middle.parents.add(root)
    leaf.parents.add(middle)
    view = middle.view_parents(with_children=True)
    assert isinstance(view, HierarchyView)
    assert view.to_text().splitlines()[:2] == ["middle", "└── root"]
    assert "children: leaf" in view.to_text()
    assert "<svg" in view._repr_svg_() and "leaf" in view.to_svg()
    assert "the middle one" in middle.view_parents(field="description").to_text()
    assert leaf.view_children().to_text() == "leaf"
    with pytest.raises(ln.errors.InvalidArgument, match="no field"):
        leaf.view_parents(field="nonexistent")


def test_parents_of_an_unsaved_record(instance: dict) -> None:
    saved = ln.Record(name="saved").save()
    unsaved = ln.Record(name="unsaved")
    with pytest.raises(ValueError, match="unsaved Record object. Please save it first"):
        unsaved.parents.add(saved)
    with pytest.raises(ln.errors.InvalidArgument, match="save the Record first"):
        unsaved.query_parents()
    assert ln.Record.filter(name="unsaved").count() == 0


def test_records_as_run_inputs(instance: dict) -> None:
    transform = ln.Transform(key="reads records", kind="function").save()
    run = ln.Run(transform=transform).save()
    record = ln.Record(name="input").save()
    record.input_of_runs.add(run)
    assert [r.id for r in run.input_records] == [record.id]
    assert ln.Run.filter(input_records=record).one().id == run.id
    produced = ln.Record(name="output")
    produced.run = run
    produced.save()
    assert produced.run_id == run.id and [r.name for r in run.output_records] == ["output"]
