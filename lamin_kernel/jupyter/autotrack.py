"""Auto-track: every notebook is tracked when its kernel runs its first cell, without a line of code.

``lamin settings set auto-track true`` writes an IPython startup file that loads this
extension in every kernel (``tracking.startup_file``). Loading costs a few milliseconds:
the extension imports nothing heavy, and the tracking itself (database, registries)
happens at the first cell, whose output shows the usual ``track()`` messages. A first cell that calls ``track(...)`` itself is left to do so.
Consoles and kernels without a notebook are not tracked, silently.
"""

from __future__ import annotations

from typing import Any

from .. import log, tracking
from ..errors import InvalidArgument
from ..setup.settings_files import load_user_settings
from ..tracking import state


class AutoTracker:
    """Tracks the notebook before the kernel's first cell runs, once."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell

    def enable(self) -> None:
        self.shell.events.register("pre_run_cell", self.before_first_cell)

    def before_first_cell(self, info: Any = None) -> None:
        self.shell.events.unregister("pre_run_cell", self.before_first_cell)
        source = getattr(info, "raw_cell", "") or ""
        if state.current() is not None or "track(" in source:
            return
        track_automatically()


def track_automatically() -> None:
    """Start tracking the kernel's notebook; quiet when there is none."""
    try:  # the registries and the database load here, at the first cell, not at kernel start
        tracking.start_tracking(tracking.TrackRequest(auto=True))
    except InvalidArgument:
        return  # a console or a kernel without a notebook: nothing to track
    except Exception as exc:  # never break the user's first cell
        log.warning(f"auto-track could not track this notebook: {exc}")


def auto_track_enabled() -> bool:
    try:
        return bool(load_user_settings().auto_track)
    except (OSError, ValueError, TypeError):
        return False
