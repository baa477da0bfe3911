"""`Artifact.filter(...).delete()`: many artifacts in chunks, each one write transaction,
with the rules of `artifact.delete()` for each; bytes go only after their rows' deletion
committed, so an interrupt or a failure mid-way never leaves a row without its bytes."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel.records import artifact_bulk_delete
from lamin_kernel.records.integrity import check_instance
from tests.reliability.invariants import assert_every_row_has_its_bytes

CHUNK = 4


def save_files(folder: Path, n: int, prefix: str) -> list[Any]:
    folder.mkdir(parents=True, exist_ok=True)
    artifacts = []
    for i in range(n):
        path = folder / f"{prefix}{i}.txt"
        path.write_text(f"{prefix} content {i}")
        artifacts.append(ln.Artifact(str(path), key=f"{prefix}/{i}.txt"))
    ln.save(artifacts)
    return artifacts


def stored(artifact: Any) -> Path:
    return Path(str(artifact.path))


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(artifact_bulk_delete, "ARTIFACTS_PER_TRANSACTION", CHUNK)


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_delete_to_trash_then_for_good_as_artifact_delete_does(
    instance: dict, tmp_path: Path, small_chunks: None
) -> None:
    artifacts = save_files(tmp_path / "in", 10, "many")
    paths = [stored(a) for a in artifacts]
    ln.Artifact.filter(key__startswith="many/").delete()
    assert ln.Artifact.filter(key__startswith="many/").count() == 0
    assert ln.Artifact.filter(key__startswith="many/", branch_id=-1).count() == 10
    assert all(p.exists() for p in paths)  # in the trash, bytes kept
    # a second delete() of artifacts in the trash deletes them for good, bytes too
    ln.Artifact.filter(key__startswith="many/", branch_id=-1).delete()
    assert ln.Artifact.filter(key__startswith="many/", branch_id__in=[-1, 0, 1]).count() == 0
    assert not any(p.exists() for p in paths)
    assert_every_row_has_its_bytes()
    assert check_instance(fix=False, grace_seconds=0).orphans == []


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_permanent_delete_keeps_versions_latest_and_shared_stores_right(
    instance: dict, tmp_path: Path, small_chunks: None
) -> None:
    """The latest of three file versions goes for good: the second becomes the latest and
    keeps its bytes. The latest of a folder's versions takes the family and the store."""
    versions = []
    for i in range(3):
        path = tmp_path / f"v{i}.txt"
        path.write_text(f"version {i}")
        versions.append(ln.Artifact(str(path), key="versioned.txt").save())
    folder_versions = []
    for i in range(2):
        folder = tmp_path / f"folder{i}"
        folder.mkdir()
        (folder / "part.txt").write_text(f"folder version {i}")
        folder_versions.append(ln.Artifact(str(folder), key="shared_folder").save())
    store, latest_file = stored(folder_versions[-1]), stored(versions[-1])
    ln.Artifact.filter(uid__in=[versions[-1].uid, folder_versions[-1].uid]).delete(permanent=True)
    second = ln.Artifact.get(versions[1].uid)
    assert second.is_latest and stored(second).read_text() == "version 1"
    assert not latest_file.exists()
    assert ln.Artifact.filter(key="shared_folder", branch_id__in=[-1, 0, 1]).count() == 0
    assert not store.exists()
    assert_every_row_has_its_bytes()


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_trashing_many_versions_promotes_the_newest_remaining_one(
    instance: dict, tmp_path: Path, small_chunks: None
) -> None:
    made = []
    for i in range(3):
        path = tmp_path / f"t{i}.txt"
        path.write_text(f"trash version {i}")
        made.append(ln.Artifact(str(path), key="trash_me.txt").save())
    ln.Artifact.filter(uid__in=[a.uid for a in made[1:]]).delete()
    first = ln.Artifact.get(made[0].uid)
    assert first.is_latest and first.branch_id == 1
    assert ln.Artifact.filter(key="trash_me.txt", is_latest=True).count() == 1


def another_instances_file(tmp_path: Path) -> tuple[Any, Path]:
    """An artifact in a storage location another instance manages, and that location."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "theirs.txt").write_text("another instance's file")
    ln.Storage(root=str(outside)).save()
    theirs = ln.Artifact(str(outside / "theirs.txt")).save()
    # the location is another instance's (as a storage row that instance registered reads)
    ln.Storage.filter(root=str(outside)).update(instance_uid="anotherInst1")
    return theirs, outside


def test_artifacts_of_another_instances_storage_are_refused_before_anything_goes(
    instance: dict, tmp_path: Path, small_chunks: None
) -> None:
    ours = save_files(tmp_path / "in", 3, "ours")
    theirs, outside = another_instances_file(tmp_path)
    selected = ln.Artifact.filter(uid__in=[a.uid for a in ours] + [theirs.uid])
    selected.delete()  # to the trash: allowed, no bytes touched
    with pytest.raises(ln.errors.IntegrityError, match="managed storage"):
        ln.Artifact.filter(branch_id=-1).delete(permanent=True)
    assert ln.Artifact.filter(branch_id=-1).count() == 4
    assert all(stored(a).exists() for a in ours)
    assert (outside / "theirs.txt").exists()


def register_in_place(storage: str, name: str) -> Any:
    """A file written into the storage root and registered where it is (a real key)."""
    path = Path(storage) / "in_place" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"in place {name}")
    return ln.Artifact(str(path)).save()


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_storage_argument_means_what_it_means_for_artifact_delete(
    instance: dict, tmp_path: Path, small_chunks: None
) -> None:
    """`delete(permanent=True, storage=False)` removes the rows and keeps every byte (also in
    another instance's storage); `storage=True` removes bytes registered in place too; the
    default keeps those; as `artifact.delete()` does for one artifact. Other registries
    refuse the argument."""
    # every artifact first: SQLite gives a new row the id of a deleted one, which the
    # deleted objects still held here would then clash with
    kept = save_files(tmp_path / "kept", 5, "kept")
    kept_paths = [stored(a) for a in kept]
    theirs, outside = another_instances_file(tmp_path)
    default = [register_in_place(instance["storage"], f"d{i}.txt") for i in range(2)]
    removed = [register_in_place(instance["storage"], f"r{i}.txt") for i in range(5)]
    default_paths, removed_paths = [stored(a) for a in default], [stored(a) for a in removed]
    one = register_in_place(instance["storage"], "one.txt")
    one_path = stored(one)

    ln.Artifact.filter(uid__in=[a.uid for a in kept]).delete(permanent=True, storage=False)
    assert ln.Artifact.filter(uid__in=[a.uid for a in kept], branch_id__gte=-1).count() == 0
    assert all(p.exists() for p in kept_paths)
    ln.Artifact.filter(uid=theirs.uid).delete(permanent=True, storage=False)
    assert ln.Artifact.filter(uid=theirs.uid).count() == 0
    assert (outside / "theirs.txt").exists()
    ln.Artifact.filter(uid__in=[a.uid for a in default]).delete(permanent=True)
    assert all(p.exists() for p in default_paths)
    ln.Artifact.filter(uid__in=[a.uid for a in removed]).delete(permanent=True, storage=True)
    assert not any(p.exists() for p in removed_paths)
    assert ln.Artifact.filter(uid__in=[a.uid for a in removed], branch_id__gte=-1).count() == 0
    assert_every_row_has_its_bytes()
    one.delete(permanent=True, storage=True)  # the single-artifact call, for comparison
    assert not one_path.exists()
    ln.ULabel(name="a label").save()
    with pytest.raises(ln.errors.InvalidArgument, match="storage"):
        ln.ULabel.filter(name="a label").delete(permanent=True, storage=False)
    assert ln.ULabel.filter(name="a label").count() == 1


PACKAGE_DIR = str(Path(ln.__file__).parent)


def interrupt_at(name: str, call: int) -> Any:
    """A profile function that sends this process SIGINT at the `call`-th call of `name`."""
    calls: list[int] = []

    def on_call(frame: Any, event: str, _arg: Any) -> None:
        # the package's own functions only: weakref callbacks named `remove` run when the
        # garbage collector decides, which made the count (and the test) depend on timing
        code = frame.f_code
        if event == "call" and code.co_name == name and PACKAGE_DIR in code.co_filename:
            calls.append(1)
            if len(calls) == call:
                os.kill(os.getpid(), signal.SIGINT)

    return on_call, calls


@pytest.mark.parametrize("where", [("_delete_for_good", 2), ("remove", 6), ("_delete_links", 3)])
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_ctrl_c_mid_way_leaves_no_row_without_its_bytes(
    instance: dict, tmp_path: Path, small_chunks: None, where: tuple[str, int]
) -> None:
    """Ctrl+C while deleting 10 artifacts for good in chunks of 4: in the second chunk's
    transaction, or while removing bytes of a committed chunk. The rows that remain have their
    bytes; `check --fix` removes what lost its row; the same delete then finishes."""
    paths = [stored(a) for a in save_files(tmp_path / "in", 10, "stop")]
    on_call, calls = interrupt_at(*where)
    sys.setprofile(on_call)
    try:
        with pytest.raises(KeyboardInterrupt):
            ln.Artifact.filter(key__startswith="stop/").delete(permanent=True)
    finally:
        sys.setprofile(None)
    assert len(calls) >= where[1], f"{where[0]} was not called: move the interrupt"
    remaining = ln.Artifact.filter(key__startswith="stop/").count()
    assert 0 < remaining < 10
    assert_every_row_has_its_bytes()
    check_instance(fix=True, grace_seconds=0)
    assert check_instance(fix=False, grace_seconds=0).orphans == []
    ln.Artifact.filter(key__startswith="stop/").delete(permanent=True)
    assert ln.Artifact.filter(key__startswith="stop/", branch_id__in=[-1, 0, 1]).count() == 0
    assert not any(p.exists() for p in paths)
    assert_every_row_has_its_bytes()
