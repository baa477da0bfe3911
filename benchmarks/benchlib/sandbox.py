"""A fresh temporary home, settings folder, cache and instance for one side of one workload."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from workloads._child import error_line

# variables of the caller's environment that must not reach a child (without bytecode
# caches the editable lamin_kernel would be compiled from source in every child process,
# while LaminDB's installed packages have theirs)
DROPPED = (
    "PYTHONDONTWRITEBYTECODE",
    "VIRTUAL_ENV",
    "PYTHONHOME",
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_RUNTIME_DIR",
    "JUPYTER_DATA_DIR",
)


@dataclass
class Sandbox:
    """Everything a child process of one side sees."""

    root: Path
    python: Path
    env: dict[str, str]

    @property
    def instance(self) -> Path:
        return self.root / "inst"

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def make(impl: str, family: str, python: Path, pythonpath: list[Path]) -> Sandbox:
    """A new temp folder with ``settings/``, ``home/`` and ``cache/`` and its environment."""
    root = Path(tempfile.mkdtemp(prefix=f"lamin-bench-{family}-{impl}-"))
    return at(root, python, pythonpath)


def at(root: Path, python: Path, pythonpath: list[Path]) -> Sandbox:
    """The sandbox in a given folder (made if missing), kept across runs by its owner."""
    for sub in ("settings", "home", "cache"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in DROPPED and not k.startswith("LAMIN")}
    env.update(
        LAMIN_SETTINGS_DIR=str(root / "settings"),
        LAMIN_CACHE_DIR=str(root / "cache"),
        HOME=str(root / "home"),
        XDG_CACHE_HOME=str(root / "home" / ".cache"),
        PYTHONPATH=os.pathsep.join(str(p) for p in pythonpath),
        PATH=os.pathsep.join([str(python.parent), env.get("PATH", "/usr/bin:/bin")]),
    )
    return Sandbox(root, python, env)


def _lamin_command(sandbox: Sandbox, impl: str) -> list[str]:
    script = sandbox.python.parent / "lamin"
    if script.exists():
        return [str(script)]
    if impl == "lamindb":
        return [str(sandbox.python), "-m", "lamin_cli"]
    return [str(sandbox.python), "-m", "lamin_kernel.cli"]


def init_instance(
    sandbox: Sandbox, impl: str, modules: str | None, timeout_s: int = 300, db: str | None = None
) -> dict:
    """``lamin init --storage <sandbox>/inst [--modules ...] [--db URL]``; status and timing."""
    cmd = [*_lamin_command(sandbox, impl), "init", "--storage", str(sandbox.instance)]
    if modules:
        cmd += ["--modules", modules]
    if db:
        cmd += ["--db", db]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(
            cmd,
            env=sandbox.env,
            cwd=sandbox.root,
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "error": f"`lamin init` took more than {timeout_s} s"}
    out = {"init_s": round(time.perf_counter() - t0, 3), "command": " ".join(cmd[-4:])}
    if p.returncode != 0:
        out.update(
            status="unavailable" if impl == "lamin_kernel" else "error",
            error="lamin init failed: " + error_line(p.stderr + "\n" + p.stdout),
        )
    else:
        out["status"] = "ok"
    return out
