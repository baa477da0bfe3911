"""Class-level describe() of Feature and Artifact in LaminDB 2.12's order and field kinds;
`extra_data` on artifacts and runs; `artifact.recreating_runs` (migration 0015_compat)."""

from __future__ import annotations

import pandas as pd

import lamin_kernel as ln


def _section(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(f"  {title}") + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("    ")), None)
    return [line.strip() for line in lines[start:end]]


def test_feature_class_layout_follows_lamindb(instance: dict) -> None:
    text = ln.Feature.describe(return_str=True)
    assert ".array_rank: SmallIntegerField" in _section(text, "Simple fields")
    assert _section(text, "Relational fields") == [
        ".branch: Branch",
        ".created_on: Branch",
        ".space: Space",
        ".created_by: User",
        ".run: Run",
        ".type: Feature",
        ".schemas: Schema",
        ".features: Feature",
        ".values: JsonValue",
        ".projects: Project",
        ".ablocks: FeatureBlock",
    ]


def test_artifact_class_layout_follows_lamindb(instance: dict) -> None:
    text = ln.Artifact.describe(return_str=True)
    simple = _section(text, "Simple fields")
    assert (
        simple.index(".extra_data: JSONField")
        == simple.index(".n_observations: BigIntegerField") + 1
    )
    relational = _section(text, "Relational fields")
    assert relational[:9] == [
        ".branch: Branch",
        ".created_on: Branch",
        ".space: Space",
        ".storage: Storage",
        ".run: Run",
        ".schema: Schema",
        ".created_by: User",
        ".input_of_runs: Run",
        ".recreating_runs: Run",
    ]
    assert ".schemas: Schema" in relational and ".feature_sets: Schema" not in relational
    assert relational[-1] == ".ablocks: ArtifactBlock"


def test_extra_data_is_kept_on_artifacts_and_runs(instance: dict) -> None:
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="t.parquet").save()
    assert artifact.extra_data is None
    artifact.extra_data = {"source": "plate reader", "wells": [1, 2]}
    artifact.save()
    run = ln.Run(ln.Transform(key="x.py", kind="script").save()).save()
    run.extra_data = {"gpu": "none"}
    run.save()
    assert ln.Artifact.get(artifact.id).extra_data == {"source": "plate reader", "wells": [1, 2]}
    assert ln.Run.get(run.id).extra_data == {"gpu": "none"}
    assert ln.Artifact.filter(extra_data__source="plate reader").one().id == artifact.id


def test_recreating_runs_are_the_runs_that_saved_an_artifact_again(instance: dict) -> None:
    from lamin_kernel import models

    transform = ln.Transform(key="make.py", kind="script").save()
    first, second = ln.Run(transform).save(), ln.Run(transform).save()
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="u.parquet", run=first)
    artifact.save()
    assert artifact.recreating_runs.count() == 0
    ln.save([models.RunOutputArtifact(run_id=second.id, artifact_id=artifact.id)])
    ln.save([models.RunOutputArtifact(run_id=first.id, artifact_id=artifact.id)])
    assert artifact.recreating_runs.to_list("id") == [second.id]
    assert second.recreated_artifacts.to_list("id") == [artifact.id]
    unsaved = ln.Artifact.from_dataframe(pd.DataFrame({"a": [3]}), key="v.parquet")
    assert unsaved.recreating_runs.count() == 0
