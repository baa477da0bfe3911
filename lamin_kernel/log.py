"""Messages for people, in LaminDB's style: '→' info, '!' warning, '✓' success."""

from __future__ import annotations

import os
import sys

_LEVELS = {"error": 0, "warning": 1, "success": 2, "info": 3, "debug": 4}


def verbosity() -> int:
    """0 errors only ... 4 debug; LAMIN_VERBOSITY overrides the default of 3 (info)."""
    value = os.environ.get("LAMIN_VERBOSITY", "info")
    return _LEVELS.get(value, int(value) if value.isdigit() else 3)


def _emit(symbol: str, message: str, level: str) -> None:
    if _LEVELS[level] <= verbosity():
        print(f"{symbol} {message}" if symbol else message, file=sys.stdout, flush=True)


def info(message: str) -> None:
    _emit("→", message, "info")


def important(message: str) -> None:
    _emit("→", message, "warning")


def success(message: str) -> None:
    _emit("✓", message, "success")


def warning(message: str) -> None:
    _emit("!", message, "warning")


def debug(message: str) -> None:
    _emit("•", message, "debug")
