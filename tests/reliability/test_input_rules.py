"""What may be stored: links, special files, empty things, invisible characters in keys,
storage that is in use. Each refusal names its rule and the offending path or key, and
writes nothing."""

from __future__ import annotations

import os
import socket
import unicodedata
from pathlib import Path

import pytest

import lamin_kernel as ln


def nothing_written(instance: dict) -> None:
    """No artifact row, and no file in storage but the instance's own (database, markers)."""
    assert ln.Artifact.filter().count() == 0
    managed = Path(instance["storage"]) / ".lamindb"
    stored = [p for p in Path(instance["storage"]).rglob("*") if p.is_file()]
    assert [p for p in stored if p.parent != managed or not p.name.startswith("lamin")] == []


def make_folder(root: Path) -> Path:
    folder = root / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("a")
    (folder / "sub" / "b.txt").write_text("b")
    return folder


def test_a_link_out_of_a_folder_is_refused_not_followed(instance: dict, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not store me")
    folder = make_folder(tmp_path)
    (folder / "innocent.txt").symlink_to(secret)
    with pytest.raises(ln.errors.InvalidArgument, match="symbolic link") as info:
        ln.Artifact(str(folder), key="folder").save()
    assert "innocent.txt" in str(info.value) and "refused, not followed" in str(info.value)
    nothing_written(instance)
    (folder / "innocent.txt").unlink()
    assert ln.Artifact(str(folder), key="folder").save().n_files == 2  # the next call works


@pytest.mark.parametrize("target", ["inside", "folder", "loop"])
def test_links_inside_a_folder_are_refused(instance: dict, tmp_path: Path, target: str) -> None:
    """A link to a file in the folder, a linked folder (never silently skipped), a loop."""
    folder = make_folder(tmp_path)
    link = folder / "link"
    if target == "inside":
        link.symlink_to(folder / "a.txt")
    elif target == "folder":
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / "c.txt").write_text("c")
        link.symlink_to(elsewhere, target_is_directory=True)
    else:
        link.symlink_to(link)
    with pytest.raises(ln.errors.InvalidArgument, match="link is a symbolic link"):
        ln.Artifact(str(folder), key="folder").save()
    nothing_written(instance)


def test_fifos_sockets_and_devices_are_refused(instance: dict, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ln.errors.InvalidArgument, match=r"pipe: it is a FIFO"):
        ln.Artifact(str(fifo), key="pipe")  # refused at once, never opened (it would block)
    with pytest.raises(ln.errors.InvalidArgument, match="character device"):
        ln.Artifact("/dev/null", key="null")
    folder = make_folder(tmp_path)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "sock"))
        with pytest.raises(ln.errors.InvalidArgument, match=r"sock is a socket"):
            ln.Artifact(str(folder), key="folder")
    os.mkfifo(folder / "fifo")
    (folder / "sock").unlink()
    with pytest.raises(ln.errors.InvalidArgument, match=r"fifo is a FIFO"):
        ln.Artifact(str(folder), key="folder")
    nothing_written(instance)


def test_an_empty_folder_and_an_empty_file_are_two_artifacts(
    instance: dict, tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    folder = ln.Artifact(str(tmp_path / "empty"), key="empty").save()
    file = ln.Artifact(str(tmp_path / "empty.txt"), key="empty.txt").save()
    assert folder.hash != file.hash and folder.id != file.id
    assert (folder.n_files, file.n_files) == (0, None)
    assert ln.Artifact(str(tmp_path / "empty.txt"), key="empty.txt").id == file.id


@pytest.mark.parametrize(
    ("key", "rule"),
    [
        ("a\u200bb.txt", "format character U\\+200B"),  # zero-width space
        ("a\u202etxt.exe", "format character U\\+202E"),  # right-to-left override
        ("a\u2066b.txt", "format character U\\+2066"),  # left-to-right isolate
        ("a\u00adb.txt", "format character U\\+00AD"),  # soft hyphen
        ("a\u2028b.txt", "line separator character U\\+2028"),
        ("a\u2029b.txt", "paragraph separator character U\\+2029"),
        ("a\x85b.txt", "control character U\\+0085"),  # C1 next line
        ("a\x9bb.txt", "control character U\\+009B"),  # C1 control sequence introducer
        ("~/b.txt", "starts with '~'"),
    ],
)
def test_keys_with_invisible_characters_are_refused(
    instance: dict, tmp_path: Path, key: str, rule: str
) -> None:
    path = tmp_path / "b.txt"
    path.write_text("b")
    with pytest.raises(ln.errors.InvalidKey, match=rule):
        ln.Artifact(str(path), key=key).save()
    nothing_written(instance)


def test_keys_are_stored_nfc_normalised(instance: dict, tmp_path: Path) -> None:
    decomposed, composed = "caf\u0065\u0301/menu.txt", "caf\u00e9/menu.txt"
    assert unicodedata.normalize("NFC", decomposed) == composed != decomposed
    first, second = tmp_path / "1.txt", tmp_path / "2.txt"
    first.write_text("one")
    second.write_text("two")
    v1 = ln.Artifact(str(first), key=decomposed).save()
    assert v1.key == composed
    v2 = ln.Artifact(str(second), key=composed).save()  # the other spelling: the same key
    assert v2.uid[:16] == v1.uid[:16] and v2.is_latest
    assert ln.Artifact.filter(key=composed).count() == 2  # both versions
    assert ln.Artifact.filter(key=decomposed).count() == 0
    assert [a.key for a in v2.versions.to_list()] == [composed, composed]


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_deleting_a_storage_location_in_use_is_refused(instance: dict, tmp_path: Path) -> None:
    other = tmp_path / "other"
    ln.settings.storage = str(other)
    path = tmp_path / "x.txt"
    path.write_text("x")
    artifact = ln.Artifact(str(path), key="x.txt").save()
    storage = ln.Storage.get(root=str(other))
    ln.settings.storage = instance["storage"]
    with pytest.raises(
        ln.errors.InvalidArgument, match="Cannot delete storage with artifacts"
    ) as info:
        storage.delete()
    assert f"{other} holds 1 artifact" in str(info.value)
    assert ln.Storage.filter(root=str(other)).count() == 1
    assert Path(str(artifact.cache())).read_text() == "x"
    artifact.delete(permanent=True)
    storage.delete()  # empty now (the instance's marker aside): it goes
    assert ln.Storage.filter(root=str(other)).count() == 0


def test_load_never_follows_a_stored_link_out_of_storage(instance: dict, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    path = tmp_path / "table.csv"
    path.write_text("a\n1\n")
    artifact = ln.Artifact(str(path), key="table.csv").save()
    stored = Path(str(artifact.cache()))
    stored.unlink()
    stored.symlink_to(secret)  # someone swapped the stored file for a link
    for read in (artifact.load, artifact.cache):
        with pytest.raises(ln.errors.StorageError, match="leads out of its storage location"):
            read()
    stored.unlink()
    stored.write_text("a\n1\n")
    assert artifact.load()["a"].tolist() == [1]  # the next call works


def test_load_never_follows_a_link_inside_a_stored_folder(instance: dict, tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    artifact = ln.Artifact(str(folder), key="folder").save()
    stored = Path(str(artifact.path))
    (stored / "sub" / "b.txt").unlink()
    (stored / "sub" / "b.txt").symlink_to(tmp_path / "folder" / "sub" / "b.txt")
    with pytest.raises(ln.errors.StorageError, match="symbolic link"):
        artifact.cache()
