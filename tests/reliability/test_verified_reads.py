"""load() and cache() return an artifact's own bytes or raise IntegrityError naming it:
stored bytes altered behind the registry's back are found by size, modification time, or,
with `ln.settings.verify_reads`, on every read (local folders and S3)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import lamin_kernel as ln
from lamin_kernel.storage.paths import filesystem


@pytest.fixture(autouse=True)
def default_read_checks() -> Iterator[None]:
    yield
    ln.settings.verify_reads = False


def save_csv(tmp_path: Path, key: str = "table.csv") -> ln.Artifact:
    path = tmp_path / key
    path.write_text("a\n1\n")
    return ln.Artifact(str(path), key=key).save()


def alter_local(path: Path, data: str, later: bool) -> None:
    """Rewrite a stored file; `later`: dated a minute after now (else keep its old date)."""
    before = path.stat()
    path.write_text(data)
    stamp = before.st_mtime + 60 if later else before.st_mtime
    os.utime(path, (stamp, stamp))


def test_altered_bytes_of_another_size_are_found(instance: dict, tmp_path: Path) -> None:
    artifact = save_csv(tmp_path)
    stored = Path(str(artifact.cache()))
    alter_local(stored, "a\n12\n", later=False)
    with pytest.raises(
        ln.errors.IntegrityError, match=f"artifact {artifact.uid} \\('table.csv'\\)"
    ):
        artifact.load()
    with pytest.raises(ln.errors.IntegrityError, match="do not match its hash"):
        artifact.cache()
    stored.write_text("a\n1\n")  # repaired: the next read works
    assert artifact.load()["a"].tolist() == [1]


def test_altered_bytes_of_the_same_size_modified_later_are_found(
    instance: dict, tmp_path: Path
) -> None:
    artifact = save_csv(tmp_path)
    alter_local(Path(str(artifact.cache())), "a\n2\n", later=True)
    with pytest.raises(ln.errors.IntegrityError, match=artifact.uid):
        artifact.load()


def test_verify_reads_checks_every_read(instance: dict, tmp_path: Path) -> None:
    artifact = save_csv(tmp_path)
    stored = Path(str(artifact.cache()))
    alter_local(stored, "a\n2\n", later=False)  # same size, same date: looks untouched
    assert artifact.load()["a"].tolist() == [2]  # not hashed: the documented blind spot
    ln.settings.verify_reads = True
    assert ln.settings.verify_reads is True
    with pytest.raises(ln.errors.IntegrityError, match=artifact.uid):
        artifact.load()
    alter_local(stored, "a\n1\n", later=False)
    assert artifact.load()["a"].tolist() == [1]  # its own bytes pass every check


def test_an_altered_file_in_a_stored_folder_is_found(instance: dict, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("a")
    (folder / "sub" / "b.txt").write_text("b")
    artifact = ln.Artifact(str(folder), key="folder").save()
    stored = Path(str(artifact.cache()))
    alter_local(stored / "sub" / "b.txt", "B", later=True)
    with pytest.raises(ln.errors.IntegrityError, match=artifact.uid):
        artifact.cache()
    alter_local(stored / "sub" / "b.txt", "b", later=False)
    (stored / "extra.txt").write_text("")  # a file added, no byte more
    with pytest.raises(ln.errors.IntegrityError, match=artifact.uid):
        artifact.cache()
    (stored / "extra.txt").unlink()
    ln.settings.verify_reads = True
    assert sorted(p.name for p in Path(str(artifact.cache())).rglob("*.txt")) == ["a.txt", "b.txt"]


@pytest.mark.backends("sqlite-s3")
def test_s3_downloads_are_checked(instance: dict, tmp_path: Path) -> None:
    artifact = save_csv(tmp_path)
    fs, stored = filesystem(str(artifact.path))
    local = Path(str(artifact.cache()))  # downloaded and found intact
    assert local.read_text() == "a\n1\n"
    fs.pipe(stored, b"a\n12\n")  # the object replaced by other bytes of another size
    local.unlink()
    with pytest.raises(ln.errors.IntegrityError, match=artifact.uid):
        artifact.load()
    assert not local.exists()  # the bad copy is not kept in the cache
    fs.pipe(stored, b"a\n2\n")  # the same size: caught when every read is verified
    ln.settings.verify_reads = True
    with pytest.raises(ln.errors.IntegrityError, match=artifact.uid):
        artifact.load()
    fs.pipe(stored, b"a\n1\n")
    assert artifact.load()["a"].tolist() == [1]
    local = Path(str(artifact.cache()))
    local.write_text("a\n3\n")  # the cached copy altered
    with pytest.raises(ln.errors.IntegrityError, match=artifact.uid):
        artifact.cache()
    shutil.rmtree(local.parent, ignore_errors=True)
    assert artifact.load()["a"].tolist() == [1]
