"""What a local path holds, read without following links: regular files and folders only.

The rules for what can be stored (every refusal is an `InvalidArgument` naming the rule and
the path, raised before any byte is copied):

- a path given by the user may itself be a symbolic link: it is resolved, as a shell would;
- FIFOs, sockets and device files are refused (reading a FIFO would block forever);
- inside a folder, symbolic links are refused, whether they point inside the folder or out
  of it, to a file or to a folder: they are never followed (a link to a secret elsewhere is
  not copied into storage) and never silently skipped (a linked folder is not lost).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ..errors import InvalidArgument

SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def special_kind(mode: int) -> str | None:
    """'a FIFO (named pipe)', 'a socket', ... for a special file's mode; None otherwise."""
    return next((name for test, name in SPECIAL_KINDS if test(mode)), None)


def check_storable(path: str | os.PathLike) -> None:
    """Refuse a path that is neither a regular file nor a folder (after resolving links)."""
    mode = os.stat(path).st_mode
    kind = special_kind(mode)
    if kind is not None:
        raise InvalidArgument(
            f"cannot store {path}: it is {kind}; only regular files and folders can be stored"
        )


def folder_entries(root: str | os.PathLike) -> Iterator[tuple[Path, str, os.stat_result]]:
    """(path, kind, lstat) of everything below `root` but folders, links not followed; kind
    is "file", "link" or a special file's kind ('a FIFO (named pipe)', ...)."""
    pending = [Path(root)]
    while pending:
        folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                path = Path(entry.path)
                if entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                    continue
                info = entry.stat(follow_symlinks=False)
                if entry.is_symlink():
                    yield path, "link", info
                elif entry.is_file(follow_symlinks=False):
                    yield path, "file", info
                else:
                    yield path, special_kind(info.st_mode) or "not a regular file", info


def folder_files(root: str | os.PathLike) -> list[Path]:
    """The regular files below `root`, sorted; a link or special file inside is refused."""
    found: list[Path] = []
    for path, kind, _ in folder_entries(root):
        if kind == "link":
            raise InvalidArgument(
                f"cannot store folder {root}: {path} is a symbolic link (to "
                f"{os.readlink(path)}); links inside a folder are refused, not followed: "
                "replace the link with a copy of what it points to"
            )
        if kind != "file":
            raise InvalidArgument(
                f"cannot store folder {root}: {path} is {kind}; only regular files and "
                "folders can be stored"
            )
        found.append(path)
    return sorted(found)
