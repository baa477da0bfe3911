"""``ln.context``: the Transform and Run that saved records are linked to right now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import runtime
from ..errors import InvalidArgument
from ..models import Run, Transform
from ..setup.session import read_session
from . import state


class Context:
    """The current transform and run: the tracked notebook or script's, or a running flow's.

    Process state keeps only their ids; the records are read fresh on each access.
    `version` is set before `ln.track()` to tag the tracked transform
    (`ln.context.version = "1"`); `project`, `space` and `branch` are what the last
    `ln.track()` was given.
    """

    def __init__(self) -> None:
        self._version: str | None = None
        self.labels: dict[str, Any] = {}

    @property
    def transform(self) -> Any | None:
        ref = runtime.current_transform()
        return None if ref is None else _load(Transform, ref.id)

    @property
    def run(self) -> Any | None:
        ref = runtime.current_run()
        return None if ref is None else _load(Run, ref.id)

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
        run = runtime.current_run()
        if run is None:
            return "Context(not tracking: call ln.track())"
        transform = run.transform
        if transform is None:
            return f"Context(run={run.uid!r})"
        return f"Context(transform={transform.uid!r} key={transform.key!r}, run={run.uid!r})"


def _load(model: type, record_id: int) -> Any | None:
    with read_session() as session:
        return session.get(model, record_id)


context = Context()
