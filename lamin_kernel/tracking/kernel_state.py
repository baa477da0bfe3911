"""A kernel's tracked state as a small JSON file the Jupyter server can read without asking it.

The kernel writes ``$LAMIN_SETTINGS_DIR/lamin_kernel/kernels/<kernel_id>.json`` at
``track()``, after each saved or loaded artifact and at ``finish()``; the server's
GET notebook-state calls ``read_state()``. The kernel's shell channel is busy while a cell
runs, so a file is the one way to answer during a long cell. Writes are atomic (temporary
name, then rename); a file whose kernel process is gone counts as no state.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from ..setup.paths import settings_dir
from .jupyter_sessions import current_kernel_id

_SHAPE = ("tracked", "transform", "run", "n_inputs", "n_outputs")


def state_dir() -> Path:
    """The folder of the kernels' state files."""
    return settings_dir() / "kernels"


def state_file(kernel_id: str) -> Path:
    if not kernel_id or "/" in kernel_id or kernel_id.startswith("."):
        raise ValueError(f"not a kernel id: {kernel_id!r}")
    return state_dir() / f"{kernel_id}.json"


def write_state(kernel_id: str, state: dict[str, Any], notebook: Path | None = None) -> Path:
    """Atomically write a kernel's state, with its pid and notebook path for ``read_state``."""
    target = state_file(kernel_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        **state,
        "kernel_id": kernel_id,
        "pid": os.getpid(),
        "path": None if notebook is None else str(notebook),
        "updated_at": time.time(),
    }
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{kernel_id}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def remove_state(kernel_id: str) -> None:
    """Forget a kernel's state (its process is ending)."""
    try:
        state_file(kernel_id).unlink(missing_ok=True)
    except (OSError, ValueError):
        pass


def read_state(kernel_id: str | None = None, path: str | Path | None = None) -> dict | None:
    """The tracked state of a live kernel, by kernel id or by notebook path; None if unknown.

    Without arguments: the kernel this code runs in. The answer has the shape of
    GET notebook-state: ``{"tracked", "transform", "run", "n_inputs", "n_outputs"}``.
    """
    if kernel_id is None and path is None:
        kernel_id = current_kernel_id()
        if kernel_id is None:
            return None
    if kernel_id is not None:
        try:
            payload = _load(state_file(kernel_id))
        except ValueError:
            return None
        return _public(payload) if payload is not None else None
    return _find_by_path(Path(path))  # type: ignore[arg-type]


def _find_by_path(path: Path) -> dict | None:
    """The most recently updated live state whose notebook is ``path``."""
    try:
        files = list(state_dir().glob("*.json"))
    except OSError:
        return None
    matches = [p for p in (_load(f) for f in files) if p is not None and _same(p.get("path"), path)]
    if not matches:
        return None
    return _public(max(matches, key=lambda p: p.get("updated_at") or 0))


def _same(recorded: str | None, wanted: Path) -> bool:
    """Absolute paths compare resolved; a relative (API) path matches the end of the recorded one."""
    if not recorded:
        return False
    recorded_path = Path(recorded)
    if wanted.is_absolute():
        return _resolved(recorded_path) == _resolved(wanted)
    return recorded_path.parts[-len(wanted.parts) :] == wanted.parts


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def _load(file: Path) -> dict | None:
    """A state file's content if its kernel process is alive."""
    try:
        payload = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(payload, dict) or not _pid_alive(payload.get("pid")):
        return None
    return payload


def _public(payload: dict) -> dict:
    if not payload.get("tracked"):
        return {"tracked": False}
    return {key: payload.get(key) for key in _SHAPE}


def _pid_alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
