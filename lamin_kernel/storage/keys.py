"""Rules for artifact and collection keys: relative POSIX paths that cannot escape storage."""

from __future__ import annotations

from ..errors import InvalidKey

MAX_KEY_LENGTH = 1024


def check_key(key: object, what: str = "key") -> str:
    """Return `key` if it is a valid relative POSIX path, else raise InvalidKey naming the rule."""
    if not isinstance(key, str):
        raise InvalidKey(f"{what} must be a string, got {type(key).__name__}: {key!r}")
    if key == "":
        raise InvalidKey(f"{what} '' is empty: pass a relative path such as 'folder/file.parquet'")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidKey(f"{what} is {len(key)} characters long; the limit is {MAX_KEY_LENGTH}")
    bad = next((ch for ch in key if ord(ch) < 32 or ord(ch) == 127), None)
    if bad is not None:
        raise InvalidKey(
            f"{what} {key!r} contains the control character {bad!r}; keys are printable paths"
        )
    if "\\" in key:
        raise InvalidKey(f"{what} {key!r} contains a backslash; use '/' to separate folders")
    if "://" in key:
        raise InvalidKey(f"{what} {key!r} looks like a URL; pass the URL as the path instead")
    if key.startswith("/"):
        raise InvalidKey(f"{what} {key!r} is absolute; keys are relative paths like 'a/b.csv'")
    parts = key.split("/")
    if any(p == "" for p in parts):
        raise InvalidKey(f"{what} {key!r} has an empty path segment ('//' or a trailing '/')")
    if any(p in (".", "..") for p in parts):
        raise InvalidKey(f"{what} {key!r} has a '.' or '..' segment; keys cannot leave storage")
    return key


def suffix_of(name: str) -> str:
    """The suffix LaminDB records: '.parquet', '.tar.gz', '' for folders without one."""
    base = name.rstrip("/").rsplit("/", 1)[-1]
    if "." not in base.lstrip("."):
        return ""
    parts = base.lstrip(".").split(".")
    if len(parts) >= 3 and parts[-1] in {"gz", "bz2", "xz", "zst", "zip"} and len(parts[-2]) <= 4:
        return "." + ".".join(parts[-2:])
    return "." + parts[-1]
