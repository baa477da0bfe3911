"""LaminDB 2.12's links of branches and projects: `branch.projects`, `branch.ulabels`,
`branch.users`, `project.blocks`, `project.references`, `project.predecessors`, and each
reverse relation (`project.branches`, `ulabel.branches`, `user.branches`, `block.projects`,
`reference.projects`, `project.successors`)."""

from __future__ import annotations

import pytest

import lamin_kernel as ln
from lamin_kernel.models.branch_links import BranchProject, ProjectProject


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_branch_is_annotated_with_projects_labels_and_users(instance: dict) -> None:
    branch = ln.Branch(name="feature-x").save()
    project = ln.Project(name="Atlas").save()
    label = ln.ULabel(name="needs-review").save()
    reviewer = ln.User.get(id=1)
    branch.projects.add(project)
    branch.ulabels.add(label)
    branch.users.add(reviewer)
    assert branch.projects.to_list("name") == ["Atlas"]
    assert project.branches.to_list("name") == ["feature-x"]
    assert label.branches.to_list("name") == ["feature-x"]
    assert reviewer.branches.to_list("name") == ["feature-x"]
    assert ln.Branch.filter(projects=project).to_list("name") == ["feature-x"]
    assert ln.Branch.filter(ulabels__name="needs-review").count() == 1
    branch.ulabels.remove(label)
    assert branch.ulabels.count() == 0 and label.branches.count() == 0


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_projects_have_blocks_references_and_an_order(instance: dict) -> None:
    pilot = ln.Project(name="Pilot").save()
    main = ln.Project(name="Main study").save()
    followup = ln.Project(name="Follow-up").save()
    main.predecessors.add(pilot)
    followup.predecessors.add(main)
    assert main.predecessors.to_list("name") == ["Pilot"]
    assert pilot.successors.to_list("name") == ["Main study"]
    assert ln.Project.filter(predecessors=main).to_list("name") == ["Follow-up"]

    paper = ln.Reference(name="Atlas paper").save()
    main.references.add(paper)
    assert paper.projects.to_list("name") == ["Main study"]
    assert main.references.to_list("name") == ["Atlas paper"]

    readme = ln.models.Block(key="README.md", content="# Main study", kind="readme").save()
    main.blocks.add(readme)
    assert main.blocks.to_list("key") == ["README.md"]
    assert readme.projects.to_list("name") == ["Main study"]


def test_deleting_a_project_removes_its_branch_and_order_links(instance: dict) -> None:
    branch = ln.Branch(name="b").save()
    first = ln.Project(name="first").save()
    second = ln.Project(name="second").save()
    second.predecessors.add(first)
    branch.projects.add(first)
    first.delete(permanent=True)
    assert second.predecessors.count() == 0 and branch.projects.count() == 0
    assert ProjectProject.filter().count() == 0
    assert BranchProject.filter().count() == 0


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_types_labels_and_branches_keep_an_emoji(instance: dict) -> None:
    kind = ln.ULabel(name="Perturbation", is_type=True)
    assert kind.emoji is None
    kind.emoji = " 🧪 "
    kind.save()
    assert ln.ULabel.get(name="Perturbation").emoji == "🧪"
    branch = ln.Branch(name="emoji-branch").save()
    branch.emoji = "🌿"
    branch.save()
    assert ln.Branch.get(name="emoji-branch").emoji == "🌿"
    for registry in (ln.Feature, ln.Schema, ln.Project, ln.Reference, ln.Record):
        assert registry.emoji.fget is ln.ULabel.emoji.fget
        assert "_aux" in registry.__table__.c
    kind.emoji = ""  # a blank emoji removes it, and `_aux` with it
    kind.save()
    assert ln.ULabel.get(name="Perturbation").emoji is None
    assert ln.ULabel.get(name="Perturbation").aux is None
    with pytest.raises(ln.errors.InvalidArgument, match="emoji must be a str"):
        kind.emoji = 1  # type: ignore[assignment]
    assert "_aux" not in ln.ULabel.filter().to_dataframe().columns  # not shown, as LaminDB


def test_a_single_space_type_keeps_its_records_in_one_space(instance: dict) -> None:
    lab = ln.Space(name="lab").save()
    experiments = ln.Record(name="Experiments", is_type=True, space=lab).save()
    assert experiments.settings.single_space is False
    experiments.settings.single_space = True
    experiments.save()
    assert ln.Record.get(name="Experiments").settings.single_space is True
    record = ln.Record(name="exp-1", type=experiments).save()
    assert record.space_id == lab.id  # no space of its own: the type's
    stray = ln.Record(name="exp-2", type=experiments, space=ln.Space.get(id=1))
    stray.space_id = ln.Space(name="elsewhere").save().id
    with pytest.raises(ln.errors.InvalidArgument, match="must be in space"):
        stray.save()
    assert ln.Record.filter(name="exp-2").count() == 0

    other = ln.Space(name="archive-space").save()
    experiments.settings.single_space = other
    experiments.save()
    assert ln.Record.get(name="Experiments").settings.single_space == other
    assert ln.Record(name="exp-3", type=experiments).save().space_id == other.id
    experiments.settings.single_space = False
    experiments.save()
    assert ln.Record(name="exp-4", type=experiments).save().space_id == 1
    with pytest.raises(ln.errors.InvalidArgument, match="setting of types"):
        record.settings.single_space = True
    for registry in (ln.ULabel, ln.Feature, ln.Schema, ln.Project, ln.Reference):
        assert registry.settings.fget is ln.Record.settings.fget
