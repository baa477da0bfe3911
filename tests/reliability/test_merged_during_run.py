"""A run whose branch is merged while it runs: what it writes when it ends (a notebook's
report and file, a new version of its transform) follows the run to the merge's target and
a message says where; nothing is dropped and nothing lands on the merged branch."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.tracking import state as tracking_state

BRANCH = "contribution"
MAIN = 1

# tracked on the branch; once the branch is merged (by another process) it edits its own
# source, so that ending the run at exit must save a new version of its transform
SCRIPT = textwrap.dedent(f"""
    import sys, time
    from pathlib import Path
    import lamin_kernel as ln
    ln.track(branch={BRANCH!r})
    Path(sys.argv[1]).write_text(ln.context.run.uid)
    while ln.Branch.get(name={BRANCH!r}).status != "merged":
        time.sleep(0.05)
    with open(__file__, "a") as own_source:
        own_source.write("# edited while it ran\\n")
""")


def merge_in_another_process(branch: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "lamin_kernel.cli", "merge", branch],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_script_whose_branch_is_merged_while_it_runs_ends_on_the_target(
    instance: dict, tmp_path: Path
) -> None:
    ln.Branch(name=BRANCH).save()
    script = tmp_path / "merged_meanwhile.py"
    script.write_text(SCRIPT)
    started = tmp_path / "started"
    env = {**os.environ, "LAMIN_VERBOSITY": "info"}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(started)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(3000):
        if started.exists() and started.read_text() or proc.poll() is not None:
            break
        time.sleep(0.05)
    merge_in_another_process(BRANCH)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    runtime.reset()
    run = ln.Run.get(started.read_text())
    assert run.status == "completed", out + err
    assert run.branch_id == MAIN
    assert "edited while it ran" in run.transform.source_code
    assert run.transform.branch_id == MAIN
    said = out + err
    assert f"branch '{BRANCH}' was merged" in said and "'main'" in said, said[-3000:]
    merged = ln.Branch.get(name=BRANCH)
    assert ln.Transform.filter(branch_id=merged.id).count() == 0


@pytest.mark.backends("sqlite-local")
def test_finish_in_process_after_a_merge_saves_on_the_target(
    instance: dict, tmp_path: Path
) -> None:
    """ln.finish() in the process whose branch another process merged: the run completes on
    main; a later save in the process is still refused, naming the branch."""
    ln.Branch(name=BRANCH).save()
    try:
        ln.track(key="merged_in_process.py", branch=BRANCH)
        path = tmp_path / "before.txt"
        path.write_text("saved before the merge")
        before = ln.Artifact(str(path), key="before.txt").save()
        merge_in_another_process(BRANCH)
        ln.finish()
        run = ln.Run.get(ln.context.run.uid)
        assert run.status == "completed" and run.branch_id == MAIN
        assert ln.Artifact.get(before.uid).branch_id == MAIN
        after = tmp_path / "after.txt"
        after.write_text("saved after the merge")
        with pytest.raises(ln.errors.NoWriteAccess, match=BRANCH):
            ln.Artifact(str(after), key="after.txt").save()
    finally:
        tracking_state.reset()
