"""Messages for people, in LaminDB's style: '→' info, '!' warning, '✓' success."""

from __future__ import annotations

import os
import sys

LEVELS = {"error": 0, "warning": 1, "success": 2, "info": 3, "hint": 4, "debug": 5}
_chosen: int | None = None  # set by ln.settings.verbosity; wins over LAMIN_VERBOSITY


def verbosity() -> int:
    """0 errors only ... 5 debug; `ln.settings.verbosity`, else LAMIN_VERBOSITY, else 3 (info)."""
    if _chosen is not None:
        return _chosen
    value = os.environ.get("LAMIN_VERBOSITY", "info")
    return LEVELS.get(value, int(value) if value.isdigit() else 3)


def set_verbosity(level: int | None) -> None:
    """Choose the verbosity of this process (None: back to LAMIN_VERBOSITY or the default)."""
    global _chosen
    _chosen = level


def _emit(symbol: str, message: str, level: str) -> None:
    if LEVELS[level] <= verbosity():
        print(f"{symbol} {message}" if symbol else message, file=sys.stdout, flush=True)


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
