"""One process of the concurrency test (`test_concurrent_mix.py`): a role, run to the end.

    python -m tests.reliability.concurrent_worker ROLE WORKER COUNT [BRANCH] > result.json

Roles: `versions` (new versions of one shared key), `labels` (same-name ULabels and
Features), `check` (`lamin check` over and over), `branch` (saves on a contribution
branch), `merge` (`lamin merge` of that branch once it holds rows). Each prints one JSON
object: what it saved and which errors it met, so the test can hold every row to account.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lamin_kernel as ln
from lamin_kernel.cli.main import app as cli_app
from lamin_kernel.records.integrity import check_instance
from tests.reliability.digests import content_digest

SHARED_KEY = "shared/versioned.txt"
LABEL_NAMES = 4
FEATURE_NAMES = 3


def label_name(i: int) -> str:
    return f"shared label {i % LABEL_NAMES}"


def feature_name(i: int) -> str:
    return f"shared_feature_{i % FEATURE_NAMES}"


def error_of(error: BaseException) -> dict[str, str]:
    return {
        "class": type(error).__name__,
        "message": str(error)[:500],
        "lamin": isinstance(error, ln.errors.LaminError),
        "traceback": traceback.format_exc()[-1500:],
    }


def save_versions(worker: int, count: int, _branch: str) -> dict[str, Any]:
    saved, errors = [], []
    folder = Path(tempfile.mkdtemp(prefix=f"versions{worker}-"))
    for i in range(count):
        path = folder / f"v{i}.txt"
        path.write_text(f"worker {worker} version {i}\n")
        try:
            artifact = ln.Artifact(str(path), key=SHARED_KEY).save()
            saved.append({"uid": artifact.uid, "digest": content_digest(path)})
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails on it
            errors.append(error_of(error))
    return {"saved": saved, "errors": errors}


def save_labels(worker: int, count: int, _branch: str) -> dict[str, Any]:
    labels: dict[str, str] = {}
    features: dict[str, str] = {}
    errors = []
    for i in range(worker, worker + count):
        try:
            label = ln.ULabel(name=label_name(i)).save()
            seen = labels.setdefault(label.name, label.uid)
            if seen != label.uid:
                errors.append({"class": "two uids for one name", "message": label.name})
            feature = ln.Feature(name=feature_name(i), dtype=str).save()
            seen = features.setdefault(feature.name, feature.uid)
            if seen != feature.uid:
                errors.append({"class": "two uids for one name", "message": feature.name})
        except Exception as error:  # noqa: BLE001
            errors.append(error_of(error))
    return {"labels": labels, "features": features, "errors": errors}


# `check --fix` keeps the file of a save that commits while it runs (issue 12 point 2,
# test_machine_findings.py::test_check_fix_keeps_the_bytes_of_a_save_that_commits_while_it_runs):
# the checker of the mix fixes too.
CHECK_FIXES = True


def check_repeatedly(_worker: int, count: int, _branch: str) -> dict[str, Any]:
    """`lamin check` (with --fix once CHECK_FIXES) while the others write: what it found
    missing, altered and removed."""
    findings: dict[str, list[str]] = {"missing": [], "altered": [], "removed": []}
    errors = []
    for _ in range(count):
        try:
            report = check_instance(fix=CHECK_FIXES)
        except Exception as error:  # noqa: BLE001
            errors.append(error_of(error))
            continue
        findings["missing"] += report.missing
        findings["altered"] += report.altered
        findings["removed"] += report.removed
    return {**findings, "errors": errors}


def save_on_branch(worker: int, count: int, branch: str) -> dict[str, Any]:
    """Saves while tracked on `branch`; once merged, a save must be refused, naming it."""
    ln.track(key=f"branch_writer_{worker}.py", branch=branch)
    saved, refused, errors = [], [], []
    folder = Path(tempfile.mkdtemp(prefix=f"branch{worker}-"))
    for i in range(count):
        if i == count // 2:
            wait_for_merge(branch)  # half the saves come after the merge
        path = folder / f"b{i}.txt"
        path.write_text(f"branch writer {worker} item {i}\n")
        try:
            artifact = ln.Artifact(str(path), key=f"branch/w{worker}/{i}.txt").save()
            saved.append({"uid": artifact.uid, "digest": content_digest(path)})
        except ln.errors.LaminError as error:
            refused.append(error_of(error))
        except Exception as error:  # noqa: BLE001
            errors.append(error_of(error))
    return {"saved": saved, "refused": refused, "errors": errors}


def wait_for_merge(branch: str) -> None:
    """Until the branch is merged (a merge that waits for writers instead: at most ~30 s)."""
    for _ in range(1500):
        if ln.Branch.get(name=branch).status == "merged":
            return
        time.sleep(0.02)


def merge_when_filled(_worker: int, at_least: int, branch: str) -> dict[str, Any]:
    """Wait until the branch holds `at_least` artifacts (its writer is busy), then run
    `lamin merge BRANCH` (the command, in this process)."""
    target = ln.Branch.get(name=branch)
    for _ in range(6000):  # the writer started earlier; its rows are what this waits for
        if ln.Artifact.filter(branch_id=target.id).count() >= at_least:
            break
        time.sleep(0.02)
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            cli_app(["merge", branch], standalone_mode=False)
    except Exception as error:  # noqa: BLE001
        return {"errors": [error_of(error)], "output": output.getvalue()}
    return {"errors": [], "output": output.getvalue()}


ROLES: dict[str, Callable[[int, int, str], dict[str, Any]]] = {
    "versions": save_versions,
    "labels": save_labels,
    "check": check_repeatedly,
    "branch": save_on_branch,
    "merge": merge_when_filled,
}


def main(argv: list[str]) -> None:
    role, worker, count = argv[0], int(argv[1]), int(argv[2])
    branch = argv[3] if len(argv) > 3 else ""
    print(json.dumps(ROLES[role](worker, count, branch)))


if __name__ == "__main__":
    main(sys.argv[1:])
