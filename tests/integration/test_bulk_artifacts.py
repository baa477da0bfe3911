"""ln.save(list of new artifacts): one transaction per chunk, versions and rollback included."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

import lamin_kernel as ln
from lamin_kernel.records import artifact_save
from lamin_kernel.records.pending import get_pending
from lamin_kernel.tracking import state as tracking_state


def write_files(folder: Path, n: int, tag: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{tag}_{i}.txt" for i in range(n)]
    for i, path in enumerate(paths):
        path.write_text(f"{tag} file {i}")
    return paths


def stored_files(instance: dict) -> set[str]:
    root = Path(instance["storage"]) / ".lamindb"
    return {p.name for p in root.iterdir() if p.is_file() and not p.name.startswith("lamin.db")}


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_bulk_save_places_bytes_and_rows_in_chunks(
    instance: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(artifact_save, "ARTIFACTS_PER_TRANSACTION", 4)
    paths = write_files(tmp_path / "in", 10, "bulk")
    artifacts = [ln.Artifact(str(p), key=f"bulk/{p.name}") for p in paths]
    ln.save(artifacts)
    assert all(a.id is not None for a in artifacts)
    assert ln.Artifact.filter(key__startswith="bulk/").count() == 10
    assert [a.load() for a in artifacts[:2]] == ["bulk file 0", "bulk file 1"]
    assert {f"{a.uid}.txt" for a in artifacts} <= stored_files(instance)


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_same_key_twice_in_one_batch_makes_two_versions(instance: dict, tmp_path: Path) -> None:
    first, second = write_files(tmp_path / "in", 2, "version")
    a = ln.Artifact(str(first), key="data/table.txt")
    b = ln.Artifact(str(second), key="data/table.txt")
    ln.save([a, b])
    assert a.uid[:16] == b.uid[:16] and a.uid != b.uid
    latest = ln.Artifact.filter(key="data/table.txt", is_latest=True).one()
    assert latest.uid == b.uid
    assert len(ln.Artifact.filter(key="data/table.txt").all()) == 2


def test_a_failure_in_the_batch_keeps_no_row_and_no_bytes(instance: dict, tmp_path: Path) -> None:
    before = stored_files(instance)
    paths = write_files(tmp_path / "in", 3, "fail")
    artifacts = [ln.Artifact(str(p), key=f"fail/{p.name}") for p in paths]
    # the last one's staged bytes are gone: placing them fails after the first two were placed
    get_pending(artifacts[2]).staged.discard()
    with pytest.raises(ln.errors.StorageError, match="could not put the bytes of artifact 'fail/"):
        ln.save(artifacts)
    assert ln.Artifact.filter(key__startswith="fail/").count() == 0
    assert stored_files(instance) == before


def test_a_failure_after_a_new_version_was_inserted_leaves_the_old_one_latest(
    instance: dict, tmp_path: Path
) -> None:
    first, second, third = write_files(tmp_path / "in", 3, "versioned")
    old = ln.Artifact(str(first), key="data/v.txt").save()
    newer = ln.Artifact(str(second), key="data/v.txt")  # inserted at once: it demotes `old`
    broken = ln.Artifact(str(third), key="data/other.txt")
    get_pending(broken).staged.discard()
    with pytest.raises(ln.errors.StorageError):
        ln.save([newer, broken])
    assert newer.id is None and inspect(newer).transient
    assert ln.Artifact.filter(key="data/v.txt").one().uid == old.uid
    assert ln.Artifact.get(old.uid).is_latest


def test_bulk_saved_artifacts_count_as_outputs_of_the_tracked_run(
    instance: dict, tmp_path: Path
) -> None:
    paths = write_files(tmp_path / "in", 3, "output")
    ln.track(key="bulk_outputs.py")
    try:
        artifacts = [ln.Artifact(str(p), key=f"out/{p.name}") for p in paths]
        ln.save(artifacts)
        tracked = tracking_state.current()
        assert {a.id for a in artifacts} <= tracked.outputs
        assert all(a.run_id == tracked.run.id for a in artifacts)
    finally:
        ln.finish()
