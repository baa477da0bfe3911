"""The run's environment: installed distributions stored once per distinct content, as an Artifact.

The text is cached on disk until a package is installed (``python_cache``), and the artifact
found for it is remembered for the rest of the process, so repeated runs and flows pay for
one query at most.
"""

from __future__ import annotations

from typing import Any

from ..setup.session import connection
from .environment import environment_text
from .python_cache import cached
from .run_files import RunFile, store_run_file

_artifact_ids: dict[tuple[str, str], int] = {}  # (instance uid, text) -> artifact id


def current_environment_text() -> str:
    return cached("environment", environment_text)


def environment_artifact_id() -> int | None:
    """The id of the artifact holding this environment; stored on first use."""
    text = current_environment_text()
    memo_key = (connection().settings.uid, text)
    if memo_key in _artifact_ids:
        return _artifact_ids[memo_key]
    artifact: Any = store_run_file(
        RunFile(text.encode("utf-8"), suffix=".txt", description="requirements.txt")
    )
    _artifact_ids[memo_key] = artifact.id
    return artifact.id


def forget() -> None:
    """Forget remembered artifacts (another instance is connected; tests)."""
    _artifact_ids.clear()
