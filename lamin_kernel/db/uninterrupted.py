"""Steps that Ctrl+C must not cut in half: taking a pooled connection and giving it back.

SQLAlchemy's pool is not safe against a KeyboardInterrupt inside a checkout or a check-in:
an interrupt after the pool handed out a connection but before its caller holds it (or
half-way through returning it) leaves the connection checked out, with no one to return it.
A notebook kernel keeps the last traceback, and with it those frames: a few dozen
interrupts exhaust the pool, and the next query waits for a free connection, then fails.

Inside ``deferred_interrupt()`` a SIGINT is noted, not raised; it is raised (through the
handler that was in place: ``KeyboardInterrupt``, or the kernel's own) as soon as the step
is over. Only the main thread receives signals, so elsewhere the block runs as it is. The
steps kept inside are short: a checkout (and SQLite's BEGIN), a COMMIT, a ROLLBACK.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class _Noted:
    """The SIGINT handler while a step runs: it notes the signal."""

    def __init__(self) -> None:
        self.frame: FrameType | None = None
        self.arrived = False

    def __call__(self, _signum: int, frame: FrameType | None) -> None:
        self.arrived, self.frame = True, frame


@contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Run the block whole; a Ctrl+C that arrives meanwhile is raised when it is over."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if isinstance(previous, _Noted):  # inside another such step: that one raises it
        yield
        return
    noted = _Noted()
    try:
        signal.signal(signal.SIGINT, noted)
    except ValueError:  # not the main interpreter: no handler of ours
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if noted.arrived:
            _deliver(previous, noted.frame)


def _deliver(handler: object, frame: FrameType | None) -> None:
    """Hand a noted SIGINT to the handler that was in place."""
    if callable(handler):
        handler(signal.SIGINT, frame)
    elif handler == signal.SIG_DFL:
        raise KeyboardInterrupt
