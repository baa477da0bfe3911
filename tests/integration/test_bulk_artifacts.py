"""ln.save(list of new artifacts): one transaction per chunk, versions and rollback included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

import lamin_kernel as ln
from lamin_kernel.records import artifact_create, artifact_save, versions
from lamin_kernel.records.pending import get_pending
from lamin_kernel.tracking import state as tracking_state
from tests.support.loads import Reads, counting_reads


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


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_batch_of_new_and_existing_keys_versions_only_the_existing_ones(
    instance: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(versions, "KEYS_PER_QUERY", 2)  # the keys are asked in several chunks
    olds = write_files(tmp_path / "old", 3, "old")
    first = [ln.Artifact(str(p), key=f"mix/{i}.txt") for i, p in enumerate(olds)]
    ln.save(first)
    news = write_files(tmp_path / "new", 6, "new")
    second = [ln.Artifact(str(p), key=f"mix/{i}.txt") for i, p in enumerate(news)]
    ln.save(second)
    for old, new in zip(first, second[:3], strict=False):
        assert new.uid[:16] == old.uid[:16] and new.uid.endswith("0001")
        assert ln.Artifact.get(old.uid).is_latest is False
    assert {a.uid[:16] for a in second[3:]}.isdisjoint({a.uid[:16] for a in first})
    assert all(a.uid.endswith("0000") for a in second[3:])
    assert ln.Artifact.filter(key__startswith="mix/", is_latest=True).count() == 6


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_bulk_saved_artifacts_hold_the_ids_of_their_rows(instance: dict, tmp_path: Path) -> None:
    artifacts = [ln.Artifact(str(p)) for p in write_files(tmp_path / "in", 7, "ids")]
    ln.save(artifacts)
    for artifact in artifacts:
        row = ln.Artifact.get(artifact.uid)
        assert (row.id, row.hash, row.size) == (artifact.id, artifact.hash, artifact.size)


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_construction_finds_the_same_content(instance: dict, tmp_path: Path) -> None:
    first, copy = write_files(tmp_path / "a", 1, "same") + write_files(tmp_path / "b", 1, "same")
    saved = ln.Artifact(str(first), key="same/a.txt").save()
    again = ln.Artifact(str(copy), key="same/b.txt")
    assert again.id == saved.id and again.uid == saved.uid
    inside = Path(instance["storage"]) / "inside.txt"
    inside.write_text("registered where it lies")
    in_place = ln.Artifact(str(inside)).save()
    assert in_place.key == "inside.txt" and in_place.path.as_posix().endswith("/inside.txt")


@pytest.mark.backends("postgres-local")
def test_a_write_after_constructing_artifacts_is_still_one_transaction(
    instance: dict, tmp_path: Path
) -> None:
    artifacts = [ln.Artifact(str(p), key=f"tx/{p.name}") for p in write_files(tmp_path, 3, "tx")]
    get_pending(
        artifacts[2]
    ).staged.discard()  # placing the third fails: the two placed are taken back
    with pytest.raises(ln.errors.StorageError):
        ln.save(artifacts)
    assert ln.Artifact.filter(key__startswith="tx/").count() == 0


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_root_registered_between_constructions_is_used(
    instance: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tmp_path / "plain.txt"
    before.write_text("copied")
    assert ln.Artifact(str(before), key="plain.txt").save().storage_id == ln.settings.storage.id
    here = ln.Storage(root=str(tmp_path / "here")).save()  # this process: seen at once
    (tmp_path / "here" / "a.txt").write_text("in place")
    assert ln.Artifact(str(tmp_path / "here" / "a.txt")).save().storage_id == here.id
    monkeypatch.setattr(artifact_create, "ROOTS_FRESH_S", 0.0)
    code = f"import lamin_kernel as ln; ln.Storage(root={str(tmp_path / 'there')!r}).save()"
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    (tmp_path / "there" / "b.txt").write_text("in place too")  # another process's root
    there = ln.Storage.get(root=str(tmp_path / "there"))
    in_place = ln.Artifact(str(tmp_path / "there" / "b.txt")).save()
    assert (in_place.storage_id, in_place.key) == (there.id, "b.txt")


def _save_counted(folder: Path, n: int, tag: str, keys: str, **kwargs: object) -> Reads:
    """Statements sent and records loaded by `ln.save` of n artifacts of new content (made
    before), keyed `<keys>/<i>.txt`."""
    paths = write_files(folder, n, tag)
    artifacts = [ln.Artifact(str(p), key=f"{keys}/{i}.txt", **kwargs) for i, p in enumerate(paths)]
    with counting_reads() as reads:
        ln.save(artifacts)
    return reads


def _without_statistics_check(statements: list[str]) -> list[str]:
    checks = ("sqlite_stat1", "max(rowid)")
    return [s for s in statements if not any(check in s for check in checks)]


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_batch_save_sends_the_same_statements_for_10_or_40_artifacts(
    instance: dict, tmp_path: Path
) -> None:
    """New keys: a batch's statements do not grow with the batch, nor with the registry (the
    second pair saves into a registry of 50 more artifacts); nothing is loaded back. SQLite's
    planner-statistics check (three statements, every 100 rows a process inserts) aside."""
    run = ln.Run(transform=ln.Transform(key="batch.py", kind="pipeline").save()).save()
    small = _save_counted(tmp_path / "a", 10, "a", "a", run=run, description="d")
    large = _save_counted(tmp_path / "b", 40, "b", "b", run=run, description="d")
    later = _save_counted(tmp_path / "c", 10, "c", "c", run=run, description="d")
    counts = [len(_without_statistics_check(r.statements)) for r in (small, large, later)]
    assert counts[0] == counts[1] == counts[2]
    assert small.n_records == large.n_records == later.n_records == 0


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_batch_of_new_versions_sends_a_bounded_number_of_statements_per_artifact(
    instance: dict, tmp_path: Path
) -> None:
    """Existing keys (new versions; each revises its key's latest version): the statements
    grow by the same few per artifact from 10 to 20 to 40, and one record (the version
    revised) is loaded per artifact, nothing that grows with the batch."""
    _save_counted(tmp_path / "v", 40, "v", "keys")
    sizes = (10, 20, 40)
    reads = {}
    for n in sizes:  # new content under the first n keys
        reads[n] = _save_counted(tmp_path / f"n{n}", n, f"n{n}", "keys")
    count = {n: len(_without_statistics_check(r.statements)) for n, r in reads.items()}
    per_artifact = (count[20] - count[10]) / 10
    assert count[40] - count[20] == 20 * per_artifact  # linear: nothing grows with the batch
    assert per_artifact <= 7
    assert all(r.n_records <= n for n, r in reads.items())
