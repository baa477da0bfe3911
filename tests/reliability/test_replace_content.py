"""`artifact.replace(data)` then `save()`: new content for the same artifact (no new
version), which never leaves a version with other bytes than its hash.

The store that a folder's versions share holds the latest version's bytes: replacing an
older version's content there would change the latest version's bytes, so it is refused
(LaminDB would overwrite the store); the latest version's content is replaced. The old
bytes are set aside until the row commits, so an interrupt gives them back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel import errors
from lamin_kernel.records.integrity import check_instance
from tests.reliability.digests import content_digest
from tests.reliability.interrupts import ctrl_c_at
from tests.reliability.invariants import assert_every_row_has_its_bytes

KEY = "replaced_folder"


def folder(root: Path, name: str, content: bytes) -> Path:
    path = root / name
    (path / "sub").mkdir(parents=True)
    (path / "part.txt").write_bytes(content)
    (path / "sub" / "more.txt").write_bytes(content + b"!")
    return path


def stored(artifact: Any) -> str:
    return content_digest(Path(str(ln.Artifact.get(artifact.uid).path)))


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_replacing_an_older_version_of_a_shared_store_is_refused(
    instance: dict, tmp_path: Path
) -> None:
    """replace() on an older folder version: InvalidArgument naming the rule, the latest
    version's store untouched; a replacement staged on the latest that became older before
    save() (a new version came meanwhile) is refused at save() the same way."""
    first = ln.Artifact(str(folder(tmp_path, "first", b"A")), key=KEY).save()
    second = ln.Artifact(str(folder(tmp_path, "second", b"B")), key=KEY).save()
    older = ln.Artifact.get(first.uid)
    with pytest.raises(errors.InvalidArgument, match="older version"):
        older.replace(str(folder(tmp_path, "other", b"X")))
    assert stored(second) == content_digest(tmp_path / "second")

    latest = ln.Artifact.get(second.uid)
    latest.replace(str(folder(tmp_path, "late", b"L")))
    third = ln.Artifact(str(folder(tmp_path, "third", b"C")), key=KEY).save()
    with pytest.raises(errors.InvalidArgument, match="older version"):
        latest.save()
    assert ln.Artifact.get(second.uid).hash != ln.Artifact.get(third.uid).hash
    assert stored(third) == content_digest(tmp_path / "third")
    assert_every_row_has_its_bytes()
    assert check_instance(fix=False, grace_seconds=0).ok


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_replacing_the_latest_version_and_a_file_of_the_same_suffix(
    instance: dict, tmp_path: Path
) -> None:
    """The latest folder version's content is replaced in its store (same uid, new hash);
    a file replaced by one of the same suffix too (its store exists: the old bytes go
    aside, then away); nothing is left aside."""
    ln.Artifact(str(folder(tmp_path, "first", b"A")), key=KEY).save()
    second = ln.Artifact(str(folder(tmp_path, "second", b"B")), key=KEY).save()
    second.replace(str(folder(tmp_path, "new", b"N")))
    second.save()
    assert ln.Artifact.filter(key=KEY).count() == 2
    assert stored(second) == content_digest(tmp_path / "new")
    (tmp_path / "one.txt").write_text("one")
    (tmp_path / "two.txt").write_text("two")
    text = ln.Artifact(str(tmp_path / "one.txt"), key="notes.txt").save()
    text.replace(str(tmp_path / "two.txt"))
    text.save()
    assert ln.Artifact.get(text.uid).load() == "two"
    assert_every_row_has_its_bytes()
    report = check_instance(fix=False, grace_seconds=0)
    assert report.ok and report.orphans == [], report.lines()


@pytest.mark.parametrize("kind", ["folder", "file"])
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_ctrl_c_after_the_new_content_took_the_store_gives_the_old_back(
    instance: dict, tmp_path: Path, kind: str
) -> None:
    """Ctrl+C just after the new content got the store's name, before the row: the store
    holds the old content, the row its old hash, nothing is left aside; the same
    replacement saved again works."""
    if kind == "folder":
        ln.Artifact(str(folder(tmp_path, "first", b"A")), key=KEY).save()
        artifact = ln.Artifact(str(folder(tmp_path, "second", b"B")), key=KEY).save()
        old, new = tmp_path / "second", folder(tmp_path, "new", b"N")
    else:
        (tmp_path / "old.txt").write_text("old")
        (tmp_path / "new.txt").write_text("new")
        artifact = ln.Artifact(str(tmp_path / "old.txt"), key="notes.txt").save()
        old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old_hash = artifact.hash
    artifact.replace(str(new))
    with (
        pytest.raises(KeyboardInterrupt),
        ctrl_c_at("return", ("_link_or_move", "_rename_exclusive")) as landed,
    ):
        artifact.save()
    assert landed
    assert ln.Artifact.get(artifact.uid).hash == old_hash
    assert stored(artifact) == content_digest(old)
    assert check_instance(fix=False, grace_seconds=0).ok
    artifact.save()
    assert stored(artifact) == content_digest(new)
    assert_every_row_has_its_bytes()
    assert check_instance(fix=False, grace_seconds=0).ok
