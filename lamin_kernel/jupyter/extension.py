"""``%load_ext lamin_kernel``: the ``%lamin`` magics, and in a kernel the front-end hooks.

Loaded by the user, by the auto-track startup file, or by ``ln.track()`` in a kernel (so
``finish()`` can have JupyterLab save the notebook). Loading imports nothing heavy: the
registries and the database load when a command needs them.
"""

from __future__ import annotations

from typing import Any

from .autotrack import AutoTracker, auto_track_enabled
from .cell_hooks import CurrentCell
from .kernel_hooks import KernelFrontEnd
from .magics import LaminMagics

_front_ends: dict[int, KernelFrontEnd] = {}  # id(shell) -> its hooks, registered once


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%lamin``; in a kernel, the hooks; with auto-track on, track at the first cell."""
    ipython.register_magics(LaminMagics)
    if getattr(ipython, "kernel", None) is None:
        return  # a terminal IPython: magics only
    if id(ipython) not in _front_ends:
        front_end = KernelFrontEnd(ipython)
        front_end.register()
        CurrentCell(ipython).register()
        _front_ends[id(ipython)] = front_end
        if auto_track_enabled():
            AutoTracker(ipython).enable()


def front_end(ipython: Any) -> KernelFrontEnd | None:
    """The hooks registered for a shell (tests)."""
    return _front_ends.get(id(ipython))
