"""Rules for artifact and collection keys: relative POSIX paths that cannot escape storage.

Keys are stored NFC-normalised (an "é" typed as one character or as "e" + accent is one
key), and hold no invisible characters: C0/C1 controls, format characters (Unicode category
Cf: zero-width spaces and joiners, bidi embeddings, overrides and isolates, soft hyphens)
and line or paragraph separators are refused, so a key reads as what it is.
"""

from __future__ import annotations

import unicodedata

from ..errors import InvalidKey

MAX_KEY_LENGTH = 1024
# control, format (zero-width, bidi), line and paragraph separators
INVISIBLE_CATEGORIES = {
    "Cc": "control",
    "Cf": "format",
    "Zl": "line separator",
    "Zp": "paragraph separator",
}


def check_key(key: object, what: str = "key") -> str:
    """Return `key` NFC-normalised if it is a valid relative POSIX path, else raise InvalidKey
    naming the rule."""
    if not isinstance(key, str):
        raise InvalidKey(f"{what} must be a string, got {type(key).__name__}: {key!r}")
    if key == "":
        raise InvalidKey(f"{what} '' is empty: pass a relative path such as 'folder/file.parquet'")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidKey(f"{what} is {len(key)} characters long; the limit is {MAX_KEY_LENGTH}")
    _check_visible(key, what)
    key = unicodedata.normalize("NFC", key)
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidKey(f"{what} is {len(key)} characters long; the limit is {MAX_KEY_LENGTH}")
    if "\\" in key:
        raise InvalidKey(f"{what} {key!r} contains a backslash; use '/' to separate folders")
    if "://" in key:
        raise InvalidKey(f"{what} {key!r} looks like a URL; pass the URL as the path instead")
    if key.startswith("/"):
        raise InvalidKey(f"{what} {key!r} is absolute; keys are relative paths like 'a/b.csv'")
    if key == "~" or key.startswith("~/"):
        raise InvalidKey(
            f"{what} {key!r} starts with '~', which reads as a home folder; keys are relative "
            "paths inside storage like 'a/b.csv'"
        )
    parts = key.split("/")
    if any(p == "" for p in parts):
        raise InvalidKey(f"{what} {key!r} has an empty path segment ('//' or a trailing '/')")
    if any(p in (".", "..") for p in parts):
        raise InvalidKey(f"{what} {key!r} has a '.' or '..' segment; keys cannot leave storage")
    return key


def _check_visible(key: str, what: str) -> None:
    """Refuse control, format (zero-width, bidi) and separator characters, naming the first."""
    for position, ch in enumerate(key):
        kind = INVISIBLE_CATEGORIES.get(unicodedata.category(ch))
        if kind is not None:
            name = unicodedata.name(ch, "")
            label = f"U+{ord(ch):04X}" + (f" ({name})" if name else "")
            raise InvalidKey(
                f"{what} {key!r} contains the {kind} character {label} at position "
                f"{position}; keys hold only visible characters"
            )


def suffix_of(name: str) -> str:
    """The suffix LaminDB records: '.parquet', '.tar.gz', '' for folders without one."""
    base = name.rstrip("/").rsplit("/", 1)[-1]
    if "." not in base.lstrip("."):
        return ""
    parts = base.lstrip(".").split(".")
    if len(parts) >= 3 and parts[-1] in {"gz", "bz2", "xz", "zst", "zip"} and len(parts[-2]) <= 4:
        return "." + ".".join(parts[-2:])
    return "." + parts[-1]
