"""Many processes saving artifacts into one instance at once: every row and file, no error."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime

WRITER = textwrap.dedent("""
    import sys
    import pandas as pd
    import lamin_kernel as ln
    worker, count = int(sys.argv[1]), int(sys.argv[2])
    for i in range(count):
        df = pd.DataFrame({"worker": [worker], "i": [i]})
        ln.Artifact.from_dataframe(df, key=f"w{worker}/a{i}.parquet").save()
    print("done", worker)
""")


def run_writers(n_processes: int, per_process: int) -> list[subprocess.CompletedProcess]:
    env = os.environ.copy()
    env["LAMIN_VERBOSITY"] = "warning"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(w), str(per_process)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(n_processes)
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=900)
        results.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return results


def check_outcome(results: list, expected: int, storage: str | None) -> None:
    failures = [r.stderr[-2000:] for r in results if r.returncode != 0]
    assert failures == []
    runtime.reset()
    uids = ln.Artifact.filter().to_list("uid")
    assert len(uids) == expected and len(set(uids)) == expected
    if storage is not None:
        files = [p for p in (Path(storage) / ".lamindb").glob("*.parquet")]
        assert len(files) == expected
        assert not list((Path(storage) / ".lamindb" / "_staging").glob("*"))


@pytest.mark.slow
def test_eight_sqlite_writers(instance: dict) -> None:
    results = run_writers(8, 250)
    check_outcome(results, 2000, instance["storage"])


@pytest.mark.slow
@pytest.mark.backends("postgres-local")
def test_thirty_two_postgres_writers(instance: dict) -> None:
    results = run_writers(32, 20)
    check_outcome(results, 640, instance["storage"])
