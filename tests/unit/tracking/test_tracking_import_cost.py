"""Importing the tracking building blocks loads no heavy or front-end module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
HEAVY = ["IPython", "ipykernel", "nbconvert", "nbformat", "jupyter_server", "requests", "pandas"]
CODE = f"""
import sys
import lamin_kernel.tracking.detect, lamin_kernel.tracking.environment
import lamin_kernel.tracking.imports, lamin_kernel.tracking.jupyter_sessions
import lamin_kernel.tracking.report, lamin_kernel.records.source_code
print(" ".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def test_no_heavy_module_on_import() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CODE], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


FRONT_END_CODE = """
import sys
import lamin_kernel.tracking.kernel_state, lamin_kernel.tracking.state
import lamin_kernel.jupyter.extension
heavy = ["sqlalchemy", "sqlmodel", "pandas", "nbconvert", "nbformat", "jupyter_server"]
print(" ".join(name for name in heavy if name in sys.modules))
"""


def test_kernel_state_and_extension_load_no_registry() -> None:
    """The server reads kernel state, and kernels load the extension at start: both stay cheap."""
    result = subprocess.run(
        [sys.executable, "-c", FRONT_END_CODE], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
