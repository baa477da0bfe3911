"""Paths in storage as UPaths, filesystems through fsspec, and view_tree()."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def is_remote(path: str) -> bool:
    return "://" in str(path) and not str(path).startswith("file://")


def upath(path: Any, **storage_options: Any) -> Any:
    """A universal_pathlib UPath (a PosixUPath for local folders) that has view_tree()."""
    from upath import UPath

    result = UPath(str(path), **storage_options)
    if not hasattr(type(result), "view_tree"):
        # LaminDB's UPaths print their tree; ours too, added to each path class on first use.
        type(result).view_tree = view_tree
    return result


def filesystem(path: str) -> tuple[Any, str]:
    """(fsspec filesystem, path within it) for a local path or URL."""
    import fsspec

    if is_remote(path):
        return fsspec.core.url_to_fs(str(path))
    return fsspec.filesystem("file"), str(Path(path).resolve())


def join(root: str, *parts: str) -> str:
    return "/".join([root.rstrip("/"), *[p.strip("/") for p in parts if p]])


def view_tree(
    path: Any, level: int = -1, limit_to_directories: bool = False, length_limit: int = 1000
) -> None:
    """Print a folder's tree, with a summary of sub-directories, files and suffixes."""
    print(tree_text(path, level, limit_to_directories, length_limit))


def tree_text(
    path: Any, level: int = -1, limit_to_directories: bool = False, length_limit: int = 1000
) -> str:
    fs, root = filesystem(str(path))
    lines: list[str] = []
    counts = {"dirs": 0, "files": 0}
    suffixes: set[str] = set()

    def walk(folder: str, prefix: str, depth: int) -> None:
        if level != -1 and depth > level:
            return
        entries = sorted(fs.ls(folder, detail=True), key=lambda e: e["name"])
        entries = [e for e in entries if e["name"].rstrip("/") != folder.rstrip("/")]
        if limit_to_directories:
            entries = [e for e in entries if e["type"] == "directory"]
        for i, entry in enumerate(entries):
            name = entry["name"].rstrip("/").rsplit("/", 1)[-1]
            last = i == len(entries) - 1
            is_dir = entry["type"] == "directory"
            counts["dirs" if is_dir else "files"] += 1
            if not is_dir and "." in name:
                suffixes.add("." + name.rsplit(".", 1)[-1])
            if len(lines) < length_limit:
                lines.append(f"{prefix}{'└── ' if last else '├── '}{name}{'/' if is_dir else ''}")
            if is_dir:
                walk(entry["name"], prefix + ("    " if last else "│   "), depth + 1)

    walk(root, "", 1)
    shown = ", ".join(repr(s) for s in sorted(suffixes))
    header = f"{counts['dirs']} sub-directories & {counts['files']} files"
    header += f" with suffixes {shown}" if shown else ""
    if len(lines) >= length_limit:
        lines.append(f"... only showing {length_limit} entries")
    return "\n".join([header, str(path), *lines])
