"""Tracking notebooks, scripts and flows: ``track``, ``finish``, ``flow``, ``context``, and
the ``lamin save`` / ``lamin load`` operations.

Re-exports only, resolved on first access: importing a building block (``tracking.detect``,
``tracking.kernel_state``) must not load the registries.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "track": "lamin_kernel.tracking.tracker",
    "finish": "lamin_kernel.tracking.finisher",
    "flow": "lamin_kernel.tracking.flows",
    "context": "lamin_kernel.tracking.current",
    "start_tracking": "lamin_kernel.tracking.tracker",
    "TrackRequest": "lamin_kernel.tracking.tracker",
    "save_file": "lamin_kernel.tracking.file_saver",
    "load_source": "lamin_kernel.tracking.file_loader",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'lamin_kernel.tracking' has no attribute '{name}'")
    return getattr(import_module(_EXPORTS[name]), name)
