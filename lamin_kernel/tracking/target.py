"""What ``ln.track()`` is asked to track: an explicit key or uid, else the detected file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import InvalidArgument
from ..records.transform_create import key_for_path
from .detect import detect_running_code

_UID_CHARS = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
STEM_LENGTH = 12


@dataclass(frozen=True)
class Target:
    """The code to track: its kind, its key (None: take it from the uid's transform), its file."""

    kind: str  # "notebook", "script", "pipeline", or a kind passed with source_code=
    key: str | None
    path: Path | None
    found_by: str  # "session", "jupyter_api", "vscode", "main_file", "argument" or "path"


def full_uid(uid: str | None) -> str | None:
    """The uid when it names one version (16 characters), else None."""
    return uid if uid is not None and len(uid) == STEM_LENGTH + 4 else None


def check_uid(uid: str | None) -> str | None:
    """The uid's 12-character stem; an error for anything that is not a Transform uid."""
    if uid is None:
        return None
    if not isinstance(uid, str) or len(uid) not in (STEM_LENGTH, STEM_LENGTH + 4):
        raise InvalidArgument(
            f"ln.track() takes a Transform uid of 12 characters (the stem that identifies a "
            f"notebook or script across versions) or 16, got {uid!r}"
        )
    if not set(uid) <= _UID_CHARS:
        raise InvalidArgument(f"a Transform uid has only letters and digits, got {uid!r}")
    return uid[:STEM_LENGTH]


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str) or not key.strip() or "\x00" in key:
        raise InvalidArgument(f"key must be a non-empty string like 'analysis.py', got {key!r}")
    return key


def kind_of_file(path: Path) -> Literal["notebook", "script"]:
    return "notebook" if path.suffix == ".ipynb" else "script"


def file_target(path: Any, key: str | None) -> Target:
    """``ln.track(path=...)``: that notebook or script file, instead of the detected one."""
    if not isinstance(path, str | Path) or not str(path).strip():
        raise InvalidArgument(f"path is the file of a notebook or script, got {path!r}")
    file = Path(path).expanduser().resolve()
    if not file.is_file():
        raise InvalidArgument(f"path {str(path)!r} is not a file: track() reads its source")
    return Target(kind_of_file(file), key or key_for_path(file), file, "path")


def source_code_target(key: str | None, path: Any, kind: str | None) -> Target:
    """``ln.track(source_code=..., key=...)``: code given as text; its kind is ``function``
    unless ``kind`` says otherwise."""
    if key is None:
        raise InvalidArgument("key cannot be None when source_code is passed to track()")
    if path is not None:
        raise InvalidArgument("path cannot be passed when source_code is passed to track()")
    return Target(kind or "function", key, None, "argument")


def resolve_target(
    key: str | None,
    uid: str | None,
    user_ns: dict[str, Any] | None = None,
    path: Any = None,
) -> Target:
    """The running notebook or script (or the file at ``path``), named by ``key`` when given.

    Without a key and without a file to name it (a console, ``python -c``, a kernel
    started without a notebook), the caller gets ``InvalidArgument`` saying to pass ``key=``.
    """
    if path is not None:
        return file_target(path, key)
    running = detect_running_code(user_ns)
    if running is not None:
        path = running.path
        return Target(running.kind, key or key_for_path(path), path, running.source)
    if key is not None:
        return Target(kind_of_file(Path(key)), key, None, "argument")
    if uid is not None:
        return Target("script", None, None, "argument")
    raise InvalidArgument(
        "ln.track() cannot tell which notebook or script is running: this looks like an "
        "interactive console, `python -c`, or a kernel that was not started for a saved "
        "notebook. Name what you track: ln.track(key='my_analysis.py')"
    )
