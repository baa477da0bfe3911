"""A read of a store that versions share, after a process replacing it was killed (SIGKILL),
hands out the bytes of the version read or nothing: never the content of a version whose
row never committed, never another version's. The read settles the dead writer's
replacement first (as `lamin check --fix` would): the store holds its latest version's
bytes again and nothing stays aside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel.server.files import open_stored
from tests.reliability.digests import content_digest
from tests.reliability.invariants import assert_every_row_has_its_bytes
from tests.reliability.test_replacement_crashes import (
    KEY,
    folder,
    killed_save,
    latest,
    leftovers,
)

POINTS = ["after_set_aside", "before_insert", "after_commit"]


def reread(artifact: Any) -> Any:
    """The artifact as another reader gets it now (its row as committed)."""
    return ln.Artifact.filter(uid=artifact.uid, branch_id__in=[-1, 0, 1]).one()


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_read_after_a_killed_new_version_reads_the_latest_versions_bytes(
    instance: dict, tmp_path: Path, point: str
) -> None:
    """SIGKILL while a new folder version replaces the store (after setting the content
    aside, before its row, after its commit): `cache()`, `load()`-path reads and `open()` of
    the latest version return exactly its content and settle the store; the version the
    dead writer did not commit is nowhere to be read; the object held from before, once
    superseded, is refused instead of reading the newer bytes."""
    first = ln.Artifact(str(folder(tmp_path, "first", b"content A")), key=KEY).save()
    killed_save(folder(tmp_path, "second", b"content B"), point, reset=False)
    committed = point == "after_commit"
    owner = latest(KEY)
    expected = tmp_path / ("second" if committed else "first")

    read = Path(str(owner.cache()))
    assert content_digest(read) == content_digest(expected)
    assert leftovers(instance["storage"]) == []  # settled by the read
    assert content_digest(Path(str(reread(owner).cache()))) == content_digest(expected)
    if committed:  # the held object of the superseded version: refused, not B's bytes
        with pytest.raises(ValueError, match="latest version"):
            first.cache()
    else:
        assert content_digest(Path(str(first.cache()))) == content_digest(tmp_path / "first")
    assert_every_row_has_its_bytes()


@pytest.mark.parametrize("point", ["after_set_aside", "before_insert"])
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_open_and_the_file_route_of_a_killed_file_replacement(
    instance: dict, tmp_path: Path, point: str
) -> None:
    """A file saved with `overwrite_versions=True` (its versions share one store), a new
    version killed before its row: `open()` and the server's file route (which the preview
    reads) serve the latest version's bytes, of the same size as the dead writer's."""
    source = tmp_path / "table.csv"
    source.write_text("a,b\n1,2\n")
    first = ln.Artifact(str(source), key="shared.csv", overwrite_versions=True).save()
    dead = tmp_path / "dead.csv"
    dead.write_text("a,b\n9,9\n")  # the same size: only the hash tells them apart
    killed_save(dead, point, key="shared.csv", overwrite_versions=True, reset=False)

    stored = open_stored(reread(first))
    try:
        assert stored.handle.read() == source.read_bytes()
    finally:
        stored.close()
    assert leftovers(instance["storage"]) == []
    table = reread(first).open().to_table().to_pydict()
    assert table == {"a": [1], "b": [2]}
    assert Path(str(first.cache())).read_bytes() == source.read_bytes()
    assert_every_row_has_its_bytes()


def test_a_replacement_under_way_is_never_read(instance: dict, tmp_path: Path) -> None:
    """A replacement recorded by a live writer that is not finishing (its record stays):
    the store's content is hashed before it is handed out, and the uncommitted content is
    refused with an IntegrityError naming the artifact."""
    from lamin_kernel.storage import replacing

    source = tmp_path / "v1.txt"
    source.write_text("version one")
    first = ln.Artifact(str(source), key="live.txt", overwrite_versions=True).save()
    location = str(first.path)
    intent = replacing.begin(instance["storage"], location, first.uid[:16], "x" * 20, None)
    try:  # a save of this process under way: it set the content aside and placed its own
        replacing.set_aside(intent)
        Path(location).write_text("version two")  # same length, uncommitted
        with pytest.raises(ln.errors.IntegrityError, match=first.uid):
            first.cache()
        with pytest.raises(ln.errors.IntegrityError, match="replacing this store"):
            open_stored(first)
    finally:
        replacing.put_back(intent)
        intent.close()
    assert Path(str(first.cache())).read_text() == "version one"
