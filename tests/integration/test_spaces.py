"""Spaces: every record starts in space 'all'; records can move to other spaces; filter by space."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import branches

BACKENDS = ("sqlite-local", "postgres-local")


@pytest.mark.backends(*BACKENDS)
def test_default_space_all(instance: dict) -> None:
    space = ln.Space.get(name="all")
    assert space.id == 1 and len(space.uid) == 12
    label = ln.ULabel(name="x").save()
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="a.parquet").save()
    collection = ln.Collection([artifact], key="c").save()
    assert label.space_id == artifact.space_id == collection.space_id == space.id
    assert "space: all" in artifact.describe(return_str=True)
    assert "space_id" in ln.Artifact.to_dataframe().columns


@pytest.mark.backends(*BACKENDS)
def test_records_in_a_space_and_filter_by_space(instance: dict) -> None:
    team = ln.Space(name="our team", description="what the team shares").save()
    assert team.id != 1 and len(team.uid) == 12 and ln.Space.filter().count() == 2
    shared = ln.ULabel(name="shared", space_id=team.id).save()
    ln.ULabel(name="everyone").save()
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="a.parquet").save()
    artifact.space_id = team.id
    artifact.save()
    assert [u.name for u in ln.ULabel.filter(space_id=team.id)] == ["shared"]
    assert [u.name for u in ln.ULabel.filter(space_id=team)] == ["shared"]
    assert ln.ULabel.filter(space_id__in=[1, team.id]).count() == 2
    assert ln.Artifact.filter(space_id=team).one().id == artifact.id
    assert ln.Artifact.get(artifact.id).space_id == team.id
    assert ln.ULabel.filter().exclude(space_id=team.id).one().name == "everyone"
    assert shared.space_id == team.id


@pytest.mark.backends("sqlite-local")
def test_spaces_and_branches_are_independent(instance: dict) -> None:
    team = ln.Space(name="team").save()
    branch = branches.switch("b", create=True)
    label = ln.ULabel(name="on branch in team", space_id=team.id).save()
    assert (label.branch_id, label.space_id) == (branch.id, team.id)
    branches.switch("main")
    assert ln.ULabel.filter(space_id=team.id).count() == 0
    branches.merge("b")
    merged = ln.ULabel.filter(space_id=team.id).one()
    assert (merged.branch_id, merged.space_id) == (1, team.id)
