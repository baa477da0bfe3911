"""What happens to a tracked run when its process ends without ``ln.finish()``.

- A script that dies of an uncaught exception: the run is ``failed``, with the error's
  summary (``sys.excepthook``); Ctrl+C makes it ``aborted``.
- A script that calls ``sys.exit()`` with a non-zero status (argparse and click do too):
  the run is ``failed`` with that status. Python runs no hook for ``SystemExit``, so
  ``sys.exit`` is wrapped in scripts to note the status; ``raise SystemExit(1)`` and
  ``os._exit()`` go unseen.
- A script that ends normally (``sys.exit(0)`` or ``sys.exit()`` included): the run is
  finished as ``ln.finish()`` would (source, ``finished_at``), so a script needs no
  ``finish()`` call.
- A kernel that shuts down with its notebook's run unfinished: the run is ``aborted``
  ("the kernel shut down before ln.finish()") and the kernel's state file is removed. An
  error in a notebook cell is not the end of the run: the user fixes the cell and goes on.

Nothing here ever raises: the process is ending, and the user's own error matters more.
"""

from __future__ import annotations

import atexit
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from .. import log, runtime
from . import kernel_state, state
from .ending import end_tracked
from .finisher import finish

_installed = False
_previous_excepthook: Callable[..., Any] | None = None
_previous_exit: Callable[..., Any] | None = None
_exit_status: object = None  # what the main thread last passed to sys.exit()


PROCESS_KINDS = ("script", "function")  # runs that end with their process


def install(kind: str) -> None:
    """Register the exit handlers once per process; in scripts, note sys.exit() statuses."""
    global _installed, _previous_excepthook, _previous_exit
    if not _installed:
        _previous_excepthook = sys.excepthook
        sys.excepthook = _excepthook
        atexit.register(_at_exit)
        _installed = True
    if kind in PROCESS_KINDS and _previous_exit is None:
        _previous_exit = sys.exit
        sys.exit = _exit


def _exit(status: object = None) -> None:
    """sys.exit() that notes the status first (a SystemExit reaches no Python hook)."""
    global _exit_status
    if threading.current_thread() is threading.main_thread():
        _exit_status = status
    if _previous_exit is not None:
        _previous_exit(status)
    raise SystemExit(status)


def exit_code(status: object) -> int:
    """The process's exit code for ``sys.exit(status)``: None is 0, a message is 1."""
    if status is None:
        return 0
    return int(status) if isinstance(status, int) else 1


def _exit_error(status: object) -> str | None:
    """The run's error for a script that called sys.exit(status), None when that is success."""
    code = exit_code(status)
    if code == 0:
        return None
    if isinstance(status, int):
        return f"the script exited with status {code} (sys.exit({status!r}))"
    return f"the script exited with status {code}: {status}"


def _connected_to_run_instance(tracked: state.Tracked) -> bool:
    """The run's instance is still the connected one (tests switch instances in one process)."""
    connection = runtime.connection()
    return connection is not None and tracked.instance_uid == connection.settings.uid


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    try:
        tracked = state.current()
        if tracked is not None and tracked.kind in PROCESS_KINDS and not tracked.finished:
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
        ends_here = tracked.kind == "script" or (
            tracked.kind in PROCESS_KINDS and tracked.kernel_id is None
        )
        error = _exit_error(_exit_status) if ends_here else None
        if error is not None:
            end_tracked(tracked, "failed", error=error)
        elif ends_here:
            finish()
        else:
            end_tracked(tracked, "aborted", None, "the kernel shut down before ln.finish()")
    except Exception as error:
        log.warning(f"could not end run {tracked.run.uid} at exit: {error}")
