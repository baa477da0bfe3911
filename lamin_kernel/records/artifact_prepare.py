"""`Artifact(path_or_object, **kwargs)`: check the arguments, then build from a path or an
object, and `Artifact.from_lazy(...)`: a path inside storage to write into first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..db.uid import base62, encode_counter
from ..errors import InvalidArgument, UnsupportedObject
from ..storage import formats
from ..storage.keys import suffix_of
from ..storage.paths import join, upath
from .artifact_args import MANAGED_PREFIX, parse
from .artifact_create import Prepared, prepare_path, target_storage
from .artifact_objects import prepare_object


def prepare(model: type, path: Any, kwargs: dict[str, Any]) -> Prepared:
    """Fields and pending work for Artifact(path, **kwargs); nothing is written."""
    args = parse(kwargs)
    if path is None:
        raise InvalidArgument(
            "Artifact() needs a path (a local file or folder, or an s3:// URL); for objects use "
            "Artifact.from_dataframe(df, key=...) or Artifact.from_anndata(adata, key=...)"
        )
    otype = formats.object_type(path)
    if otype is not None:
        prepared = prepare_object(model, path, otype, args)
    elif not isinstance(path, str | Path) and not hasattr(path, "fs"):
        raise UnsupportedObject(
            f"cannot make an Artifact from a {type(path).__name__}; pass a path, a pandas "
            "DataFrame or an AnnData"
        )
    else:
        prepared = prepare_path(model, str(path), args)
    prepared.extras["without_run"] = args.without_run
    return prepared


class LazyArtifact:
    """A path inside the default storage to write into (a zarr store, say); `save()` then
    registers what was written there as an artifact, without copying."""

    def __init__(self, model: type, suffix: str, overwrite_versions: bool, **kwargs: Any) -> None:
        if not isinstance(suffix, str) or not suffix.startswith("."):
            raise InvalidArgument(f"suffix must start with '.', got {suffix!r}")
        key = kwargs.get("key")
        if key is not None and suffix_of(key) != suffix:
            raise InvalidArgument(
                f"The suffix argument {suffix} and the suffix of key {suffix_of(key)} should "
                "be the same."
            )
        self.kwargs = {**kwargs, "overwrite_versions": bool(overwrite_versions)}
        args = parse(self.kwargs)  # bad arguments fail now, not after the writing
        self._model = model
        self._uid = base62(16) + encode_counter(0)
        stem = self._uid[:16] if overwrite_versions else self._uid
        root = target_storage(args).root
        self._location = join(root, f"{MANAGED_PREFIX}{stem}{suffix}")

    @property
    def path(self) -> Any:
        """Where to write, as a UPath."""
        return upath(self._location)

    def save(self, **kwargs: Any) -> Any:
        """The artifact of what was written to `path`, saved."""
        args = parse(self.kwargs)
        prepared = prepare_path(self._model, self._location, args, managed_uid=self._uid)
        prepared.extras["without_run"] = args.without_run
        record = self._model(_prepared=prepared)
        return record.save(**kwargs)

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.kwargs.items() if v is not None}
        return f"LazyArtifact object with\n path: {self._location}\n arguments: {shown}"
