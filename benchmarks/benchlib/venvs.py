"""The two Python environments: the project's own and a separate one with LaminDB 2.12."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LAMINDB_SPEC = "lamindb==2.12.*"
LAMINDB_VENV = ".bench-venv-lamindb"
MARKER = ".bench-ok"

PACKAGES = {
    "lamindb": (
        "lamindb",
        "lamindb-core",
        "lamindb_setup",
        "lamin_cli",
        "bionty",
        "django",
        "pandas",
        "pyarrow",
        "anndata",
        "numpy",
    ),
    "lamin_kernel": (
        "lamin_kernel",
        "sqlmodel",
        "sqlalchemy",
        "pydantic",
        "pandas",
        "pyarrow",
        "anndata",
        "numpy",
        "blake3",
        "jupyter_server",
    ),
}


def lamin_kernel_python(repo: Path) -> Path:
    """The project's venv python (the one ``make`` uses), else the running one."""
    candidate = repo / ".venv" / "bin" / "python"
    return candidate if candidate.exists() else Path(sys.executable)


def ensure_lamindb_venv(repo: Path, log_path: Path) -> Path:
    """Create ``.bench-venv-lamindb`` once with ``pip install lamindb==2.12.*``; return its python."""
    venv = repo / LAMINDB_VENV
    python = venv / "bin" / "python"
    marker = venv / MARKER
    if python.exists() and marker.exists() and marker.read_text().strip() == LAMINDB_SPEC:
        return python
    print(
        f"[bench] creating {LAMINDB_VENV}/ with pip install '{LAMINDB_SPEC}' (about a minute)",
        file=sys.stderr,
        flush=True,
    )
    with open(log_path, "w") as log:
        if not python.exists():
            subprocess.run(
                [sys.executable, "-m", "venv", str(venv)],
                check=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", LAMINDB_SPEC],
            check=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    check = subprocess.run(
        [str(python), "-c", "import lamindb, bionty"], capture_output=True, text=True
    )
    if check.returncode != 0:
        raise RuntimeError(f"lamindb does not import in {LAMINDB_VENV}: {check.stderr[-500:]}")
    marker.write_text(LAMINDB_SPEC + "\n")
    return python


def versions(python: Path, impl: str, extra_path: str = "") -> dict[str, str]:
    """Python and package versions as seen by ``python`` (missing ones as ``-``)."""
    code = (
        "import json, platform, importlib.metadata as m\n"
        "out = {'python': platform.python_version()}\n"
        f"for p in {PACKAGES[impl]!r}:\n"
        "    try: out[p] = m.version(p)\n"
        "    except Exception: out[p] = '-'\n"
        "print(json.dumps(out))\n"
    )
    env = dict(os.environ, PYTHONPATH=extra_path) if extra_path else None
    p = subprocess.run([str(python), "-c", code], capture_output=True, text=True, env=env)
    return json.loads(p.stdout) if p.returncode == 0 else {"error": p.stderr[-300:]}
