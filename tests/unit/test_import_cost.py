"""`import lamin_kernel` is cheap and does no I/O."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "pandas",
    "anndata",
    "pyarrow",
    "IPython",
    "ipywidgets",
    "jupyter_server",
    "nbconvert",
    "plotly",
    "sqlalchemy",
    "sqlmodel",
    "numpy",
)


def test_import_loads_no_heavy_module(tmp_path) -> None:
    code = (
        "import sys, json; import lamin_kernel as ln; "
        "print(json.dumps(sorted(m for m in sys.modules)))"
    )
    env = {"LAMIN_SETTINGS_DIR": str(tmp_path / "nowhere"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    loaded = set(json.loads(out.stdout))
    heavy = [m for m in HEAVY if m in loaded or any(x.startswith(m + ".") for x in loaded)]
    assert heavy == []
    assert not (tmp_path / "nowhere").exists()  # nothing read or written at import
