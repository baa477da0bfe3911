"""How many Python calls an action makes in chosen source folders (the n-th of which an
interrupt sweep hits)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def calls_made(action: Callable[[], Any], prefixes: tuple[str, ...]) -> int:
    """Run `action` once, counting calls of functions whose file starts with one of `prefixes`."""
    count = 0

    def counter(frame: Any, event: str, _arg: Any) -> None:
        nonlocal count
        if event == "call" and frame.f_code.co_filename.startswith(prefixes):
            count += 1

    sys.setprofile(counter)
    try:
        action()
    finally:
        sys.setprofile(None)
    return count
