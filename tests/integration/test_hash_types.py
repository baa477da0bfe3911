"""New artifacts are hashed with xxh3-128; rows saved with blake3 before are still found and checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import update

import lamin_kernel as ln
from lamin_kernel.records.integrity import check_instance
from lamin_kernel.setup.session import connection, write_transaction
from lamin_kernel.storage import transfer
from lamin_kernel.storage.hashing import COPY_BUFFER_SIZE
from lamin_kernel.tracking.run_files import find_stored


def as_saved_before(artifact: ln.Artifact) -> str:
    """Rewrite the row as an older version saved it: a blake3 hash of the same bytes."""
    folder = artifact.hash_type.endswith("-d")
    old_hash, old_type, _, _ = transfer.hash_path(str(artifact.path), "blake3")
    assert old_type == ("blake3-d" if folder else "blake3") and old_hash != artifact.hash
    model = type(artifact)
    with write_transaction() as session:
        session.execute(
            update(model).where(model.id == artifact.id).values(hash=old_hash, hash_type=old_type)
        )
    connection().extras.pop("legacy_hashes", None)  # as a process started after that would
    return old_hash


def test_new_files_and_folders_get_xxh3(instance: dict, tmp_path: Path) -> None:
    (tmp_path / "a.bin").write_bytes(os.urandom(COPY_BUFFER_SIZE + 1))
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text("x")
    file = ln.Artifact(tmp_path / "a.bin", key="a.bin").save()
    folder = ln.Artifact(tmp_path / "d", key="d").save()
    assert (file.hash_type, folder.hash_type) == ("xxh3-128", "xxh3-128-d")
    assert Path(str(file.path)).read_bytes() == (tmp_path / "a.bin").read_bytes()
    assert check_instance().ok


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_content_saved_with_blake3_is_found_again(instance: dict, tmp_path: Path) -> None:
    data = os.urandom(3 * COPY_BUFFER_SIZE + 5)
    (tmp_path / "a.bin").write_bytes(data)
    old = ln.Artifact(tmp_path / "a.bin", key="a.bin").save()
    old_hash = as_saved_before(old)
    again = ln.Artifact(tmp_path / "a.bin", key="a.bin")
    assert again.id == old.id and again.hash == old_hash and again.hash_type == "blake3"
    # same size, other bytes: a new artifact
    (tmp_path / "b.bin").write_bytes(bytes(b ^ 1 for b in data[:10]) + data[10:])
    other = ln.Artifact(tmp_path / "b.bin", key="a.bin").save()
    assert other.id != old.id and other.hash_type == "xxh3-128"
    assert ln.Artifact.filter().count() == 2


def test_folder_saved_with_blake3_is_found_again(instance: dict, tmp_path: Path) -> None:
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "x.txt").write_text("x")
    (tmp_path / "d" / "sub" / "y.bin").write_bytes(os.urandom(1000))
    old = ln.Artifact(tmp_path / "d", key="d").save()
    as_saved_before(old)
    again = ln.Artifact(tmp_path / "d", key="d")
    assert again.id == old.id and again.hash_type == "blake3-d"


def test_dataframe_saved_with_blake3_is_found_again(instance: dict) -> None:
    import pandas as pd

    df = pd.DataFrame({"a": [1, 2, 3]})
    old = ln.Artifact.from_dataframe(df, key="t.parquet").save()
    as_saved_before(old)
    assert ln.Artifact.from_dataframe(df, key="t.parquet").id == old.id


def test_run_file_lookup_finds_both_kinds(instance: dict, tmp_path: Path) -> None:
    (tmp_path / "env.txt").write_bytes(b"numpy==2.0\n")
    new = ln.Artifact(tmp_path / "env.txt", key="env.txt").save()
    assert find_stored(b"numpy==2.0\n").id == new.id
    as_saved_before(new)
    assert find_stored(b"numpy==2.0\n").id == new.id


def test_check_verifies_both_kinds(instance: dict, tmp_path: Path) -> None:
    for name in ("old.bin", "new.bin"):
        (tmp_path / name).write_bytes(os.urandom(2 * COPY_BUFFER_SIZE))
    old = ln.Artifact(tmp_path / "old.bin", key="old.bin").save()
    new = ln.Artifact(tmp_path / "new.bin", key="new.bin").save()
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text("x")
    old_folder = ln.Artifact(tmp_path / "d", key="d").save()
    as_saved_before(old)
    as_saved_before(old_folder)
    report = check_instance()
    assert report.ok and report.checked == 3, report.lines()
    for artifact in (old, new):
        path = Path(str(artifact.path))
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    (Path(str(old_folder.path)) / "x.txt").write_text("y")
    altered = check_instance().altered
    assert sorted(a.split()[0] for a in altered) == sorted([old.uid, new.uid, old_folder.uid])


def test_unknown_hash_type_is_reported_not_raised(instance: dict, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    artifact = ln.Artifact(tmp_path / "a.txt", key="a.txt").save()
    model = type(artifact)
    with write_transaction() as session:
        session.execute(update(model).where(model.id == artifact.id).values(hash_type="md5"))
    assert [a.split()[0] for a in check_instance().altered] == [artifact.uid]


def test_an_instance_without_blake3_rows_looks_up_the_new_hash_only(
    instance: dict, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("a")
    ln.Artifact(tmp_path / "a.txt", key="a.txt").save()
    assert connection().extras["legacy_hashes"] is False
    assert ln.Artifact(tmp_path / "a.txt", key="a.txt").hash_type == "xxh3-128"
