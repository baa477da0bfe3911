"""Ctrl+C at a chosen point: a real SIGINT that this process sends itself from a profile hook,
so Python raises KeyboardInterrupt right there (as the notebook's stop button would)."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def ctrl_c_at(event: str, names: tuple[str, ...]) -> Iterator[list[str]]:
    """SIGINT at the first `event` ("call" or "return") of a function with one of these
    names inside the block; the yielded list holds the name once it landed."""
    landed: list[str] = []

    def hook(frame: Any, seen: str, _arg: Any) -> None:
        if seen == event and frame.f_code.co_name in names and not landed:
            landed.append(frame.f_code.co_name)
            os.kill(os.getpid(), signal.SIGINT)

    sys.setprofile(hook)
    try:
        yield landed
    finally:
        sys.setprofile(None)
