"""``ln.context``: the Transform and Run that saved records are linked to right now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import runtime
from . import state


class Context:
    """The current transform and run: the tracked notebook or script's, or a running flow's."""

    @property
    def transform(self) -> Any | None:
        return runtime.current_transform()

    @property
    def run(self) -> Any | None:
        return runtime.current_run()

    @property
    def path(self) -> Path | None:
        """The tracked notebook or script file."""
        tracked = state.current()
        return None if tracked is None else tracked.path

    def __repr__(self) -> str:
        transform, run = self.transform, self.run
        if run is None:
            return "Context(not tracking: call ln.track())"
        return f"Context(transform={transform.uid!r} key={transform.key!r}, run={run.uid!r})"


context = Context()
