"""describe() of registries (LaminDB's layout) and the tracked relations every record has."""

from __future__ import annotations

import lamin_kernel as ln


def test_class_describe_lists_fields_as_lamindb_does(instance: dict) -> None:
    text = ln.Record.describe(return_str=True)
    lines = text.splitlines()
    assert lines[:3] == ["Record", "  Simple fields", "    .uid: CharField"]
    assert lines.index("  Relational fields") > lines.index("    .updated_at: DateTimeField")
    simple = lines[2 : lines.index("  Relational fields")]
    assert simple[-4:] == [
        "    .is_type: BooleanField",
        "    .is_locked: BooleanField",
        "    .created_at: DateTimeField",
        "    .updated_at: DateTimeField",
    ]
    relational = lines[lines.index("  Relational fields") + 1 :]
    assert relational[:3] == ["    .branch: Branch", "    .created_on: Branch", "    .space: Space"]
    for row in ("    .type: Record", "    .schema: Schema", "    .parents: Record"):
        assert row in relational
    assert "    .ablocks: RecordBlock" in relational
    assert "    .start_date: DateField" in ln.Project.describe(return_str=True)
    assert "    .pubmed_id: BigIntegerField" in ln.Reference.describe(return_str=True)


def test_every_record_reaches_its_branch_space_creator_and_run(instance: dict) -> None:
    transform = ln.Transform(key="labelling", kind="function").save()
    run = ln.Run(transform=transform).save()
    label = ln.ULabel(name="tracked")
    label.run_id = run.id
    label.save()
    assert label.branch.name == "main" and label.created_on.name == "main"
    assert label.space.name == "all" and label.created_by.handle == "anonymous"
    assert label.run.id == run.id
    assert ln.ULabel.filter(run=run).one() == label
    assert ln.ULabel.filter(branch__name="main").count() == 1
