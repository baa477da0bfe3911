"""What happens to a tracked run when its process ends without ``ln.finish()``.

- A script that dies of an uncaught exception: the run is ``failed``, with the error's
  summary (``sys.excepthook``); Ctrl+C makes it ``aborted``.
- A script that ends normally: the run is finished as ``ln.finish()`` would (source,
  ``finished_at``), so a script needs no ``finish()`` call.
- A kernel that shuts down with its notebook's run unfinished: the run is ``aborted``
  ("the kernel shut down before ln.finish()") and the kernel's state file is removed. An
  error in a notebook cell is not the end of the run: the user fixes the cell and goes on.

Nothing here ever raises: the process is ending, and the user's own error matters more.
"""

from __future__ import annotations

import atexit
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

from .. import log, runtime
from . import kernel_state, state
from .ending import end_tracked
from .finisher import finish

_installed = False
_previous_excepthook: Callable[..., Any] | None = None


def install() -> None:
    """Register the exit handlers once per process."""
    global _installed, _previous_excepthook
    if _installed:
        return
    _previous_excepthook = sys.excepthook
    sys.excepthook = _excepthook
    atexit.register(_at_exit)
    _installed = True


def _connected_to_run_instance(tracked: state.Tracked) -> bool:
    """The run's instance is still the connected one (tests switch instances in one process)."""
    connection = runtime.connection()
    return connection is not None and tracked.instance_uid == connection.settings.uid


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    try:
        tracked = state.current()
        if tracked is not None and tracked.kind == "script" and not tracked.finished:
            _mark_failed(tracked, exc)
    finally:
        (_previous_excepthook or sys.__excepthook__)(exc_type, exc, tb)


def _mark_failed(tracked: state.Tracked, exc: BaseException) -> None:
    if not _connected_to_run_instance(tracked):
        return
    status = "aborted" if isinstance(exc, KeyboardInterrupt) else "failed"
    try:
        end_tracked(tracked, status, exc)
    except Exception as error:  # the database went away with the process
        log.warning(f"could not mark run {tracked.run.uid} as {status}: {error}")


def _at_exit() -> None:
    tracked = state.current()
    if tracked is None:
        return
    if tracked.kernel_id is not None:
        kernel_state.remove_state(tracked.kernel_id)
    if tracked.finished or not _connected_to_run_instance(tracked):
        return
    try:
        if tracked.kind == "script":
            finish()
        else:
            end_tracked(tracked, "aborted", None, "the kernel shut down before ln.finish()")
    except Exception as error:
        log.warning(f"could not end run {tracked.run.uid} at exit: {error}")
