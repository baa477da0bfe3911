"""The same-content lookup of `ln.Artifact(path)` runs on a DBAPI cursor of its own
(`setup.session.single_statement_cursor`): it must see what the open transaction wrote, and
leave the pooled connection it borrowed as it found it (no autocommit left behind)."""

from __future__ import annotations

from pathlib import Path

import pytest

import lamin_kernel as ln
from lamin_kernel.setup.session import write_transaction


def _file(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_the_lookup_sees_a_row_saved_in_the_open_write_transaction(
    instance: dict, tmp_path: Path
) -> None:
    first = _file(tmp_path / "a", "one.txt", "same bytes")
    copy = _file(tmp_path / "b", "two.txt", "same bytes")
    with write_transaction():
        saved = ln.Artifact(str(first), key="tx/one.txt").save()
        again = ln.Artifact(str(copy), key="tx/two.txt")  # not committed yet: still found
        assert (again.id, again.uid) == (saved.id, saved.uid)
    assert ln.Artifact.filter(key__startswith="tx/").count() == 1


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_write_after_lookups_still_rolls_back_as_one_transaction(
    instance: dict, tmp_path: Path
) -> None:
    """Lookups outside a transaction borrow pooled connections in autocommit; a write
    transaction on the same pool afterwards must still be one transaction."""
    for i in range(5):
        ln.Artifact(str(_file(tmp_path / "lookups", f"{i}.txt", f"new {i}")), key=f"l/{i}.txt")
    label = ln.ULabel(name="kept").save()
    with pytest.raises(RuntimeError, match="stop"), write_transaction():
        ln.ULabel(name="rolled back").save()
        label.name = "renamed"
        label.save()
        raise RuntimeError("stop")
    assert not ln.ULabel.filter(name="rolled back").exists()
    assert ln.ULabel.get(label.id).name == "kept"
    again = ln.Artifact(str(_file(tmp_path / "after", "x.txt", "new 0")), key="l/x.txt")
    assert again.id is None  # nothing with these bytes was saved


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_refused_construction_then_the_next_lookup_works(instance: dict, tmp_path: Path) -> None:
    path = _file(tmp_path, "a.txt", "bytes of a")
    ln.Artifact(str(path), key="dup/a.txt").save()
    other = _file(tmp_path, "b.txt", "bytes of b")
    with pytest.raises(ln.errors.InvalidArgument):
        ln.Artifact(str(other), key="dup/a.parquet")  # suffix mismatch: refused, nothing read
    found = ln.Artifact(str(_file(tmp_path / "c", "a.txt", "bytes of a")), key="dup/c.txt")
    assert found.key == "dup/a.txt"
