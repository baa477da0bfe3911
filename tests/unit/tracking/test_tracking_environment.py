"""The environment text: complete, sorted, deterministic and fast."""

from __future__ import annotations

import importlib.metadata as metadata
import subprocess
import sys
import time
from pathlib import Path

from lamin_kernel.tracking.environment import environment_text, installed_distributions

REPO = Path(__file__).resolve().parents[3]


def test_lists_installed_distributions() -> None:
    text = environment_text()
    lines = text.splitlines()
    assert text.endswith("\n")
    assert f"pytest=={metadata.version('pytest')}" in lines
    assert f"nbformat=={metadata.version('nbformat')}" in lines
    assert lines == sorted(lines, key=lambda line: line.split("==")[0].lower().replace("_", "-"))
    assert len(lines) == len({line.split("==")[0].lower() for line in lines})


def test_same_environment_same_text_across_processes() -> None:
    code = "from lamin_kernel.tracking.environment import environment_text; print(environment_text(), end='')"
    other = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert other == environment_text()


def test_fast() -> None:
    start = time.perf_counter()
    installed_distributions()
    elapsed = time.perf_counter() - start
    print(f"environment_text: {elapsed:.3f} s for {len(installed_distributions())} distributions")
    assert installed_distributions()  # the figure is printed; timings are not asserted
