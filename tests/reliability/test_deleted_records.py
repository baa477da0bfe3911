"""An object held for a row deleted for good never touches the record that takes its id.

On SQLite the id of a deleted row that was the table's highest goes to the next insert. An
object still held for the deleted row (deleted in bulk by this process, or by another
process) must then not update, delete or link that other record: it raises a clear error
naming itself, and the other record stays as it was."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel.setup.session import connection

DELETE_ELSEWHERE = textwrap.dedent("""
    import sys
    import lamin_kernel as ln
    registry, name = sys.argv[1], sys.argv[2]
    getattr(ln, registry).filter(name=name).delete(permanent=True)
""")


def on_sqlite() -> bool:
    return connection().engine.dialect.name == "sqlite"


def unchanged(record: Any, name: str) -> None:
    fresh = type(record).get(record.id)
    assert (fresh.uid, fresh.name, fresh.description) == (record.uid, name, None)


def an_artifact(tmp_path: Path, name: str) -> Any:
    path = tmp_path / f"{name}.txt"
    path.write_text(name)
    return ln.Artifact(str(path), key=f"{name}.txt").save()


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_objects_held_for_rows_deleted_in_bulk_never_touch_the_row_that_takes_their_id(
    instance: dict, tmp_path: Path
) -> None:
    """`ULabel.filter(...).delete(permanent=True)` while the user holds the label: a new
    label takes its id (on SQLite); the held label's delete() does nothing (its row is gone
    already, as in LaminDB), its relation reads and changes and being linked raise
    DoesNotExist naming it; its save() is refused (SQLite: the id is
    taken) or inserts it again (PostgreSQL); the new label never changes."""
    ln.ULabel(name="kept").save()
    held = ln.ULabel(name="gone").save()
    artifact = an_artifact(tmp_path, "linked")
    artifact.ulabels.add(held)
    held_id = held.id
    ln.ULabel.filter(name="gone").delete(permanent=True)
    newcomer = ln.ULabel(name="newcomer").save()
    newcomer.artifacts.add(artifact)
    if on_sqlite():
        assert newcomer.id == held_id  # the danger is real: the id was given again

    held.delete(permanent=True)  # gone already: nothing to delete, the newcomer stays
    held.delete()
    unchanged(newcomer, "newcomer")
    with pytest.raises(ln.errors.DoesNotExist, match="gone"):
        held.artifacts.remove(artifact)
    with pytest.raises(ln.errors.DoesNotExist, match="gone"):
        list(held.artifacts.all())
    with pytest.raises(ln.errors.DoesNotExist, match="gone"):
        artifact.ulabels.add(held)
    held.description = "changed"
    if on_sqlite():
        with pytest.raises(ln.errors.IntegrityError, match="gone.*belongs to another record"):
            held.save()
        with pytest.raises(ln.errors.DoesNotExist, match="gone"):
            held.save()  # and again: still not the newcomer's row
    else:
        held.save()  # ids are never given again: it is back, as Django does
        assert ln.ULabel.get(name="gone").id == held_id
    unchanged(newcomer, "newcomer")
    assert [a.uid for a in newcomer.artifacts.all()] == [artifact.uid]


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_an_artifact_held_after_a_bulk_delete_is_not_saved_again(
    instance: dict, tmp_path: Path
) -> None:
    """`Artifact.filter(...).delete(permanent=True)` while the user holds the artifact: its
    save() raises DoesNotExist naming it (its bytes are gone: inserting it again would make a
    row without bytes) and its delete() does nothing; the artifact that takes its id stays as it was."""
    held = an_artifact(tmp_path, "gone")
    ln.Artifact.filter(key="gone.txt").delete(permanent=True)
    newcomer = an_artifact(tmp_path, "newcomer")
    held.description = "changed"
    with pytest.raises(ln.errors.DoesNotExist, match="gone.txt"):
        held.save()
    held.delete(permanent=True)  # gone already: nothing to delete, the newcomer stays
    fresh = ln.Artifact.get(newcomer.id)
    assert (fresh.uid, fresh.key, fresh.description) == (newcomer.uid, "newcomer.txt", None)
    assert Path(str(fresh.cache())).read_text() == "newcomer"
    assert ln.Artifact.filter(key="gone.txt", branch_id__in=[-1, 0, 1]).count() == 0


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_objects_held_for_rows_another_process_deleted(instance: dict, tmp_path: Path) -> None:
    """Another process deletes the label for good; a label saved here takes its id (on
    SQLite). The held object's save(), delete() and relation changes raise DoesNotExist
    naming it, and the new label stays as it was."""
    held = ln.ULabel(name="elsewhere").save()
    artifact = an_artifact(tmp_path, "linked")
    done = subprocess.run(
        [sys.executable, "-c", DELETE_ELSEWHERE, "ULabel", "elsewhere"],
        env={**os.environ, "LAMIN_VERBOSITY": "warning"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    newcomer = ln.ULabel(name="newcomer").save()
    if on_sqlite():
        assert newcomer.id == held.id

    held.description = "changed"
    with pytest.raises(ln.errors.DoesNotExist, match="elsewhere"):
        held.save()
    # the failed save rolled back: its fields are read again, from no row (or another's)
    with pytest.raises(ln.errors.DoesNotExist, match="ULabel.*deleted for good"):
        held.artifacts.add(artifact)
    with pytest.raises(ln.errors.DoesNotExist, match="ULabel.*deleted for good"):
        held.delete(permanent=True)
    unchanged(newcomer, "newcomer")
    assert newcomer.artifacts.count() == 0
    assert ln.ULabel(name="next").save().id is not None  # the session answers the next call
