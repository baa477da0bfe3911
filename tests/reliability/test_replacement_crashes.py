"""A process killed (SIGKILL) while its new version replaces the store that a folder's
versions share loses nothing: the intent record it wrote before moving anything lets
`lamin check` report the interrupted replacement, and `lamin check --fix` or the next save
of that key give the store back the content of the version that owns it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.records.integrity import check_instance
from lamin_kernel.storage.transfer import STAGING_DIR
from tests.reliability.digests import content_digest
from tests.reliability.interrupts import ctrl_c_at
from tests.reliability.invariants import assert_every_row_has_its_bytes

KEY = "replaced_store"


# argv: folder, kill point[, key[, "shared": a file with overwrite_versions=True]]. The process kills itself with SIGKILL at that point of the save:
#   after_set_aside: the store's content was just moved aside, nothing placed yet
#   before_insert:   the new content is in the store, its row not inserted
#   after_commit:    the row committed, the aside not yet removed
def KILLED_SAVER_OF(key: str) -> str:  # noqa: N802 - a code template, like the constant
    """The killed saver's code for another key (the state machine's folders)."""
    return KILLED_SAVER.replace(repr(KEY), repr(key))


KILLED_SAVER = textwrap.dedent(f"""
    import os, signal, sys
    import lamin_kernel as ln
    source, point = sys.argv[1], sys.argv[2]
    key = sys.argv[3] if len(sys.argv) > 3 else {KEY!r}
    shared = {{"overwrite_versions": True}} if len(sys.argv) > 4 else {{}}

    def kill_at(frame, event, arg):
        name, file = frame.f_code.co_name, frame.f_code.co_filename
        if (
            (point == "after_set_aside" and event == "return" and name == "set_aside"
             and file.endswith("replacing.py"))
            or (point == "before_insert" and event == "call" and name == "insert_new_records")
            or (point == "after_commit" and event == "call" and name == "done"
                and file.endswith("artifact_save.py"))
        ):
            os.kill(os.getpid(), signal.SIGKILL)

    artifact = ln.Artifact(source, key=key, **shared)
    sys.setprofile(kill_at)
    artifact.save()
    sys.setprofile(None)
    print("saved without being killed", flush=True)
""")


def folder(root: Path, name: str, content: bytes) -> Path:
    path = root / name
    path.mkdir()
    (path / "part.txt").write_bytes(content)
    (path / "sub").mkdir()
    (path / "sub" / "more.txt").write_bytes(content * 3)
    return path


def killed_save(
    source: Path,
    point: str,
    key: str = KEY,
    overwrite_versions: bool = False,
    reset: bool = True,
) -> None:
    """Save `source` in another process that kills itself at `point`; `reset`: this
    process connects afresh afterwards (its records are then detached)."""
    shared = ["shared"] if overwrite_versions else []
    done = subprocess.run(
        [sys.executable, "-c", KILLED_SAVER, str(source), point, key, *shared],
        env={**os.environ, "LAMIN_VERBOSITY": "warning"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr[-3000:]
    if reset:
        runtime.reset()


def leftovers(storage: str) -> list[str]:
    """Asides and intent records in staging."""
    staging = Path(storage) / STAGING_DIR
    return sorted(
        p.name for p in staging.glob("*") if p.name.endswith((".previous", ".replacing.json"))
    )


def latest(key: str) -> Any:
    return ln.Artifact.filter(key=key, is_latest=True, branch_id__in=[-1, 0, 1]).one()


def lamin_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lamin_kernel.cli", "check", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
    )


@pytest.mark.parametrize("point", ["after_set_aside", "before_insert", "after_commit"])
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_check_fix_restores_what_a_killed_new_version_set_aside(
    instance: dict, tmp_path: Path, point: str
) -> None:
    """SIGKILL between setting the store's content aside and committing (or just after the
    commit): `lamin check` names the interrupted replacement (not an orphan, not an altered
    version), `lamin check --fix` makes the store hold the latest version's content again
    (the committed new version's after the commit) and leaves nothing aside."""
    first = ln.Artifact(str(folder(tmp_path, "first", b"content A")), key=KEY).save()
    killed_save(folder(tmp_path, "second", b"content B"), point)
    committed = point == "after_commit"
    owner = latest(KEY)
    assert (owner.uid != first.uid) is committed
    assert len(leftovers(instance["storage"])) == 2  # the aside and its record

    report = check_instance(fix=False, grace_seconds=0)
    assert len(report.interrupted) == 1
    assert f"{first.uid[:16]}" in report.interrupted[0]
    assert "lamin check --fix" in report.interrupted[0]
    assert not [o for o in report.orphans if o.endswith((".previous", ".replacing.json"))]
    assert report.altered == [] and report.missing == []
    assert not report.ok

    plain = lamin_check()
    assert plain.returncode == 1 and "interrupted replacement" in plain.stdout, plain.stdout

    fixed = lamin_check("--fix", "--grace", "0")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "settled interrupted replacement" in fixed.stdout
    runtime.reset()
    assert leftovers(instance["storage"]) == []
    expected = tmp_path / ("second" if committed else "first")
    assert content_digest(Path(str(latest(KEY).path))) == content_digest(expected)
    assert_every_row_has_its_bytes()
    assert check_instance(fix=False, grace_seconds=0).ok
    # the key takes new versions as before
    third = ln.Artifact(str(folder(tmp_path, "third", b"content C")), key=KEY).save()
    assert content_digest(Path(str(third.path))) == content_digest(tmp_path / "third")
    assert_every_row_has_its_bytes()


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_the_next_save_of_the_key_settles_a_killed_replacement(
    instance: dict, tmp_path: Path
) -> None:
    """After a SIGKILL left the store with uncommitted content and the latest version's
    content aside, the next save of that key first puts the latest content back: when that
    save is interrupted in turn, the store holds the latest version's content, not the dead
    writer's; when it succeeds, nothing stays aside."""
    first = ln.Artifact(str(folder(tmp_path, "first", b"content A")), key=KEY).save()
    killed_save(folder(tmp_path, "dead", b"content D"), "before_insert")
    assert latest(KEY).uid == first.uid

    again = ln.Artifact(str(folder(tmp_path, "again", b"content C")), key=KEY)
    with (
        pytest.raises(KeyboardInterrupt),
        ctrl_c_at("call", ("insert_new_records",)) as interrupted,
    ):
        again.save()
    assert interrupted
    assert latest(KEY).uid == first.uid
    assert content_digest(Path(str(latest(KEY).path))) == content_digest(tmp_path / "first")
    assert leftovers(instance["storage"]) == []
    assert_every_row_has_its_bytes()

    again.save()
    assert latest(KEY).uid == again.uid
    assert content_digest(Path(str(again.path))) == content_digest(tmp_path / "again")
    assert leftovers(instance["storage"]) == []
    assert check_instance(fix=True, grace_seconds=0).interrupted == []
    assert_every_row_has_its_bytes()
