"""Seven processes at once on one instance: new versions of one key, same-name labels and
features, `check --fix` over and over, saves on a branch and `lamin merge` of that branch
(issue 12, Tests (c)). While they run, the parts that hold at every moment are checked; at
the end, every row they saved is accounted for. A second test holds a merge that happens
while a writer saves on the branch to "nothing lands where no one sees it".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.records.integrity import check_instance
from tests.reliability.concurrent_worker import SHARED_KEY
from tests.reliability.digests import content_digest
from tests.reliability.invariants import assert_every_row_has_its_bytes, assert_session_answers

REPO = Path(__file__).resolve().parents[2]
BRANCH = "contribution"
VERSIONS_EACH, LABELS_EACH, CHECKS, BRANCH_SAVES = 8, 8, 2, 18


def start(role: str, worker: int, count: int) -> subprocess.Popen:
    env = {**os.environ, "LAMIN_VERBOSITY": "warning"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reliability.concurrent_worker",
            role,
            str(worker),
            str(count),
            BRANCH,
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stable_parts_hold() -> None:
    """What holds at any moment, even mid-write: rows have bytes, names and latest are unique."""
    report = check_instance(fix=False)
    assert report.missing == [] and report.altered == [], report.lines()
    names = Counter(ln.ULabel.filter().to_list("name"))
    assert all(n == 1 for n in names.values()), names
    latest = ln.Artifact.filter(key=SHARED_KEY, is_latest=True, branch_id=1).count()
    assert latest <= 1


def finish(procs: dict[str, subprocess.Popen]) -> dict[str, Any]:
    results = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{name} failed:\n{err[-3000:]}"
        # the worker's result is its JSON line; the branch worker's run, whose branch was
        # merged meanwhile, may print after it where its finishing records went
        lines = [line for line in out.strip().splitlines() if line.startswith("{")]
        assert lines, f"{name} printed no result:\n{out[-3000:]}\n{err[-3000:]}"
        results[name] = json.loads(lines[-1])
        assert results[name]["errors"] == [], f"{name}: {results[name]['errors']}"
    return results


def versions_are_one_family(results: dict[str, Any]) -> None:
    saved = [s for name in ("versions0", "versions1") for s in results[name]["saved"]]
    rows = {a.uid: a for a in ln.Artifact.filter(key=SHARED_KEY)}
    assert sorted(rows) == sorted(s["uid"] for s in saved), "a version lost or one too many"
    for one in saved:
        assert content_digest(Path(str(rows[one["uid"]].path))) == one["digest"]
    assert len({uid[:16] for uid in rows}) == 1, "one key split into several version families"
    assert sum(a.is_latest for a in rows.values()) == 1


def names_are_one_row_each(results: dict[str, Any]) -> None:
    for registry, field in ((ln.ULabel, "labels"), (ln.Feature, "features")):
        for name in set(results["labels0"][field]) | set(results["labels1"][field]):
            rows = registry.filter(name=name).to_list("uid")
            assert len(rows) == 1, f"{registry.__name__} {name!r}: {rows}"
            for worker in ("labels0", "labels1"):
                assert results[worker][field].get(name, rows[0]) == rows[0]


def branch_saves_are_kept(results: dict[str, Any]) -> None:
    """Every save the branch writer was told succeeded has its row and bytes somewhere."""
    writer = results["branch"]
    for one in writer["saved"]:
        artifact = ln.Artifact.filter(uid=one["uid"]).one()
        assert content_digest(Path(str(artifact.path))) == one["digest"]
    assert len(writer["saved"]) + len(writer["refused"]) == BRANCH_SAVES
    assert ln.Artifact.filter(key__startswith="branch/", branch_id__gte=0).count() == len(
        writer["saved"]
    )


def nothing_landed_on_the_merged_branch(results: dict[str, Any]) -> None:
    """After the merge, no row sits on the merged branch; a refused save named the branch."""
    branch = ln.Branch.get(name=BRANCH)
    assert ln.Artifact.filter(branch_id=branch.id).count() == 0, "rows no one sees"
    for one in results["branch"]["saved"]:
        assert ln.Artifact.filter(uid=one["uid"]).one().branch_id == 1, one
    for refusal in results["branch"]["refused"]:
        assert BRANCH in refusal["message"], refusal


def run_all(procs: dict[str, subprocess.Popen]) -> dict[str, Any]:
    """Wait for the processes, checking the stable parts while they run."""
    stable_parts_hold()
    while any(p.poll() is None for p in procs.values()):
        stable_parts_hold()
        time.sleep(0.2)  # leave the two cores to the writers
    results = finish(procs)
    runtime.reset()
    return results


@pytest.mark.slow
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_versions_labels_check_and_merge_at_once(instance: dict) -> None:
    ln.Branch(name=BRANCH).save()
    results = run_all(
        {
            "branch": start("branch", 0, BRANCH_SAVES),
            "merge": start("merge", 0, BRANCH_SAVES // 2),
            "versions0": start("versions", 0, VERSIONS_EACH),
            "versions1": start("versions", 1, VERSIONS_EACH),
            "labels0": start("labels", 0, LABELS_EACH),
            "labels1": start("labels", 1, LABELS_EACH),
            "check": start("check", 0, CHECKS),
        }
    )
    assert results["check"]["missing"] == [] and results["check"]["altered"] == []
    versions_are_one_family(results)
    names_are_one_row_each(results)
    branch_saves_are_kept(results)
    check_instance(fix=True)
    assert check_instance(fix=False).orphans == []
    assert_every_row_has_its_bytes()
    assert_session_answers()


@pytest.mark.slow
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_merge_while_a_writer_saves_leaves_nothing_unseen(instance: dict) -> None:
    ln.Branch(name=BRANCH).save()
    results = run_all(
        {
            "branch": start("branch", 0, BRANCH_SAVES),
            "merge": start("merge", 0, BRANCH_SAVES // 2),
        }
    )
    branch_saves_are_kept(results)
    nothing_landed_on_the_merged_branch(results)
    assert_every_row_has_its_bytes()
