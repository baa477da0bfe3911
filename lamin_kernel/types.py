"""Small shared type aliases."""

from __future__ import annotations

from os import PathLike
from typing import Literal, Union

PathLikeStr = Union[str, "PathLike[str]"]
ArtifactKind = Literal["dataset", "model", "__lamindb_run__", "plan"]
TransformKind = Literal["notebook", "script", "function", "pipeline", "plan"]


class Unset:
    """The type of `UNSET`: an argument that was not passed, told apart from `None`."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET = Unset()  # LaminDB's `ln.UNSET`: compare with `is`
