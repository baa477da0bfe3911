"""Content hashes of every byte (xxh3-128; blake3 for older rows) as short URL-safe strings.

A hash is stored with its type. New files are hashed with xxh3-128, fast enough that a copy
which hashes as it goes keeps pace with `cp`; rows made before carry "blake3" / "blake3-d"
and are still verified and found by content (see `records.artifact_create`). Hashes of
record content (a transform's source, a collection's members) stay blake3, as stored before.
"""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import StorageError
from .walk import folder_files

HASH_TYPE = "xxh3-128"
FOLDER_HASH_TYPE = "xxh3-128-d"
LEGACY_HASH_TYPE = "blake3"
LEGACY_FOLDER_HASH_TYPE = "blake3-d"
RECORD_HASH_TYPE = "blake3"
# a folder's hash type -> the type of the file hashes it combines
FOLDER_FILE_TYPES = {FOLDER_HASH_TYPE: HASH_TYPE, LEGACY_FOLDER_HASH_TYPE: LEGACY_HASH_TYPE}
CHUNK_SIZE = 8 * 1024 * 1024
EMPTY_FOLDER_MARKER = b"\0empty folder\0"
# Copies go through one buffer small enough to stay in a core's cache between the read,
# the hash and the write; larger buffers spill to memory and are slower here.
COPY_BUFFER_SIZE = 512 * 1024
# ...and write it in pieces no larger than this: with bigger writes, ext4 (Linux 6.18) puts
# the copy in large page-cache folios, which on the VMs measured were often 4-8x slower to
# fill (memory the host had taken back, most likely); cp's kernel copy writes small pieces.
WRITE_SIZE = 128 * 1024


def _xxh3_128() -> Any:
    import xxhash

    return xxhash.xxh3_128()


def _blake3() -> Any:
    import blake3

    return blake3.blake3()


_HASHERS: dict[str, Callable[[], Any]] = {HASH_TYPE: _xxh3_128, LEGACY_HASH_TYPE: _blake3}
_FILE_TYPE_OF = {**{t: t for t in _HASHERS}, **FOLDER_FILE_TYPES}
_FOLDER_TYPE_OF = {
    **{f: d for d, f in FOLDER_FILE_TYPES.items()},
    **{d: d for d in FOLDER_FILE_TYPES},
}


def new_hasher(hash_type: str = HASH_TYPE) -> Any:
    """A hasher (`update`, `digest`) for a file hash type."""
    return _HASHERS[file_hash_type(hash_type)]()


def is_folder_hash_type(hash_type: str) -> bool:
    return hash_type in FOLDER_FILE_TYPES


def file_hash_type(hash_type: str | None = None) -> str:
    """The file hash type that goes with a stored type (a file's or a folder's)."""
    return _resolve(hash_type, HASH_TYPE, _FILE_TYPE_OF)


def folder_hash_type(hash_type: str | None = None) -> str:
    """The folder hash type that goes with a stored type (a file's or a folder's)."""
    return _resolve(hash_type, FOLDER_HASH_TYPE, _FOLDER_TYPE_OF)


def _resolve(hash_type: str | None, default: str, known: dict[str, str]) -> str:
    if hash_type is None:
        return default
    if hash_type not in known:
        raise StorageError(f"unknown hash type '{hash_type}'; known: {sorted(known)}")
    return known[hash_type]


def encode_digest(digest: bytes) -> str:
    """The first 16 bytes as 22 URL-safe base64 characters."""
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def hash_bytes(data: bytes, hash_type: str = RECORD_HASH_TYPE) -> str:
    hasher = new_hasher(hash_type)
    hasher.update(data)
    return encode_digest(hasher.digest())


def content_hashes(data: bytes) -> list[str]:
    """Every hash a stored file with these bytes may carry: the current type, then older ones."""
    return [hash_bytes(data, HASH_TYPE), hash_bytes(data, LEGACY_HASH_TYPE)]


def hash_stream(
    stream: BinaryIO,
    progress: Callable[[int], None] | None = None,
    hash_type: str = HASH_TYPE,
) -> tuple[str, int]:
    """Hash a readable binary stream; returns (hash, size)."""
    hasher = new_hasher(hash_type)
    size = 0
    while chunk := stream.read(CHUNK_SIZE):
        hasher.update(chunk)
        size += len(chunk)
        if progress:
            progress(len(chunk))
    return encode_digest(hasher.digest()), size


def hash_file(
    path: str | os.PathLike,
    progress: Callable[[int], None] | None = None,
    hash_type: str = HASH_TYPE,
) -> tuple[str, int]:
    """(hash, size) of a local file, read through one reused buffer."""
    hasher = new_hasher(hash_type)
    size = 0
    with open(path, "rb", buffering=0) as fin:
        buffer = _copy_buffer(fin.fileno())
        view = memoryview(buffer)
        while n := fin.readinto(buffer):
            hasher.update(view[:n])
            size += n
            if progress:
                progress(n)
    return encode_digest(hasher.digest()), size


def fsync_enabled() -> bool:
    """LAMIN_FSYNC=1 flushes stored bytes to disk before their row commits (off by default, like cp)."""
    return os.environ.get("LAMIN_FSYNC", "0").lower() in {"1", "true", "yes"}


def copy_and_hash(
    src: str | os.PathLike,
    dst: str | os.PathLike,
    progress: Callable[[int], None] | None = None,
    hash_type: str = HASH_TYPE,
) -> tuple[str, int]:
    """Copy src to dst while hashing, in one pass: each block is read once into a cached buffer,
    hashed, and written from there; returns (hash, size).

    One thread on purpose: on the 2-core machines measured, a second thread (for the writes,
    or a kernel copy with copy_file_range while another thread hashes) was slower than this.
    """
    hasher = new_hasher(hash_type)
    size = 0
    with open(src, "rb", buffering=0) as fin, open(dst, "wb", buffering=0) as fout:
        buffer = _copy_buffer(fin.fileno())
        view = memoryview(buffer)
        while n := fin.readinto(buffer):
            block = view[:n]
            hasher.update(block)
            _write_all(fout, block)
            size += n
            if progress:
                progress(n)
        if fsync_enabled():
            os.fsync(fout.fileno())
    return encode_digest(hasher.digest()), size


def _copy_buffer(fd: int) -> bytearray:
    """A buffer for reading `fd` front to back: COPY_BUFFER_SIZE, or a small file's size."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # a pipe or a device: its size says nothing
        return bytearray(COPY_BUFFER_SIZE)
    if hasattr(os, "posix_fadvise"):
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
    # +1: a file read whole in one call ends with the next read returning nothing
    return bytearray(min(COPY_BUFFER_SIZE, info.st_size + 1))


def _write_all(fh: Any, view: memoryview) -> None:
    """Write all of `view`, WRITE_SIZE bytes at a time."""
    for start in range(0, len(view), WRITE_SIZE):
        piece = view[start : start + WRITE_SIZE]
        written = 0
        while written < len(piece):
            written += fh.write(piece[written:])


def combine_folder_hashes(
    entries: Iterable[tuple[str, str]], folder_hash_type: str = FOLDER_HASH_TYPE
) -> str:
    """One hash for a folder from (relative path, file hash) pairs, in sorted order.

    A folder without files hashes a marker of its own: otherwise it would share the hash of
    a 0-byte file (the digest of nothing), and one would be returned for the other.
    """
    hasher = new_hasher(FOLDER_FILE_TYPES[folder_hash_type])
    count = 0
    for relpath, file_hash in sorted(entries):
        hasher.update(f"{relpath}\0{file_hash}\n".encode())
        count += 1
    if count == 0:
        hasher.update(EMPTY_FOLDER_MARKER)
    return encode_digest(hasher.digest())


def hash_folder(
    path: str | os.PathLike,
    progress: Callable[[int], None] | None = None,
    folder_hash_type: str = FOLDER_HASH_TYPE,
) -> tuple[str, int, int]:
    """(hash, total size, number of files) of a local folder."""
    root = Path(path)
    file_type = FOLDER_FILE_TYPES[folder_hash_type]
    entries = []
    total = 0
    for file in folder_files(root):
        file_hash, size = hash_file(file, progress, file_type)
        entries.append((file.relative_to(root).as_posix(), file_hash))
        total += size
    return combine_folder_hashes(entries, folder_hash_type), total, len(entries)
