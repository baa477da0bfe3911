"""What the kernel front end gives ``tracking``: status messages, notebook saves, executed cells.

Registered as ``runtime`` hooks when the extension loads in a kernel:

- ``tracking_state_changed``: a ``status`` comm message to JupyterLab.
- ``before_finish``: a ``save_request`` comm message, then a wait of up to
  ``LAMIN_SAVE_TIMEOUT`` seconds (default 5) for the file's mtime to change. It asks only
  when a frontend can be there (the kernel runs in a Jupyter server session, or a frontend
  answered before); it never waits for the reply, which cannot arrive while the cell runs.
- ``notebook_executed_cells``: the recent raw cell sources and when the cell before the
  running one started, so ``finish()`` can tell that nobody saved the file.
"""

from __future__ import annotations

import json
import os
import time
from collections import deque
from pathlib import Path
from typing import Any

from .. import runtime
from ..tracking import state
from .comm_channel import CommChannel

DEFAULT_SAVE_TIMEOUT = 5.0
POLL_INTERVAL = 0.02
RECENT_CELLS = 3


class KernelFrontEnd:
    """The hooks of one kernel, with the comm and the start times of its cells."""

    def __init__(self, shell: Any, channel: CommChannel | None = None) -> None:
        self.shell = shell
        self.channel = channel or CommChannel()
        self._cell_starts: deque[float] = deque(maxlen=2)

    def register(self) -> None:
        runtime.add_hook(state.STATE_CHANGED, self.send_status)
        runtime.add_hook(state.BEFORE_FINISH, self.save_notebook)
        runtime.add_hook(state.EXECUTED_CELLS, self.executed_cells)
        self.shell.events.register("pre_run_cell", self.cell_started)
        self.cell_started()  # loaded from a running cell: it started about now

    def cell_started(self, *_info: Any) -> None:
        self._cell_starts.append(time.time())

    def send_status(self, snapshot: dict[str, Any]) -> None:
        self.channel.send({"type": "status", **snapshot})

    def save_notebook(self, path: Path, expect_frontend: bool) -> bool | None:
        """Ask the frontend to save ``path``; True once the file changed on disk."""
        if not (expect_frontend or self.channel.frontend_answered):
            return None
        before = _mtime(path)
        self.channel.request_save()
        deadline = time.monotonic() + save_timeout()
        while time.monotonic() < deadline:
            if _mtime(path) != before and _complete(path):
                return True
            time.sleep(POLL_INTERVAL)
        return False

    def executed_cells(self) -> state.ExecutedCells:
        raw = list(getattr(self.shell.history_manager, "input_hist_raw", []) or [])
        recent = [source for source in raw[-RECENT_CELLS:] if source.strip()]
        previous = self._cell_starts[0] if len(self._cell_starts) == 2 else None
        return state.ExecutedCells(recent_sources=recent, last_started=previous)


def save_timeout() -> float:
    try:
        return float(os.environ.get("LAMIN_SAVE_TIMEOUT", DEFAULT_SAVE_TIMEOUT))
    except ValueError:
        return DEFAULT_SAVE_TIMEOUT


def _complete(path: Path) -> bool:
    """The file holds a whole notebook and is not being written: Jupyter's contents manager
    writes in place, so the mtime moves when the write begins, not when it ends."""
    stamp = _mtime(path)
    try:
        json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return _mtime(path) == stamp


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
