"""Versions that share one store (folders, and files saved with `overwrite_versions=True`):
the store holds the bytes of the family's latest version only. Whatever sequence of
versions, re-saves, trash and restores, what a save returns holds the content it was given,
and the version that owns the store is the latest one (`lamin check` finds nothing).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.storage.transfer import STAGING_DIR
from tests.reliability.digests import content_digest
from tests.reliability.invariants import assert_every_row_has_its_bytes

KEY = "shared_store"


def folder(root: Path, name: str, content: bytes) -> Path:
    path = root / name
    path.mkdir()
    (path / "part.txt").write_bytes(content)
    return path


def text_file(root: Path, name: str, content: bytes) -> Path:
    path = root / f"{name}.txt"
    path.write_bytes(content)
    return path


MAKERS: dict[str, tuple[Callable[[Path, str, bytes], Path], str, dict[str, Any]]] = {
    "folder": (folder, KEY, {}),
    "file": (text_file, f"{KEY}.txt", {"overwrite_versions": True}),
}


def save(kind: str, root: Path, name: str, content: bytes) -> Any:
    make, key, extra = MAKERS[kind]
    return ln.Artifact(str(make(root, name, content)), key=key, **extra).save()


def source(kind: str, root: Path, name: str) -> Path:
    return root / (name if kind == "folder" else f"{name}.txt")


def stored_digest(artifact: Any) -> str:
    return content_digest(Path(str(artifact.path)))


def latest_versions(key: str) -> list[Any]:
    return list(ln.Artifact.filter(key=key, is_latest=True, branch_id__in=[-1, 0, 1]))


@pytest.mark.parametrize("kind", ["folder", "file"])
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_content_of_an_older_version_saved_again_becomes_the_latest_version(
    instance: dict, tmp_path: Path, kind: str
) -> None:
    """A, then B replaces the store, then A again: A is stored (a third version that owns the
    store), never answered by the first version whose store now holds B."""
    first = save(kind, tmp_path, "first", b"content A")
    second = save(kind, tmp_path, "second", b"content B")
    again = save(kind, tmp_path, "again", b"content A")
    assert again.uid not in (first.uid, second.uid)
    assert again.uid[:16] == first.uid[:16]  # one family, one store
    assert stored_digest(again) == content_digest(source(kind, tmp_path, "first"))
    assert content_digest(Path(str(again.cache()))) == stored_digest(again)
    assert [v.uid for v in latest_versions(MAKERS[kind][1])] == [again.uid]
    # the same content once more is the version that owns it
    assert save(kind, tmp_path, "thrice", b"content A").uid == again.uid
    assert_every_row_has_its_bytes()


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_trash_and_restore_keep_the_store_with_the_version_that_owns_it(
    instance: dict, tmp_path: Path
) -> None:
    """Trashing the latest version promotes no older one (its store holds the trashed one's
    bytes, as in LaminDB); restoring an older version does not make it the latest; content
    saved meanwhile is stored; restoring the owner makes it the latest again."""
    first = save("folder", tmp_path, "first", b"content A")
    second = save("folder", tmp_path, "second", b"content B")
    second.delete()  # to the trash
    assert ln.Artifact.get(first.uid).is_latest is False
    assert_every_row_has_its_bytes()
    first.delete()
    first.restore()
    assert ln.Artifact.get(first.uid).is_latest is False
    # the first content again, while the owner of the store is in the trash
    again = save("folder", tmp_path, "again", b"content A")
    assert content_digest(Path(str(again.path))) == content_digest(tmp_path / "first")
    assert_every_row_has_its_bytes()
    second.restore()
    restored = ln.Artifact.get(second.uid)
    assert restored.is_latest is True
    assert content_digest(Path(str(restored.path))) == content_digest(tmp_path / "second")
    # content B saved again is the restored owner, not a copy
    assert save("folder", tmp_path, "b_again", b"content B").uid == second.uid
    assert_every_row_has_its_bytes()


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_an_interrupted_new_version_gives_the_store_back(instance: dict, tmp_path: Path) -> None:
    """Ctrl+C after the new version's bytes took the store's place and before its row is
    inserted: the store holds the latest version's bytes again, nothing is left aside, and
    the same save works next time."""
    save("folder", tmp_path, "first", b"content A")
    second = save("folder", tmp_path, "second", b"content B")
    again = ln.Artifact(str(folder(tmp_path, "again", b"content A")), key=KEY)
    interrupted: list[str] = []

    def on_call(frame: Any, event: str, _arg: Any) -> None:
        if event == "call" and frame.f_code.co_name == "insert_new_records" and not interrupted:
            interrupted.append(frame.f_code.co_filename)
            os.kill(os.getpid(), signal.SIGINT)

    sys.setprofile(on_call)
    try:
        with pytest.raises(KeyboardInterrupt):
            again.save()
    finally:
        sys.setprofile(None)
    assert interrupted, "saving no longer inserts rows with insert_new_records: move the hook"
    assert [v.uid for v in latest_versions(KEY)] == [second.uid]
    assert content_digest(Path(str(second.path))) == content_digest(tmp_path / "second")
    staging = Path(instance["storage"]) / STAGING_DIR
    assert not [p for p in staging.glob("*") if p.name.endswith(".previous")]
    assert_every_row_has_its_bytes()
    again.save()
    assert content_digest(Path(str(again.path))) == content_digest(tmp_path / "first")
    assert_every_row_has_its_bytes()


# argv: start file, source folder; saves the folder under KEY once the start file exists
RESAVER = textwrap.dedent(f"""
    import sys, time
    from pathlib import Path
    import lamin_kernel as ln
    start, source = Path(sys.argv[1]), sys.argv[2]
    while not start.exists():
        time.sleep(0.01)
    print(ln.Artifact(source, key={KEY!r}).save().uid, flush=True)
""")


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_two_processes_saving_an_older_versions_content_at_once(
    instance: dict, tmp_path: Path
) -> None:
    """Two processes save the first content again at the same moment, after a second version
    replaced the store: one latest version, which holds that content; nothing missing."""
    save("folder", tmp_path, "first", b"content A")
    save("folder", tmp_path, "second", b"content B")
    start = tmp_path / "start"
    sources = [folder(tmp_path, f"again{i}", b"content A") for i in range(2)]
    env = {**os.environ, "LAMIN_VERBOSITY": "warning"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RESAVER, str(start), str(source)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for source in sources
    ]
    start.write_text("go")
    uids = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
        uids.append(out.split()[-1])
    runtime.reset()
    latest = latest_versions(KEY)
    assert len(latest) == 1 and latest[0].uid in uids
    assert content_digest(Path(str(latest[0].path))) == content_digest(sources[0])
    assert all(ln.Artifact.filter(uid=uid).count() == 1 for uid in uids)
    assert_every_row_has_its_bytes()
