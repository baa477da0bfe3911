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
        [sys.executable, "-m", "lamin_kernel.cli", "check", "--fix", "--grace", "0"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    lamindb = Path(instance["storage"]) / ".lamindb"
    stored = [p for p in lamindb.rglob("*") if p.is_file() and not p.name.startswith("lamin")]
    assert len(stored) == len(rows)


def _track_in_kernel(notebook: Path) -> object:
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "JPY_SESSION_NAME": str(notebook)}
    km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(notebook.parent))
    reply = kc.execute_interactive("import lamin_kernel as ln\nln.track()", timeout=120)
    assert reply["content"]["status"] == "ok"
    return km, kc


@pytest.mark.slow
def test_kernel_killed_during_a_run_leaves_it_unfinished(instance: dict, tmp_path: Path) -> None:
    import nbformat

    notebook = tmp_path / "analysis.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import lamin_kernel as ln\nln.track()")]
    nbformat.write(nb, notebook)
    km, kc = _track_in_kernel(notebook)
    kc.stop_channels()
    os.kill(km.provisioner.process.pid, signal.SIGKILL)
    km.cleanup_resources()
    runtime.reset()
    first = ln.Run.filter(transform__key="analysis.ipynb").one()
    assert first.finished_at is None and first.status in (None, "started")
    km, kc = _track_in_kernel(notebook)
    try:
        runtime.reset()
        runs = ln.Run.filter(transform__key="analysis.ipynb").order_by("id").to_list()
        assert (
            len(runs) == 2 and runs[0].id == first.id and runs[1].transform_id == first.transform_id
        )
        assert runs[0].finished_at is None  # the killed run stays visible as unfinished
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
