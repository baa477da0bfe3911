"""`lamin check` and `lamin check --fix` while other processes save: no committed row ever
loses its bytes, and a plain check reports no orphan that is a save in progress. Two
PostgreSQL writers of new versions of one key make one version family."""

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

WRITERS = 4
SAVES_PER_WRITER = 25

# argv: worker number, count, key pattern ({w}: worker, {i}: save number)
WRITER = textwrap.dedent("""
    import sys, tempfile
    from pathlib import Path
    import lamin_kernel as ln
    worker, count, pattern = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    folder = Path(tempfile.mkdtemp())
    for i in range(count):
        source = folder / f"{i}.txt"
        source.write_text(f"worker {worker} save {i}")
        ln.Artifact(str(source), key=pattern.format(w=worker, i=i)).save()
    print("done", worker, flush=True)
""")
OWN_KEYS = "w{w}/a{i}.txt"
ONE_KEY = "shared/versions.txt"

# runs `lamin check` until the writers are done; prints each report
CHECKER = textwrap.dedent("""
    import subprocess, sys, time
    args, stop = sys.argv[2:], sys.argv[1]
    import os
    rounds = 0
    while not os.path.exists(stop) or rounds == 0:
        done = subprocess.run([sys.executable, "-m", "lamin_kernel.cli", "check", *args],
                              capture_output=True, text=True)
        print(f"exit {done.returncode}")
        print(done.stdout)
        print(done.stderr, file=sys.stderr)
        rounds += 1
    print(f"rounds {rounds}")
""")


def start(script: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "LAMIN_VERBOSITY": "warning"}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen) -> tuple[str, str]:
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err[-3000:]
    return out, err


def run_with_checker(tmp: Path, keys: str, n_writers: int, *check_args: str) -> str:
    """Start the writers and a checker looping on `lamin check`; the checker's output."""
    stop = tmp / "writers-done"
    checker = start(CHECKER, str(stop), *check_args)
    writers = [start(WRITER, str(w), str(SAVES_PER_WRITER), keys) for w in range(n_writers)]
    for proc in writers:
        finish(proc)
    stop.write_text("done")
    out, _ = finish(checker)
    return out


def committed_files() -> dict[str, Path]:
    runtime.reset()
    return {a.uid: Path(str(a.path)) for a in ln.Artifact.filter(branch_id__in=[-1, 0, 1])}


@pytest.mark.slow
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_check_fix_racing_four_writers_never_takes_committed_bytes(instance: dict) -> None:
    # --grace 0: only the re-check under the placement lock stands between a save in
    # progress and its removal
    out = run_with_checker(instance["tmp"], OWN_KEYS, WRITERS, "--fix", "--grace", "0")
    files = committed_files()
    assert len(files) == WRITERS * SAVES_PER_WRITER
    lost = [uid for uid, path in files.items() if not path.exists()]
    assert lost == []
    removed = [line for line in out.splitlines() if line.startswith("removed orphan")]
    assert removed == [] and "exit 1" not in out, out[-3000:]
    assert_every_row_has_its_bytes()
    stored = [p for p in (Path(instance["storage"]) / ".lamindb").glob("*.txt")]
    assert len(stored) == len(files)


@pytest.mark.slow
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_plain_check_during_writes_reports_no_orphans(instance: dict) -> None:
    out = run_with_checker(instance["tmp"], OWN_KEYS, WRITERS, "--grace", "0")
    assert "orphan" not in out and "exit 1" not in out, out[-3000:]
    assert len(committed_files()) == WRITERS * SAVES_PER_WRITER


@pytest.mark.slow
@pytest.mark.backends("postgres-local")
def test_two_postgres_writers_of_one_key_make_one_version_family(instance: dict) -> None:
    out = run_with_checker(instance["tmp"], ONE_KEY, 2, "--fix", "--grace", "0")
    assert "removed orphan" not in out, out[-3000:]
    runtime.reset()
    versions = ln.Artifact.filter(key=ONE_KEY).to_list()
    assert len(versions) == 2 * SAVES_PER_WRITER
    assert len({v.uid[:16] for v in versions}) == 1  # one family
    assert len({v.uid for v in versions}) == len(versions)
    assert sum(v.is_latest for v in versions) == 1
    assert all(Path(str(v.path)).exists() for v in versions)
    assert_every_row_has_its_bytes()
