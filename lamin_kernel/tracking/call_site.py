"""The call site of a save or load: the running notebook cell, or the file and line of the call.

Registered with ``records.call_sites`` when tracking starts. The cell comes from the kernel
front end (``jupyter/``), reached through the ``CURRENT_CELL`` runtime hook; the file and line
are those of the first frame outside this package. Both are read from memory: nothing here
touches the database or the disk, so a save or load pays microseconds for it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from types import FrameType

from .. import runtime
from ..records.call_sites import CallSite, register_call_site_provider
from . import state

_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent) + os.sep
_MAX_FRAMES = 200


def register() -> None:
    """Make this module the provider of call sites (idempotent)."""
    register_call_site_provider(current_call_site)


def current_call_site() -> CallSite | None:
    """The cell (in a kernel) or the file and line (elsewhere) of the user's call."""
    frame = _user_frame()
    cell = _current_cell()
    if cell is not None:
        line = frame.f_lineno if frame is not None and _is_cell_code(frame) else None
        return replace(cell, call_line=line)
    if frame is None:
        return None
    return CallSite(call_file=_display_path(frame.f_code.co_filename), call_line=frame.f_lineno)


def _current_cell() -> CallSite | None:
    for hook in runtime.hooks(state.CURRENT_CELL):
        cell = hook()
        if cell is not None:
            return cell
    return None


def _user_frame() -> FrameType | None:
    """The innermost frame that is not this package's code (nor Python's own machinery)."""
    frame: FrameType | None = sys._getframe(2)
    for _ in range(_MAX_FRAMES):
        if frame is None:
            return None
        name = frame.f_code.co_filename
        if not (name.startswith(_PACKAGE_DIR) or name.startswith("<frozen")):
            return frame
        frame = frame.f_back
    return None


def _is_cell_code(frame: FrameType) -> bool:
    """IPython compiles each cell under a name of its own (``/tmp/ipykernel_<pid>/<n>.py``)."""
    name = frame.f_code.co_filename
    return name.startswith("<ipython-input-") or "ipykernel_" in name


def _display_path(filename: str) -> str:
    """Relative to the tracked script's folder (or the working directory) when inside it."""
    tracked = state.current()
    bases = [tracked.path.parent] if tracked is not None and tracked.path is not None else []
    bases.append(Path.cwd())
    path = Path(filename)
    for base in bases:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return filename
