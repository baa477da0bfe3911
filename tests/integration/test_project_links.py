"""Projects of records, runs, transforms and labels (both directions), a transform's
predecessors and successors, and `project.status` (migration 0014_compat)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.db import bootstrap, migrate
from lamin_kernel.db.engine import make_engine


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_records_runs_transforms_and_labels_belong_to_projects(instance: dict) -> None:
    project = ln.Project(name="atlas").save()
    record = ln.Record(name="sample_1").save()
    transform = ln.Transform(key="prep.py", kind="script").save()
    run = ln.Run(transform).save()
    label = ln.ULabel(name="treated").save()
    for owner in (record, run, transform, label):
        owner.projects.add(project)

    assert [r.name for r in project.records.all()] == ["sample_1"]
    assert [r.id for r in project.runs.all()] == [run.id]
    assert [t.key for t in project.transforms.all()] == ["prep.py"]
    assert [u.name for u in project.ulabels.all()] == ["treated"]
    assert ln.Record.filter(projects=project).one().id == record.id
    assert ln.Run.filter(projects__name="atlas").count() == 1
    assert ln.Transform.get(transform.id).projects.one().name == "atlas"
    label.projects.remove(project)
    assert ln.ULabel.filter(projects=project).count() == 0
    project.delete(permanent=True)  # the links go with it
    assert ln.Record.get(record.id).projects.count() == 0


def test_a_link_to_an_unsaved_record_is_refused_and_the_next_works(instance: dict) -> None:
    project = ln.Project(name="p").save()
    record = ln.Record(name="r")
    with pytest.raises(ln.errors.InvalidArgument, match="unsaved"):
        record.projects.add(project)
    record.save()
    record.projects.add(project)
    assert project.records.count() == 1


def test_transforms_have_predecessors_and_successors(instance: dict) -> None:
    ingest = ln.Transform(key="ingest.py", kind="script").save()
    clean = ln.Transform(key="clean.py", kind="script").save()
    train = ln.Transform(key="train.py", kind="script").save()
    clean.predecessors.add(ingest)
    train.predecessors.add(clean)

    assert [t.key for t in ingest.successors.all()] == ["clean.py"]
    assert [t.key for t in train.predecessors.all()] == ["clean.py"]
    assert ln.Transform.filter(predecessors=ingest).one().key == "clean.py"
    assert ln.Transform.filter(successors__key="train.py").one().key == "clean.py"
    link = ln.models.TransformTransform.filter(successor_id=clean.id).one()
    assert (link.predecessor_id, link.config) == (ingest.id, None)
    clean.predecessors.add(ingest)  # again: still one link
    assert clean.predecessors.count() == 1


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_project_status_is_read_set_and_queried_by_name(instance: dict) -> None:
    project = ln.Project(name="grant").save()
    assert project.status == "planned"
    project.status = "active"
    project.save()
    ln.Project(name="old").save()
    assert ln.Project.get(name="grant").status == "active"
    assert ln.Project.filter(status="active").one().name == "grant"
    assert ln.Project.filter(status__in=["planned", "paused"]).one().name == "old"
    with pytest.raises(ValueError, match="Invalid project status. Expected one of: 'planned'"):
        project.status = "done"
    with pytest.raises(ValueError, match="Invalid project status"):
        ln.Project.filter(status="done")
    assert ln.Project.get(name="grant").status == "active"  # nothing changed by the refusals


def test_projects_made_before_0014_read_completed_and_get_the_links(instance: dict) -> None:
    url = f"sqlite:///{instance['tmp'] / 'at_0013.db'}"
    runtime.reset()
    engine = make_engine(url)
    migrate.upgrade(engine, "0013_compat")
    with engine.begin() as conn:
        bootstrap.ensure_defaults(conn)  # the main branch and the space 'all', as at 0013
        conn.execute(
            sa.text(
                "INSERT INTO lk_project (uid, name, is_type, is_locked, created_at, branch_id,"
                " created_on_id, space_id) VALUES ('p0000000000a', 'legacy', 0, 0, :t, 1, 1, 1)"
            ),
            {"t": datetime(2026, 1, 1, tzinfo=UTC)},
        )
    assert migrate.ensure_current(engine)
    with engine.begin() as conn:
        rows = conn.execute(sa.text("SELECT name, _status_code FROM lk_project")).all()
        assert [tuple(r) for r in rows] == [("legacy", 0)]
        assert conn.execute(sa.text("SELECT count(*) FROM lk_project_record")).scalar() == 0
    engine.dispose()


LABEL_LINKS = [
    # (owner factory, relation, target factory, reverse relation)
    ("record", "references", "reference", "records"),
    ("transform", "references", "reference", "transforms"),
    ("collection", "references", "reference", "collections"),
    ("project", "users", "user", "projects"),
    ("transform", "records", "record", "transforms"),
    ("transform", "ulabels", "ulabel", "transforms"),
]


def _make(kind: str, tmp) -> object:
    if kind == "record":
        return ln.Record(name="r1").save()
    if kind == "reference":
        return ln.Reference(name="Doe 2024").save()
    if kind == "transform":
        return ln.Transform(key="step.py", kind="script").save()
    if kind == "project":
        return ln.Project(name="atlas").save()
    if kind == "user":
        return ln.User.filter().first()
    if kind == "ulabel":
        return ln.ULabel(name="treated").save()
    path = tmp / "c.txt"
    path.write_text("c")
    return ln.Collection(ln.Artifact(path, key="c.txt").save(), key="c").save()


@pytest.mark.parametrize(("owner", "relation", "target", "reverse"), LABEL_LINKS)
def test_label_links_of_lamindb_work_both_ways(
    instance: dict, owner: str, relation: str, target: str, reverse: str
) -> None:
    first, second = _make(owner, instance["tmp"]), _make(target, instance["tmp"])
    getattr(first, relation).add(second)
    assert [r.id for r in getattr(first, relation).all()] == [second.id]
    assert [r.id for r in getattr(second, reverse).all()] == [first.id]
    model = type(first)
    assert model.filter(**{relation: second}).one().id == first.id
    getattr(first, relation).remove(second)
    assert getattr(second, reverse).count() == 0
