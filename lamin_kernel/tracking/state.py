"""What ``ln.track()`` is tracking in this process, behind accessors so tests can reset it.

The current run itself lives in ``runtime`` (a ContextVar that flows also set); this module
keeps what only the tracked notebook or script has: its file, how it was found, when it
started, the artifacts it loaded and saved so far, and whether it was started by auto-track.
All of it is plain data (the run and transform as ``runtime.RunRef`` values): a rollback
cannot expire it, and reading it never needs the database. Front ends learn about changes
through the ``runtime`` hooks named here; a hook that fails is logged and never stops tracking.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .. import log, runtime
from ..runtime import RunRef, TransformRef
from . import kernel_state

Kind = Literal["notebook", "script", "function"]

# runtime hook events that front ends (jupyter/) register for
STATE_CHANGED = "tracking_state_changed"  # func(state: dict) -> None
BEFORE_FINISH = "before_finish"  # func(path: Path) -> bool | None (True: the file was saved)
EXECUTED_CELLS = "notebook_executed_cells"  # func() -> ExecutedCells | None
CURRENT_CELL = "notebook_current_cell"  # func() -> records.call_sites.CallSite | None


@dataclass
class ExecutedCells:
    """What a kernel ran: recent raw cell sources and when the last one before now started."""

    recent_sources: list[str]
    last_started: float | None  # time.time() of the cell before the running one


@dataclass
class Tracked:
    """The notebook or script that ``ln.track()`` started a run for (values only)."""

    run: RunRef
    kind: Kind
    path: Path | None
    instance_uid: str | None = None
    auto: bool = False
    started: float = field(default_factory=time.monotonic)
    kernel_id: str | None = None
    inputs: set[int] = field(default_factory=set)
    outputs: set[int] = field(default_factory=set)
    finished: bool = False

    @property
    def transform(self) -> TransformRef:
        assert self.run.transform is not None
        return self.run.transform


_tracked: Tracked | None = None


def current() -> Tracked | None:
    """The tracked notebook or script, or None before ``ln.track()``; None too while another
    instance than the run's is in use (after connecting to another one, its next
    ``ln.track()`` starts a run there; the run is current again when its instance is)."""
    if _tracked is None or not runtime.belongs_to_instance_in_use(_tracked.instance_uid):
        return None
    return _tracked


def set_current(tracked: Tracked | None) -> None:
    global _tracked
    _tracked = tracked


def reset() -> None:
    """Forget what is tracked (tests; the run rows stay as they are)."""
    set_current(None)


def snapshot(tracked: Tracked | None = None) -> dict[str, Any]:
    """The tracked state in the shape of GET notebook-state (docs/rest-api.md)."""
    tracked = current() if tracked is None else tracked
    if tracked is None:
        return {"tracked": False}
    transform, run = tracked.transform, tracked.run
    return {
        "tracked": True,
        "transform": {
            "uid": transform.uid,
            "key": transform.key,
            "version_tag": transform.version_tag,
        },
        "run": {
            "uid": run.uid,
            "started_at": _iso(run.started_at),
            "finished_at": _iso(run.finished_at),
        },
        "n_inputs": len(tracked.inputs),
        "n_outputs": len(tracked.outputs),
    }


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def notify() -> None:
    """Write the kernel's state file and tell front ends; their failures never break tracking."""
    try:
        tracked = current()
        state = snapshot(tracked)
        if tracked is not None and tracked.kernel_id is not None:
            kernel_state.write_state(tracked.kernel_id, state, tracked.path)
    except Exception as exc:  # a full disk, a settings folder gone: the run goes on
        log.warning(f"could not write the kernel's tracking state: {exc}")
        return
    runtime.call_hooks(STATE_CHANGED, state, failure="could not tell the front end what is tracked")
