"""Link rows (`ln.models.ArtifactProject`, ...) as LaminDB's link models: pk, describe(), the
errors get() raises, who made a link, in which run, and the rows a link joins."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.errors import DoesNotExist, MultipleResultsFound
from lamin_kernel.models import (
    ArtifactProject,
    ArtifactRun,
    ArtifactULabel,
    BaseSQLRecord,
    CollectionArtifact,
    FeatureValue,
    IsLink,
    RunULabel,
    TransformTransform,
)


def _artifact(key: str) -> ln.Artifact:
    return ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key=key).save()


def _start_run(key: str) -> tuple[ln.Run, object]:
    transform = ln.Transform(key=key, kind="script").save()
    run = ln.Run(transform_id=transform.id).save()
    return run, runtime.set_current_run(run, transform)


def test_a_link_row_has_pk_and_is_a_base_sql_record_as_records_are(instance: dict) -> None:
    artifact = _artifact("links/pk.parquet")
    project = ln.Project(name="pk project").save()
    artifact.projects.add(project)
    link = ArtifactProject.get(artifact_id=artifact.id, project_id=project.id)
    assert link.pk == link.id is not None
    assert isinstance(link, IsLink) and isinstance(link, BaseSQLRecord)
    assert isinstance(artifact, BaseSQLRecord) and not isinstance(artifact, IsLink)


def test_a_link_rows_get_raises_the_errors_its_class_names(instance: dict) -> None:
    artifact = _artifact("links/errors.parquet")
    first, second = ln.Project(name="one").save(), ln.Project(name="two").save()
    artifact.projects.add(first, second)
    with pytest.raises(ArtifactProject.DoesNotExist):
        ArtifactProject.get(artifact_id=artifact.id, project_id=second.id + 100)
    with pytest.raises(ArtifactProject.MultipleObjectsReturned):
        ArtifactProject.get(artifact_id=artifact.id)
    assert ArtifactProject.DoesNotExist is DoesNotExist is ln.errors.ObjectDoesNotExist
    assert ArtifactProject.MultipleObjectsReturned is MultipleResultsFound


def test_describe_shows_a_link_rows_fields(instance: dict) -> None:
    artifact = _artifact("links/describe.parquet")
    label = ln.ULabel(name="described label").save()
    artifact.ulabels.add(label)
    link = ArtifactULabel.get(artifact_id=artifact.id)
    text = link.describe(return_str=True)
    assert text.startswith(f"ArtifactULabel (id={link.id})")
    assert "ulabel: described label" in text and "artifact: " in text
    assert f"created_by: {ln.setup.settings.user.handle}" in text
    assert "ulabel" in ArtifactULabel.describe(return_str=True)


def test_a_link_made_through_a_relation_records_its_creator_time_and_run(
    instance: dict,
) -> None:
    artifact = _artifact("links/creator.parquet")
    project = ln.Project(name="tracked link").save()
    run, token = _start_run("links/creator.py")
    try:
        artifact.projects.add(project)
    finally:
        runtime.restore_current_run(token)
    link = ArtifactProject.get(artifact_id=artifact.id)
    assert link.created_by_id == ln.setup.settings.user.id
    assert link.created_by.handle == ln.setup.settings.user.handle
    assert link.created_at is not None
    assert link.run_id == run.id and link.run.id == run.id
    assert link.artifact.id == artifact.id and link.project.name == "tracked link"


def test_a_link_made_outside_a_run_has_no_run(instance: dict) -> None:
    artifact = _artifact("links/no-run.parquet")
    collection = ln.Collection([artifact], key="links/no-run").save()
    link = CollectionArtifact.get(collection_id=collection.id)
    assert link.run_id is None and link.run is None
    assert link.collection.key == "links/no-run" and link.created_by_id is not None


def test_a_runs_own_link_keeps_its_run_and_records_its_creator(instance: dict) -> None:
    run, token = _start_run("links/run-label.py")
    other, _ = _start_run("links/other.py")  # the current run now: not the link's run
    try:
        label = ln.ULabel(name="label of a run").save()
        run.ulabels.add(label)
    finally:
        runtime.restore_current_run(token)
    link = RunULabel.get(ulabel_id=label.id)
    assert link.run_id == run.id != other.id
    assert link.run.id == run.id and link.ulabel.name == "label of a run"
    assert link.created_by_id == ln.setup.settings.user.id


def test_transform_links_name_their_predecessor_and_successor(instance: dict) -> None:
    first = ln.Transform(key="links/first.py", kind="script").save()
    second = ln.Transform(key="links/second.py", kind="script").save()
    second.predecessors.add(first)
    link = TransformTransform.get(successor_id=second.id)
    assert link.predecessor.key == "links/first.py"
    assert link.successor.key == "links/second.py"


def test_an_artifact_run_link_names_the_run_it_holds_run(instance: dict) -> None:
    run, token = _start_run("links/value-run.py")
    runtime.restore_current_run(token)
    ln.Feature(name="source_run", dtype=ln.Run).save()
    artifact = _artifact("links/run-value.parquet")
    artifact.features.add_values({"source_run": run})
    link = ArtifactRun.get(artifact_id=artifact.id)
    assert link.run_id == run.id and link.run.id == run.id
    assert ArtifactRun.filter(run_id=run.id).count() == 1


def test_blocks_list_their_versions_and_name_their_creator(instance: dict) -> None:
    first = ln.models.Block(key="README.md", content="# one", kind="readme").save()
    second = ln.models.Block(key="README.md", content="# two", kind="readme").save()
    assert [b.content for b in second.versions] == ["# two", "# one"]
    assert first.created_by.id == ln.setup.settings.user.id
    artifact = _artifact("links/block.parquet")
    block = ln.models.ArtifactBlock(artifact=artifact, content="note", kind="readme").save()
    assert block.created_by.id == ln.setup.settings.user.id
    assert [b.id for b in block.versions] == [block.id]


def test_feature_value_is_lamindbs_older_name_of_json_value(instance: dict) -> None:
    feature = ln.Feature(name="temperature", dtype=float).save()
    made, _ = ln.models.JsonValue.get_or_create(feature, 21.5)
    again, _ = FeatureValue.get_or_create(feature, 21.5)
    assert FeatureValue is ln.models.JsonValue and again.id == made.id
