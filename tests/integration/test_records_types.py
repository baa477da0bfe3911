"""Types of Record, ULabel, Project and Reference: sub-types, records under a type at any
depth, a record's chain of types, the rules a `type` follows, trashing a type."""

from __future__ import annotations

import pytest

import lamin_kernel as ln
from lamin_kernel.query.queryset import QuerySet

TYPED = [
    (ln.Record, "records", "query_records"),
    (ln.ULabel, "ulabels", "query_ulabels"),
    (ln.Project, "projects", "query_projects"),
    (ln.Reference, "references", "query_references"),
]


@pytest.mark.backends("sqlite-local", "postgres-local")
@pytest.mark.parametrize(("model", "direct", "query"), TYPED)
def test_records_under_a_type_at_any_depth(
    instance: dict, model: type, direct: str, query: str
) -> None:
    top = model(name="Top", is_type=True).save()
    middle = model(name="Middle", is_type=True, type=top).save()
    bottom = model(name="Bottom", is_type=True, type=middle).save()
    first = model(name="first", type=top).save()
    deep = [model(name=f"deep {i}", type=bottom).save() for i in range(2)]

    assert {r.id for r in getattr(top, direct)} == {middle.id, first.id}
    everything = getattr(top, query)()
    assert isinstance(everything, QuerySet)
    assert {r.id for r in everything} == {middle.id, bottom.id, first.id, *(r.id for r in deep)}
    assert {r.id for r in getattr(top, query)(depth=1)} == {middle.id, first.id}
    assert {r.id for r in getattr(top, query)(depth=2)} == {middle.id, first.id, bottom.id}
    assert [t.name for t in deep[0].query_types()] == ["Bottom", "Middle", "Top"]
    assert first.query_types() == [top]
    assert top.query_types() == []


def test_trashing_a_type_trashes_what_it_groups_and_restore_brings_back_the_type(
    instance: dict,
) -> None:
    top = ln.Record(name="Top", is_type=True).save()
    middle = ln.Record(name="Middle", is_type=True, type=top).save()
    kept = ln.Record(name="kept", type=top).save()
    grouped = ln.Record(name="grouped", type=middle).save()
    assert middle.delete() is None
    assert ln.Record.filter(branch_id=-1).count() == 2
    assert {r.id for r in top.query_records()} == {kept.id}
    grouped_again = QuerySet(ln.Record).filter(branch_id__gte=-1).get(id=grouped.id)
    assert grouped_again.branch_id == -1
    middle.restore()
    assert {r.id for r in top.query_records()} == {kept.id, middle.id}  # the type only


@pytest.mark.parametrize("model", [ln.Record, ln.ULabel, ln.Project, ln.Reference])
def test_type_must_be_a_type_of_the_same_registry(instance: dict, model: type) -> None:
    plain = model(name="plain").save()
    before = QuerySet(model).count()
    with pytest.raises(ValueError) as error:
        model(name="WithInvalidType", type=plain)
    lower = model.__name__.lower()
    assert str(error.value).startswith(
        f"You can only assign a {lower} with `is_type=True` as `type` to another {lower}"
    )
    record = model(name="later").save()
    record.type = plain  # set after construction: refused when saved
    with pytest.raises(ln.errors.InvalidArgument, match="`is_type=True`"):
        record.save()
    assert QuerySet(model).count() == before + 1
    assert QuerySet(model).get(id=record.id).type_id is None


@pytest.mark.backends("sqlite-local", "postgres-local")
@pytest.mark.parametrize("model", [ln.Record, ln.ULabel])
def test_a_type_cycle_is_refused_on_every_backend(instance: dict, model: type) -> None:
    type_a = model(name="TypeA", is_type=True).save()
    type_b = model(name="TypeB", is_type=True).save()
    type_a.type = type_b
    type_a.save()
    type_b.type = type_a
    with pytest.raises(ln.errors.InvalidArgument, match="cycle"):
        type_b.save()
    type_b.type = None
    type_b.save()  # the failed save broke nothing
    type_a.type = type_a
    with pytest.raises(ln.errors.InvalidArgument, match="cycle"):
        type_a.save()
    assert QuerySet(model).get(id=type_a.id).type_id == type_b.id


def test_query_by_type_and_depth_argument_is_checked(instance: dict) -> None:
    sheet = ln.Record(name="Samples", is_type=True).save()
    one = ln.Record(name="sample 1", type=sheet).save()
    assert ln.Record.filter(type=sheet).one() == one
    with pytest.raises(ln.errors.InvalidArgument, match="depth"):
        sheet.query_records(depth=0)
    assert ln.Record(name="unsaved type", is_type=True).query_records().count() == 0


def test_record_kinds_page_frame_data(instance: dict) -> None:
    score = ln.Feature(name="score", dtype=float).save()
    schema = ln.Schema([score], name="scores").save()
    page = ln.Record(name="Folder", is_type=True).save()
    frame = ln.Record(name="Sheet", schema=schema).save()  # a schema makes a type
    data = ln.Record(name="row", type=page).save()
    assert frame.is_type and frame.schema == schema and schema in [r.schema for r in [frame]]
    assert (page.is_page, page.is_frame, page.is_data) == (True, False, False)
    assert (frame.is_page, frame.is_frame) == (False, True)
    assert data.is_data and not data.is_page


def test_features_and_schemas_nest_under_types_of_their_own_registry(instance: dict) -> None:
    assays = ln.Feature(name="Assays", is_type=True).save()
    readouts = ln.Feature(name="Readouts", is_type=True, type=assays).save()
    signal = ln.Feature(name="signal", dtype=float, type=readouts).save()
    panels = ln.Schema(name="Panels", is_type=True).save()
    panel = ln.Schema([signal], name="panel", type=panels).save()

    assert list(assays.features) == [readouts]
    assert {f.name for f in assays.query_features()} == {"Readouts", "signal"}
    assert list(assays.query_features(depth=1)) == [readouts]
    assert signal.query_types() == [readouts, assays]
    assert panel.type == panels and list(panels.schemas) == [panel]
    assert list(panels.query_schemas()) == [panel]
    with pytest.raises(ln.errors.InvalidArgument):
        ln.Feature(name="odd", dtype=str, type=signal).save()  # not a type
    assays.type = signal.type  # Readouts is under Assays: a cycle
    with pytest.raises(ln.errors.InvalidArgument, match="cycle"):
        assays.save()


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_records_hold_projects_references_and_transforms_as_values(instance: dict) -> None:
    project = ln.Project(name="P").save()
    reference = ln.Reference(name="Paper").save()
    transform = ln.Transform(key="make.py", kind="script").save()
    for name, registry in (("project", ln.Project), ("paper", ln.Reference)):
        ln.Feature(name=name, dtype=registry).save()
    ln.Feature(name="made_by", dtype=ln.Transform).save()
    record = ln.Record(name="r").save()

    record.features.set_values({"project": project, "paper": reference, "made_by": transform})
    values = record.features.get_values()
    assert values["project"] == "P" and values["paper"] == "Paper"
    assert ln.models.RecordProject.filter(record_id=record.id).one().value_id == project.id
    assert ln.models.RecordTransform.filter(record_id=record.id).count() == 1
    record.features.remove_values("project")
    assert "project" not in record.features.get_values()
    assert ln.models.RecordReference.filter(record_id=record.id).count() == 1
