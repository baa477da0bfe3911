"""Streaming content hashes (blake3, every byte read once) as short URL-safe strings."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

HASH_TYPE = "blake3"
FOLDER_HASH_TYPE = "blake3-d"
CHUNK_SIZE = 8 * 1024 * 1024


def new_hasher() -> Any:
    """A blake3 hasher on one thread: copies overlap hashing with writing on a second one."""
    import blake3

    return blake3.blake3()


def encode_digest(digest: bytes) -> str:
    """The first 16 bytes as 22 URL-safe base64 characters."""
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def hash_bytes(data: bytes) -> str:
    hasher = new_hasher()
    hasher.update(data)
    return encode_digest(hasher.digest())


def hash_stream(stream: BinaryIO, progress: Callable[[int], None] | None = None) -> tuple[str, int]:
    """Hash a readable binary stream; returns (hash, size)."""
    hasher = new_hasher()
    size = 0
    while chunk := stream.read(CHUNK_SIZE):
        hasher.update(chunk)
        size += len(chunk)
        if progress:
            progress(len(chunk))
    return encode_digest(hasher.digest()), size


def hash_file(
    path: str | os.PathLike, progress: Callable[[int], None] | None = None
) -> tuple[str, int]:
    with open(path, "rb", buffering=0) as fh:
        return hash_stream(fh, progress)


def fsync_enabled() -> bool:
    """LAMIN_FSYNC=1 flushes stored bytes to disk before their row commits (off by default, like cp)."""
    return os.environ.get("LAMIN_FSYNC", "0").lower() in {"1", "true", "yes"}


def copy_and_hash(
    src: str | os.PathLike, dst: str | os.PathLike, progress: Callable[[int], None] | None = None
) -> tuple[str, int]:
    """Copy src to dst while hashing, reading each byte once; writes overlap with hashing."""
    if os.path.getsize(src) <= CHUNK_SIZE:
        return _copy_and_hash_small(src, dst, progress)
    hasher = new_hasher()
    size = 0
    buffers = [bytearray(CHUNK_SIZE), bytearray(CHUNK_SIZE)]
    with (
        open(src, "rb", buffering=0) as fin,
        open(dst, "wb", buffering=0) as fout,
        ThreadPoolExecutor(max_workers=1) as writer,
    ):
        pending = None
        turn = 0
        while True:
            buf = buffers[turn]
            n = fin.readinto(buf)
            if not n:
                break
            view = memoryview(buf)[:n]
            if pending is not None:
                pending.result()
            pending = writer.submit(_write_all, fout, view)
            hasher.update(view)
            size += n
            if progress:
                progress(n)
            turn ^= 1
        if pending is not None:
            pending.result()
        if fsync_enabled():
            os.fsync(fout.fileno())
    return encode_digest(hasher.digest()), size


def _copy_and_hash_small(
    src: str | os.PathLike, dst: str | os.PathLike, progress: Callable[[int], None] | None
) -> tuple[str, int]:
    with open(src, "rb", buffering=0) as fin:
        data = fin.read()
    with open(dst, "wb", buffering=0) as fout:
        _write_all(fout, memoryview(data))
        if fsync_enabled():
            os.fsync(fout.fileno())
    if progress:
        progress(len(data))
    return hash_bytes(data), len(data)


def _write_all(fh: Any, view: memoryview) -> None:
    written = 0
    while written < len(view):
        written += fh.write(view[written:])


def combine_folder_hashes(entries: Iterable[tuple[str, str]]) -> str:
    """One hash for a folder from (relative path, file hash) pairs, in sorted order."""
    hasher = new_hasher()
    for relpath, file_hash in sorted(entries):
        hasher.update(f"{relpath}\0{file_hash}\n".encode())
    return encode_digest(hasher.digest())


def hash_folder(
    path: str | os.PathLike, progress: Callable[[int], None] | None = None
) -> tuple[str, int, int]:
    """(hash, total size, number of files) of a local folder."""
    root = Path(path)
    entries = []
    total = 0
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        file_hash, size = hash_file(file, progress)
        entries.append((file.relative_to(root).as_posix(), file_hash))
        total += size
    return combine_folder_hashes(entries), total, len(entries)
