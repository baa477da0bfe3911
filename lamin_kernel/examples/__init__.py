"""Examples (`ln.examples`): datasets made offline, and Croissant metadata for one of them.

Submodules load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["croissant", "datasets", "schemas"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
