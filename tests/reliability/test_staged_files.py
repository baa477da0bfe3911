"""A staged file always has an owner: Ctrl+C anywhere while an artifact is built (its bytes
are staged at construction) or placed leaves no staging file once the objects are gone, and
no file at an artifact's final name without its row.

Before, the owner (the `Staged` object, whose finalizer removes the file) was made after the
copy: an interrupt between the end of the copy and the owner's finalizer left the file in
`.lamindb/_staging/` for as long as the process lived (found by the state machine).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel.storage.transfer import STAGING_DIR
from tests.reliability.interrupts import ctrl_c_at
from tests.reliability.invariants import assert_every_row_has_its_bytes
from tests.reliability.machine_ops import InterruptAtCall, watched_prefixes
from tests.support.call_counts import calls_made

PACKAGE_DIR = str(Path(ln.__file__).parent)


def make_file(root: Path, n: int) -> Path:
    path = root / f"f{n}.txt"
    path.write_bytes(f"content {n}".encode())
    return path


def make_folder(root: Path, n: int) -> Path:
    path = root / f"d{n}"
    (path / "sub").mkdir(parents=True)
    (path / "a.txt").write_bytes(f"a {n}".encode())
    (path / "sub" / "b.txt").write_bytes(f"b {n}".encode())
    return path


MAKERS: dict[str, tuple[Callable[[Path, int], Path], str]] = {
    "file": (make_file, "staged.txt"),
    "folder": (make_folder, "staged_folder"),
}


def files_of_this_process(storage: str) -> list[str]:
    staging = Path(storage) / STAGING_DIR
    mine = f"{os.getpid()}-"
    return sorted(p.name for p in staging.glob("*") if p.name.startswith(mine))


def stored_without_staging(storage: str) -> list[str]:
    lamindb = Path(storage) / ".lamindb"
    return sorted(
        p.name for p in lamindb.iterdir() if not p.name.startswith("lamin") and p.name != "_staging"
    )


def interrupted_at(nth: int, action: Callable[[], Any]) -> bool:
    """Run `action` with Ctrl+C at its n-th call of a package function; whether it landed.

    No garbage collection runs during the action (the caller collects after each): the
    interrupt lands in the action, not in a finalizer of an earlier object."""
    hook = InterruptAtCall(nth, watched_prefixes("lamin_kernel"))
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    gc.disable()
    try:
        sys.setprofile(hook)
        action()
    except KeyboardInterrupt:
        return True
    finally:
        sys.setprofile(None)
        gc.enable()
        signal.signal(signal.SIGINT, previous)
    return hook.fired


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["file", "folder"])
def test_ctrl_c_at_any_call_of_building_an_artifact_leaves_no_staged_file(
    instance: dict, tmp_path: Path, kind: str
) -> None:
    """Ctrl+C at each call of `ln.Artifact(path, key=...)` in turn: once the half-built
    object is gone, no staging file of this process is left."""
    make, key = MAKERS[kind]
    total = calls_made(lambda: ln.Artifact(str(make(tmp_path, 0)), key=key), (PACKAGE_DIR,))
    gc.collect()
    assert files_of_this_process(instance["storage"]) == []
    landed = 0
    for nth in range(1, total + 1):  # the first construction makes the most calls
        source = str(make(tmp_path, nth))
        if not interrupted_at(nth, lambda source=source: ln.Artifact(source, key=key)):
            break
        landed += 1
        gc.collect()
        assert files_of_this_process(instance["storage"]) == [], f"interrupted at call {nth}"
    assert landed > 20, f"only {landed} of {total} calls interrupted"
    assert stored_without_staging(instance["storage"]) == []


@pytest.mark.parametrize("kind", ["file", "folder"])
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_ctrl_c_right_after_the_bytes_took_their_final_name(
    instance: dict, tmp_path: Path, kind: str
) -> None:
    """Ctrl+C just after the staged bytes got their final name (the link or rename made,
    nothing noted after it): no row, no file at the final name, the staging file stays with
    the object, whose next save works; dropped, it leaves nothing."""
    make, key = MAKERS[kind]
    artifact = ln.Artifact(str(make(tmp_path, 1)), key=key)
    with (
        pytest.raises(KeyboardInterrupt),
        ctrl_c_at("return", ("_link_or_move", "_rename_exclusive")) as landed,
    ):
        artifact.save()
    assert landed, "placing no longer goes through _link_or_move/_rename_exclusive"
    assert ln.Artifact.filter(key=key).count() == 0
    assert stored_without_staging(instance["storage"]) == []
    assert len(files_of_this_process(instance["storage"])) == 1
    artifact.save()
    assert ln.Artifact.filter(key=key).count() == 1
    assert_every_row_has_its_bytes()
    del artifact
    gc.collect()
    assert files_of_this_process(instance["storage"]) == []
