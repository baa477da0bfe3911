"""`lamin merge` while other processes write to the branch: every write either commits before
the merge (and is moved to main with the rest) or is refused, naming the branch. Nothing
lands on the merged branch, where no one would see it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from tests.reliability.invariants import assert_every_row_has_its_bytes

BRANCH = "contrib"
MAX_SAVES = 5000  # a writer stops at its first refusal, long before this

# saves labels and small artifacts on the user's current branch until a save is refused
WRITER = textwrap.dedent("""
    import sys, tempfile
    from pathlib import Path
    import lamin_kernel as ln
    worker, most = int(sys.argv[1]), int(sys.argv[2])
    folder = Path(tempfile.mkdtemp())
    saved = 0
    try:
        for i in range(most):
            if i % 4 == 3:
                source = folder / f"{i}.txt"
                source.write_text(f"worker {worker} save {i}")
                ln.Artifact(str(source), key=f"w{worker}/{i}.txt").save()
            else:
                ln.ULabel(name=f"w{worker}-{i}").save()
            saved += 1
            if saved == 3:
                print("writing", flush=True)
    except ln.errors.NoWriteAccess as exc:
        print(f"refused: {exc}", flush=True)
    print(f"saved {saved}", flush=True)
""")


def start_writer(worker: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(worker), str(MAX_SAVES)],
        env={**os.environ, "LAMIN_VERBOSITY": "warning"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_writes_during_merge_are_moved_or_refused(instance: dict) -> None:
    ln.setup.switch(BRANCH, create=True)  # the writers start on the branch
    writers = [start_writer(w) for w in range(2)]
    for proc in writers:  # each has committed some rows on the branch
        assert proc.stdout.readline().strip() == "writing", proc.stderr.read()[-3000:]
    merged = subprocess.run(
        [sys.executable, "-m", "lamin_kernel.cli", "merge", BRANCH, "--target", "main"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    assert merged.returncode == 0, merged.stdout + merged.stderr
    outputs = []
    for proc in writers:
        out, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err[-3000:]
        outputs.append(out)
    saved = [int(out.strip().splitlines()[-1].split()[-1]) for out in outputs]
    for out in outputs:  # every writer was stopped, with the branch named
        assert f"refused: branch '{BRANCH}' was merged" in out, out[-2000:]
    runtime.reset()
    ln.setup.switch("main")
    branch = ln.Branch.get(name=BRANCH)
    assert branch.status == "merged"
    # every committed write is on main, none on the merged branch
    for worker, n in enumerate(saved):
        labels = ln.ULabel.filter(name__startswith=f"w{worker}-").count()
        artifacts = ln.Artifact.filter(key__startswith=f"w{worker}/").count()
        assert labels + artifacts == n
    for registry in (ln.ULabel, ln.Artifact, ln.Run, ln.Transform):
        assert registry.filter(branch_id=branch.id).count() == 0
    assert all(Path(str(a.path)).exists() for a in ln.Artifact.filter(key__startswith="w"))
    assert_every_row_has_its_bytes()


def test_a_write_to_a_merged_branch_is_refused_in_the_same_process(instance: dict) -> None:
    ln.setup.switch(BRANCH, create=True)
    ln.ULabel(name="before merge").save()
    ln.setup.merge(BRANCH, target="main")
    with pytest.raises(ln.errors.NoWriteAccess, match=f"branch '{BRANCH}' was merged"):
        ln.ULabel(name="after merge").save()
    with pytest.raises(ln.errors.NoWriteAccess, match=BRANCH):
        ln.save([ln.ULabel(name="bulk 1"), ln.ULabel(name="bulk 2")])
    ln.setup.switch("main")  # the next call works, on main
    assert ln.ULabel.get(name="before merge").branch_id == 1
    assert not ln.ULabel.filter(name__in=["after merge", "bulk 1", "bulk 2"]).exists()
    ln.ULabel(name="on main").save()
    assert ln.ULabel.get(name="on main").branch_id == 1
