"""Files a run keeps beside its data: environment, report, notebook, plan — stored once per content.

They are Artifacts like any other (kind ``__lamindb_run__`` as in LaminDB, or ``plan``), but
they are not outputs of the run: they are saved outside the current run, and a file whose
content is already stored is reused without the "returning artifact with same hash" message.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import runtime
from ..models import Artifact
from ..setup.paths import cache_dir
from ..storage.hashing import content_hashes

RUN_FILE_KIND = "__lamindb_run__"


@dataclass(frozen=True)
class RunFile:
    """Bytes to store, and how to describe them."""

    data: bytes
    suffix: str
    description: str | None = None
    kind: str = RUN_FILE_KIND
    key: str | None = None
    run_id: int | None = None  # the run the file belongs to (a notebook); None for shared files


@contextmanager
def outside_run() -> Iterator[None]:
    """No current run inside the block, so saved records do not become the run's outputs."""
    tokens = runtime.set_current_run(None, None)
    try:
        yield
    finally:
        runtime.restore_current_run(tokens)


def find_stored(data: bytes) -> Any | None:
    """The newest visible artifact with exactly these bytes."""
    return Artifact.filter(hash__in=content_hashes(data)).order_by("-id").first()


def store_run_file(file: RunFile) -> Any:
    """The artifact holding ``file.data``: an existing one with the same bytes, or a new one."""
    existing = find_stored(file.data)
    if existing is not None:
        return existing
    folder = cache_dir() / "_tmp"
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f"{uuid.uuid4().hex}{file.suffix}"
    temp.write_bytes(file.data)
    try:
        with outside_run():
            artifact = Artifact(
                temp, key=file.key, description=file.description, kind=file.kind, run_id=file.run_id
            )
            artifact.save()
    finally:
        Path(temp).unlink(missing_ok=True)
    return artifact
