"""Random base62 uids of the tutorial's lengths, and version counters."""

from __future__ import annotations

import os

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


# byte b -> BASE62[b % 62] for b < 248; bytes >= 248 are dropped, so every character is
# equally likely (248 = 4 * 62)
_BYTE_TO_CHAR = bytes(ord(BASE62[b % 62]) for b in range(248)) + bytes(8)
_DROPPED = bytes(range(248, 256))


def base62(n: int) -> str:
    """A random base62 string of length n (unbiased: bytes >= 248 are drawn again)."""
    chars = b""
    while len(chars) < n:
        chars += os.urandom(2 * n).translate(_BYTE_TO_CHAR, _DROPPED)
    return chars[:n].decode("ascii")


def versioned_uid(stem_length: int, version: int = 0, stem: str | None = None) -> str:
    """A stem plus a 4-character base62 version counter ('0000', '0001', ...)."""
    return (stem or base62(stem_length)) + encode_counter(version)


def encode_counter(version: int, width: int = 4) -> str:
    """Encode a version number as a fixed-width base62 counter."""
    if version < 0:
        raise ValueError("version counter must be >= 0")
    digits = []
    for _ in range(width):
        version, rem = divmod(version, 62)
        digits.append(BASE62[rem])
    if version:
        raise ValueError("version counter overflow")
    return "".join(reversed(digits))


def decode_counter(counter: str) -> int:
    """Inverse of encode_counter."""
    value = 0
    for ch in counter:
        value = value * 62 + BASE62.index(ch)
    return value
