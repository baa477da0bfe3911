"""Artifacts from DataFrames, files and folders: save, get, load, versions, trash, delete."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel.storage import transfer


def small_df(offset: int = 0) -> pd.DataFrame:
    return pd.DataFrame({"a": [1 + offset, 2, 3], "b": ["x", "y", "z"]})


@pytest.mark.backends("all")
def test_dataframe_artifact_round_trip(instance: dict) -> None:
    artifact = ln.Artifact.from_dataframe(small_df(), key="my_datasets/rnaseq1.parquet").save()
    assert len(artifact.uid) == 20 and artifact.uid.endswith("0000")
    assert artifact.kind == "dataset" and artifact.otype == "DataFrame"
    assert artifact.suffix == ".parquet" and artifact.n_observations == 3
    assert artifact.hash and len(artifact.hash) == 22 and artifact.hash_type == "xxh3-128"
    assert transfer.exists(str(artifact.path))
    fetched = ln.Artifact.get(key="my_datasets/rnaseq1.parquet")
    assert fetched.uid == artifact.uid
    pd.testing.assert_frame_equal(fetched.load(), small_df())
    assert Path(str(fetched.cache())).exists()


@pytest.mark.backends("all")
def test_same_content_returns_existing_record(
    instance: dict, capsys: pytest.CaptureFixture
) -> None:
    first = ln.Artifact.from_dataframe(small_df(), key="a.parquet").save()
    again = ln.Artifact.from_dataframe(small_df(), key="a.parquet")
    assert again.id == first.id and again.uid == first.uid
    assert "returning artifact with same hash" in capsys.readouterr().out
    assert ln.Artifact.filter().count() == 1


@pytest.mark.backends("sqlite-local", "postgres-local", "sqlite-s3")
def test_new_content_under_same_key_is_next_version(instance: dict) -> None:
    v1 = ln.Artifact.from_dataframe(small_df(), key="k/data.parquet").save()
    v2 = ln.Artifact.from_dataframe(small_df(10), key="k/data.parquet").save()
    assert v2.uid[:16] == v1.uid[:16] and v2.uid.endswith("0001")
    assert [a.uid for a in v2.versions] == [v2.uid, v1.uid]
    assert ln.Artifact.get(v1.uid).is_latest is False
    assert ln.Artifact.get(key="k/data.parquet").uid == v2.uid
    v3 = ln.Artifact.from_dataframe(small_df(20), revises=v2).save()
    assert v3.uid.endswith("0002") and v3.key == "k/data.parquet"
    assert ln.Artifact.get(v1.uid[:16]).uid == v3.uid


@pytest.mark.backends("sqlite-local", "sqlite-s3")
def test_trash_restore_and_permanent_delete(instance: dict) -> None:
    artifact = ln.Artifact.from_dataframe(small_df(), key="t.parquet").save()
    location = str(artifact.path)
    artifact.delete()
    assert ln.Artifact.filter(key="t.parquet").count() == 0
    assert ln.Artifact.filter(key="t.parquet", branch_id=-1).count() == 1
    artifact.restore()
    assert ln.Artifact.filter(key="t.parquet").count() == 1
    artifact.delete(permanent=True)
    assert ln.Artifact.filter(key="t.parquet", branch_id__in=[-1, 0, 1]).count() == 0
    assert not transfer.exists(location)


@pytest.mark.backends("sqlite-local", "postgres-s3")
def test_local_file_and_folder_are_copied(instance: dict, tmp_path: Path) -> None:
    file = tmp_path / "my_data.csv"
    file.write_text("x,y\n1,2\n")
    folder = tmp_path / "my_images"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.jpg").write_bytes(b"\xff\xd8a")
    (folder / "sub" / "b.jpg").write_bytes(b"\xff\xd8b")
    f = ln.Artifact(file, key="my_dataset.csv", description="a csv").save()
    d = ln.Artifact(folder, key="my_images").save()
    assert f.size == file.stat().st_size and f.suffix == ".csv"
    assert d.n_files == 2 and d.suffix == "" and d.size == 6
    assert f.load().shape == (1, 2)  # a csv of ours is read as pandas reads it
    assert str(f.path).startswith(instance["storage"])
    cached = Path(str(d.cache()))
    assert sorted(p.name for p in cached.rglob("*.jpg")) == ["a.jpg", "b.jpg"]


def test_same_content_keeps_the_held_record_attached(instance: dict) -> None:
    first = ln.Artifact.from_dataframe(small_df(), key="held.parquet").save()
    label = ln.ULabel(name="held").save()
    again = ln.Artifact.from_dataframe(small_df(), key="held.parquet")
    assert again is first  # the very record, not a copy
    first.ulabels.add(label)  # still usable: attached to the session
    assert again.ulabels.all().one().name == "held"
