"""`ln.track(transform=...)`: runs of a pipeline Transform the user made themselves.

Notebooks and scripts are detected and described by `ln.track()` itself; passing one as a
record is refused, as LaminDB does. A pipeline transform that is not saved yet is saved.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from ..models import Transform
from .identity import Resolved
from .target import Target

FILE_KINDS = ("notebook", "script")


def check_pipeline(transform: Any) -> None:
    if not isinstance(transform, Transform):
        raise InvalidArgument(
            f"ln.track() takes a Transform or its uid, got {type(transform).__name__}"
        )
    if transform.kind in FILE_KINDS:
        raise ValueError(
            "Use `ln.track()` without passing transform in a notebook or script - metadata is "
            "automatically parsed"
        )


def pipeline_target(transform: Any) -> Target:
    return Target("pipeline", transform.key, None, "argument")


def load_pipeline(transform: Any) -> Resolved:
    """The saved transform: as it is, or saved now."""
    if transform.id is None:
        transform.save()
        return Resolved(transform, "created")
    return Resolved(transform, "loaded")
