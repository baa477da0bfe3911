"""Small shared type aliases."""

from __future__ import annotations

from os import PathLike
from typing import Literal, Union

PathLikeStr = Union[str, "PathLike[str]"]
ArtifactKind = Literal["dataset", "model", "__lamindb_run__", "plan"]
TransformKind = Literal["notebook", "script", "function", "pipeline", "plan"]
