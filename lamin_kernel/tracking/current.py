"""``ln.context``: the Transform and Run that saved records are linked to right now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import runtime
from ..errors import InvalidArgument
from . import state


class Context:
    """The current transform and run: the tracked notebook or script's, or a running flow's.

    `version` is set before `ln.track()` to tag the tracked transform
    (`ln.context.version = "1"`); `project`, `space` and `branch` are what the last
    `ln.track()` was given.
    """

    def __init__(self) -> None:
        self._version: str | None = None
        self.labels: dict[str, Any] = {}

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

    @property
    def version(self) -> str | None:
        """The version tag the next `ln.track()` gives its transform."""
        return self._version

    @version.setter
    def version(self, value: str | None) -> None:
        if value is not None and not isinstance(value, str):
            raise InvalidArgument(f"a version is a string such as '1' or '0.2', got {value!r}")
        self._version = value

    @property
    def project(self) -> Any | None:
        return self.labels.get("project")

    @property
    def space(self) -> Any | None:
        return self.labels.get("space")

    @property
    def branch(self) -> Any | None:
        return self.labels.get("branch")

    def __repr__(self) -> str:
        transform, run = self.transform, self.run
        if run is None:
            return "Context(not tracking: call ln.track())"
        return f"Context(transform={transform.uid!r} key={transform.key!r}, run={run.uid!r})"


context = Context()
