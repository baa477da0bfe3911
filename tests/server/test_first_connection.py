"""The server's first connection prepares every registry before a request queries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MAKE = """
import sys
from lamin_kernel.setup import instance as setup_instance

setup_instance.init(sys.argv[1], name="bt-connect", modules=["bionty"])
"""
CHECK = """
import sys
from lamin_kernel.models import Artifact
from lamin_kernel.server.instance import ensure_connected

assert "lamin_kernel.bionty" not in sys.modules, "bionty imported before the first request"
ensure_connected()
assert "lamin_kernel.bionty" in sys.modules, "bionty not imported by the first connection"
assert "cell_types" in Artifact.__mapper__.relationships, "mappers not configured"
print("ok")
"""


def test_first_connection_imports_and_maps_the_instance_modules(tmp_path: Path) -> None:
    # a fresh process: the import state of bionty is what the test is about
    env = {
        **os.environ,
        "LAMIN_SETTINGS_DIR": str(tmp_path / "settings"),
        "LAMIN_CACHE_DIR": str(tmp_path / "cache"),
    }
    for script in (MAKE, CHECK):  # the instance is current (settings dir) for the check
        done = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "storage")],
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok")
