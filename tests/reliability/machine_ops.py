"""The operations the stateful test drives, run inside the process under test.

The state machine (`state_machine.py`) sends each step as a line of code, to this process or
to a Jupyter kernel, and reads back plain JSON values from these functions. Everything here
goes through the public API (`ln.*`, `lamin check`); nothing mocks the database or storage.
An interrupt is a real SIGINT that the process sends itself at the n-th call of a
project function (`interrupted`), so Python raises KeyboardInterrupt right there, as the
notebook's stop button would.
"""

from __future__ import annotations

import gc
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

import lamin_kernel as ln
from lamin_kernel.records.integrity import check_instance
from tests.reliability.digests import content_digest

PACKAGE_DIR = str(Path(ln.__file__).parent)
TRASH = -1
RUN_FILE_KIND = "__lamindb_run__"


def described(artifact: Any) -> dict[str, Any]:
    return {
        "uid": artifact.uid,
        "key": artifact.key,
        "branch_id": artifact.branch_id,
        "is_latest": artifact.is_latest,
        "run_uid": None if artifact.run is None else artifact.run.uid,
    }


def by_uid(uid: str) -> Any:
    """The artifact with this uid on any branch, the trash included (a filter by uid sees all)."""
    return ln.Artifact.filter(uid=uid).one()


# --- saving ---------------------------------------------------------------------------------


def save_path(path: str, key: str) -> dict[str, Any]:
    """A file or folder saved under `key` (a new version when the key is taken)."""
    return described(ln.Artifact(path, key=key).save())


def save_dataframe(seed: int, rows: int, key: str) -> dict[str, Any]:
    return described(ln.Artifact.from_dataframe(frame(seed, rows), key=key).save())


def frame(seed: int, rows: int) -> pd.DataFrame:
    return pd.DataFrame({"seed": [seed] * rows, "i": list(range(rows))})


def save_bulk(paths: list[str], keys: list[str]) -> list[dict[str, Any]]:
    """Several files in one `ln.save(list)` (one transaction per chunk)."""
    artifacts = [ln.Artifact(p, key=k) for p, k in zip(paths, keys, strict=True)]
    ln.save(artifacts)
    return [described(a) for a in artifacts]


def save_revision(path: str, revises_uid: str) -> dict[str, Any]:
    """A new version made with `revises=`, as LaminDB users make one for a virtual key."""
    previous = by_uid(revises_uid)
    return described(ln.Artifact(path, revises=previous).save())


def save_label(name: str) -> dict[str, Any]:
    label = ln.ULabel(name=name).save()
    return {"uid": label.uid, "name": label.name}


def label_artifact(artifact_uid: str, name: str) -> list[str]:
    """Add the label of this name (made if needed) to the artifact; its label names after."""
    artifact = by_uid(artifact_uid)
    artifact.ulabels.add(ln.ULabel(name=name).save())
    return sorted(artifact.ulabels.all().to_list("name"))


# --- deleting -------------------------------------------------------------------------------


def trash(artifact_uid: str) -> int:
    artifact = by_uid(artifact_uid)
    artifact.delete()
    return int(ln.Artifact.filter(uid=artifact_uid, branch_id=TRASH).count())


def delete_permanently(artifact_uid: str) -> int:
    by_uid(artifact_uid).delete(permanent=True)
    return int(ln.Artifact.filter(uid=artifact_uid, branch_id__gte=TRASH).count())


def uids_of_family(stem: str) -> list[str]:
    """The uids of the versions with this uid stem, on any branch (the trash included)."""
    return sorted(ln.Artifact.filter(uid__startswith=stem, branch_id__gte=TRASH).to_list("uid"))


def restore(artifact_uid: str) -> int:
    by_uid(artifact_uid).restore()
    return int(by_uid(artifact_uid).branch_id)


# --- failing on purpose ---------------------------------------------------------------------


def bad_input(kind: str, path: str) -> str:
    """A call that must be refused with an ln.errors class; returns that class's name."""
    calls: dict[str, Callable[[], Any]] = {
        "key_outside": lambda: ln.Artifact(path, key="../outside.txt").save(),
        "key_absolute": lambda: ln.Artifact(path, key="/etc/x.txt").save(),
        "missing_path": lambda: ln.Artifact(path + ".missing", key="missing.txt").save(),
        "unsupported_object": lambda: ln.Artifact(object(), key="object.bin").save(),
        "nul_label": lambda: ln.ULabel(name="bad\x00label").save(),
        "nul_in_bulk": lambda: ln.save([ln.ULabel(name="fine label"), ln.ULabel(name="b\x00d")]),
        "not_a_record_in_bulk": lambda: ln.save([ln.Artifact(path, key="mixed.txt"), "text"]),
        "unknown_field": lambda: ln.Artifact.filter(no_such_field=1).to_list(),
    }
    try:
        calls[kind]()
    except ln.errors.LaminError as error:
        return type(error).__name__
    except Exception as error:  # the invariant this test checks: a clear ln.errors class
        return f"not an ln.errors class: {type(error).__module__}.{type(error).__name__}"
    return "accepted"


@contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Writes past `limit` bytes fail with EFBIG (RLIMIT_FSIZE): storage failing mid-copy."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous_handler)


def save_past_size_limit(path: str, key: str, limit: int) -> str:
    """Save a file bigger than the process may write: the copy fails part-way through."""
    try:
        with file_size_limit(limit):
            ln.Artifact(path, key=key).save()
    except ln.errors.LaminError as error:
        return type(error).__name__
    except Exception as error:
        return f"not an ln.errors class: {type(error).__module__}.{type(error).__name__}"
    return "accepted"


# --- interrupts -----------------------------------------------------------------------------


class InterruptAtCall:
    """A profile hook that sends this process SIGINT at the n-th call of a watched function."""

    def __init__(self, nth: int, prefixes: tuple[str, ...]) -> None:
        self.left, self.prefixes, self.fired = nth, prefixes, False

    def __call__(self, frame: Any, event: str, _arg: Any) -> None:
        if event != "call" or self.fired:
            return
        if frame.f_code.co_filename.startswith(self.prefixes):
            self.left -= 1
            if self.left <= 0:
                self.fired = True
                sys.setprofile(None)
                signal.raise_signal(signal.SIGINT)


def watched_prefixes(scope: str) -> tuple[str, ...]:
    if scope == "lamin_kernel":
        return (PACKAGE_DIR,)
    import sqlalchemy

    return (PACKAGE_DIR, str(Path(sqlalchemy.__file__).parent))


def interrupted(nth: int, scope: str, operation: str, *args: Any) -> dict[str, Any]:
    """Run an operation of this module with Ctrl+C arriving at its n-th watched call."""
    hook = InterruptAtCall(nth, watched_prefixes(scope))
    result: Any = None
    previous_handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        try:
            sys.setprofile(hook)
            result = OPERATIONS[operation](*args)
        finally:
            sys.setprofile(None)
    except KeyboardInterrupt:
        return {"interrupted": True, "result": result}
    finally:
        signal.signal(signal.SIGINT, previous_handler)
    return {"interrupted": hook.fired, "result": result}


OPERATIONS: dict[str, Callable[..., Any]] = {
    "save_path": save_path,
    "save_dataframe": save_dataframe,
    "save_bulk": save_bulk,
    "save_revision": save_revision,
    "save_label": save_label,
    "label_artifact": label_artifact,
    "trash": trash,
    "delete_permanently": delete_permanently,
    "restore": restore,
}


# --- what must hold -------------------------------------------------------------------------


def killed_while_replacing(path: str, key: str, point: str) -> int:
    """Save `path` under `key` in another process that kills itself (SIGKILL) at `point` of
    replacing the store the key's versions share (see test_replacement_crashes.py), then
    `check --fix` here with no grace (the dead writer's staged copy is an orphan at once):
    the store gets the latest version's content back. Returns the killed process's code."""
    from tests.reliability.test_replacement_crashes import KILLED_SAVER_OF

    done = subprocess.run(
        [sys.executable, "-c", KILLED_SAVER_OF(key), path, point],
        env={**os.environ, "LAMIN_VERBOSITY": "warning"},
        capture_output=True,
        text=True,
    )
    check_instance(fix=True, grace_seconds=0)
    return done.returncode


def check(fix: bool, in_subprocess: bool = False) -> dict[str, Any]:
    """`lamin check [--fix]`, here or as another process; the findings as lists."""
    if in_subprocess:
        args = [sys.executable, "-m", "lamin_kernel.cli", "check"] + (["--fix"] if fix else [])
        done = subprocess.run(args, capture_output=True, text=True, env=os.environ.copy())
        lines = done.stdout.splitlines()
        return {
            "returncode": done.returncode,
            "removed": [line.split(": ", 1)[1] for line in lines if line.startswith("removed")],
            "stderr": done.stderr[-2000:],
        }
    report = check_instance(fix=fix)
    return {
        "missing": report.missing,
        "altered": report.altered,
        "orphans": [o for o in report.orphans if o not in report.removed],
        "removed": report.removed,
    }


def snapshot(collect: bool = False) -> dict[str, Any]:
    """Every artifact row and label, and the files in managed storage (to compare).

    With `collect`, garbage is collected first: a staged file whose artifact object is gone
    is removed then.
    """
    if collect:
        gc.collect()
    root = Path(ln.settings.storage.root)
    files = sorted(
        p.relative_to(root).as_posix()
        for p in (root / ".lamindb").rglob("*")
        if p.is_file() and not p.name.startswith("lamin")
    )
    return {
        "artifacts": {
            a.uid: artifact_state(a)
            for a in ln.Artifact.filter(branch_id__gte=TRASH)
            if a.kind != RUN_FILE_KIND  # a run's report and environment: check() covers them
        },
        "labels": sorted(ln.ULabel.filter().to_list("name")),
        "files": files,
        "staged": [f for f in files if f.startswith(".lamindb/_staging/")],
    }


def artifact_state(artifact: Any) -> dict[str, Any]:
    path = Path(str(artifact.path))
    return {
        "key": artifact.key,
        "branch_id": artifact.branch_id,
        "is_latest": artifact.is_latest,
        "overwrite_versions": bool(artifact.overwrite_versions),
        "digest": content_digest(path) if path.exists() else None,
        "labels": sorted(artifact.ulabels.all().to_list("name")),
    }


def session_answers() -> dict[str, Any]:
    """A query and a save work, and the save is linked to the tracked run."""
    n = ln.ULabel.filter().count()
    probe = ln.ULabel(name=f"probe {n}").save()
    found = ln.ULabel.get(probe.uid)
    run = ln.context.run
    answer = {
        "probe_found": found.name == probe.name,
        "run_uid": None if run is None else run.uid,
        "run_status": None if run is None else ln.Run.get(run.uid).status,
        "probe_in_run": run is not None and found.run_id == run.id,
    }
    probe.delete(permanent=True)
    return answer


def start(key: str) -> str:
    ln.track(key=key)
    return ln.context.run.uid


def finish() -> str:
    run_uid = ln.context.run.uid
    ln.finish()
    return ln.Run.get(run_uid).status


def stored_digest(artifact_uid: str) -> str:
    return content_digest(Path(str(by_uid(artifact_uid).path)))


def holds_frame(artifact_uid: str, seed: int, rows: int) -> bool:
    loaded = by_uid(artifact_uid).load()
    return bool(loaded.reset_index(drop=True).equals(frame(seed, rows)))


def label_uid(name: str) -> str:
    return ln.ULabel.get(name=name).uid


def clear() -> dict[str, Any]:
    """Delete every artifact (trash included) and label for good: a sequence starts empty.

    The process, its session and the instance live on from the sequence before.
    """
    for artifact in ln.Artifact.filter(branch_id__gte=TRASH):
        if artifact.kind != RUN_FILE_KIND:
            artifact.delete(permanent=True)
    for label in ln.ULabel.filter():
        label.delete(permanent=True)
    return snapshot()
