"""Messages for people, in LaminDB's style: '→' info, '!' warning, '✓' success."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

LEVELS = {"error": 0, "warning": 1, "success": 2, "info": 3, "hint": 4, "debug": 5}
_chosen: int | None = None  # set by ln.settings.verbosity; wins over LAMIN_VERBOSITY


def verbosity() -> int:
    """0 errors only ... 5 debug; `ln.settings.verbosity`, else LAMIN_VERBOSITY, else 3 (info)."""
    if _chosen is not None:
        return _chosen
    value = os.environ.get("LAMIN_VERBOSITY", "info")
    return LEVELS.get(value, int(value) if value.isdigit() else 3)


@contextmanager
def muted(mute: bool = True) -> Iterator[None]:
    """Errors only inside the block when `mute` (LaminDB's `mute=True` arguments)."""
    global _chosen
    before = _chosen
    if mute:
        _chosen = 0
    try:
        yield
    finally:
        _chosen = before


def set_verbosity(level: int | None) -> None:
    """Choose the verbosity of this process (None: back to LAMIN_VERBOSITY or the default)."""
    global _chosen
    _chosen = level


STDLIB_LEVELS = {
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "success": logging.INFO,
    "info": logging.INFO,
    "hint": logging.INFO,
    "debug": logging.DEBUG,
}


class _StdoutHandler(logging.Handler):
    """Prints a message as LaminDB does: its symbol, then the text, on the current stdout."""

    def emit(self, record: logging.LogRecord) -> None:
        symbol = getattr(record, "symbol", "")
        message = record.getMessage()
        print(f"{symbol} {message}" if symbol else message, file=sys.stdout, flush=True)
        if record.exc_info and record.exc_info[0] is not None:
            # a logged exception keeps its traceback (the server's "see the log" points here)
            trace = "".join(traceback.format_exception(*record.exc_info))
            print(trace, end="", file=sys.stderr, flush=True)


# `ln.logger`: every message goes through this stdlib logger, so logging tools (pytest's
# caplog, a handler of the application) see it; it prints itself and does not propagate.
logger = logging.getLogger("lamin_kernel")
logger.propagate = False
logger.setLevel(logging.DEBUG)
if not any(isinstance(h, _StdoutHandler) for h in logger.handlers):
    logger.addHandler(_StdoutHandler())


def _emit(symbol: str, message: str, level: str) -> None:
    if LEVELS[level] <= verbosity():
        logger.log(STDLIB_LEVELS[level], message, extra={"symbol": symbol})


def info(message: str) -> None:
    _emit("→", message, "info")


def plain(message: str) -> None:
    """An info-level line without a symbol (hints under a warning, as LaminDB prints them)."""
    _emit("", message, "info")


def important(message: str) -> None:
    _emit("→", message, "warning")


def success(message: str) -> None:
    _emit("✓", message, "success")


def warning(message: str) -> None:
    _emit("!", message, "warning")


def debug(message: str) -> None:
    _emit("•", message, "debug")
