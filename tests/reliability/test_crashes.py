"""A writer killed with SIGKILL mid-save leaves no row without bytes; check --fix cleans bytes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime

SAVER = textwrap.dedent("""
    import sys
    import lamin_kernel as ln
    print("ready", flush=True)
    ln.Artifact(sys.argv[1], key="big.bin").save()
    print("saved", flush=True)
""")

GIB = 1024**3


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.bin"
    block = os.urandom(1024 * 1024)
    with open(path, "wb") as fh:
        for _ in range(GIB // len(block)):
            fh.write(block)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 1.0, 2.0])
def test_sigkill_during_save(instance: dict, big_file: Path, delay: float) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(big_file)],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    runtime.reset()
    rows = ln.Artifact.filter(branch_id__in=[-1, 0, 1]).to_list()
    for row in rows:  # a row only if its bytes are all there
        assert Path(str(row.path)).stat().st_size == big_file.stat().st_size
    fixed = subprocess.run(
        [sys.executable, "-m", "lamin_kernel.cli", "check", "--fix"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    lamindb = Path(instance["storage"]) / ".lamindb"
    stored = [p for p in lamindb.rglob("*") if p.is_file() and not p.name.startswith("lamin")]
    assert len(stored) == len(rows)
