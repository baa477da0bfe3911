"""Content hashes: the one-pass copy, every byte hashed, the hash types old and new."""

from __future__ import annotations

import base64
import os
import threading
from pathlib import Path

import blake3
import pytest
import xxhash

from lamin_kernel.errors import StorageError
from lamin_kernel.storage import hashing, transfer
from lamin_kernel.storage.hashing import COPY_BUFFER_SIZE, copy_and_hash, hash_file

SIZES = [
    0,
    1,
    COPY_BUFFER_SIZE - 1,
    COPY_BUFFER_SIZE,
    COPY_BUFFER_SIZE + 1,
    3 * COPY_BUFFER_SIZE + 17,
    hashing.CHUNK_SIZE + 5,
]


def short(digest: bytes) -> str:
    """The stored form, computed here without lamin_kernel: 16 bytes, URL-safe base64."""
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def xxh3(data: bytes) -> str:
    return short(xxhash.xxh3_128(data).digest())


def b3(data: bytes) -> str:
    return short(blake3.blake3(data).digest())


def random_file(path: Path, size: int) -> bytes:
    data = os.urandom(size)
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("size", SIZES)
def test_copy_is_exact_and_hash_is_xxh3_of_the_bytes(tmp_path: Path, size: int) -> None:
    data = random_file(tmp_path / "src.bin", size)
    seen: list[int] = []
    file_hash, copied = copy_and_hash(tmp_path / "src.bin", tmp_path / "dst.bin", seen.append)
    assert (tmp_path / "dst.bin").read_bytes() == data
    assert copied == size == sum(seen)
    assert file_hash == xxh3(data) and len(file_hash) == 22
    assert hash_file(tmp_path / "src.bin") == (file_hash, size)
    with open(tmp_path / "src.bin", "rb") as fh:
        assert hashing.hash_stream(fh) == (file_hash, size)


@pytest.mark.parametrize("size", [0, COPY_BUFFER_SIZE + 3])
def test_blake3_copy_gives_the_hash_older_rows_carry(tmp_path: Path, size: int) -> None:
    data = random_file(tmp_path / "src.bin", size)
    assert copy_and_hash(tmp_path / "src.bin", tmp_path / "dst.bin", hash_type="blake3") == (
        b3(data),
        size,
    )
    assert hash_file(tmp_path / "src.bin", hash_type="blake3")[0] == b3(data)


def test_one_byte_changed_in_the_middle_changes_the_hash(tmp_path: Path) -> None:
    data = bytearray(5 * COPY_BUFFER_SIZE + 11)
    (tmp_path / "a.bin").write_bytes(bytes(data))
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "b.bin").write_bytes(bytes(data))
    a = copy_and_hash(tmp_path / "a.bin", tmp_path / "a2.bin")
    b = copy_and_hash(tmp_path / "b.bin", tmp_path / "b2.bin")
    assert a[0] != b[0] and a[1] == b[1] == len(data)


def test_source_that_is_a_pipe_is_copied_whole(tmp_path: Path) -> None:
    """No size to go by (st_size is 0) and no readahead advice: read until the writer closes."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    data = os.urandom(2 * COPY_BUFFER_SIZE + 9)
    writer = threading.Thread(target=(fifo).write_bytes, args=(data,))
    writer.start()
    try:
        assert copy_and_hash(fifo, tmp_path / "dst.bin") == (xxh3(data), len(data))
    finally:
        writer.join()
    assert (tmp_path / "dst.bin").read_bytes() == data


def test_short_writes_are_completed(tmp_path: Path) -> None:
    written = bytearray()

    class Trickle:
        def write(self, view: memoryview) -> int:
            written.extend(view[:7])
            return min(7, len(view))

    hashing._write_all(Trickle(), memoryview(b"x" * 100))
    assert bytes(written) == b"x" * 100


def test_writes_go_out_in_small_pieces() -> None:
    """Each write is at most WRITE_SIZE bytes (bigger ones were slow to land in page cache)."""
    sizes: list[int] = []
    out = bytearray()

    class Recorder:
        def write(self, view: memoryview) -> int:
            sizes.append(len(view))
            out.extend(view)
            return len(view)

    data = os.urandom(3 * hashing.WRITE_SIZE + 5)
    hashing._write_all(Recorder(), memoryview(data))
    assert bytes(out) == data and max(sizes) == hashing.WRITE_SIZE and len(sizes) == 4


def test_fsync_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    random_file(tmp_path / "src.bin", 10)
    synced: list[int] = []
    monkeypatch.setattr(hashing.os, "fsync", synced.append)
    monkeypatch.delenv("LAMIN_FSYNC", raising=False)
    copy_and_hash(tmp_path / "src.bin", tmp_path / "dst.bin")
    assert synced == []
    monkeypatch.setenv("LAMIN_FSYNC", "1")
    copy_and_hash(tmp_path / "src.bin", tmp_path / "dst.bin")
    assert len(synced) == 1


def test_write_error_mid_copy_propagates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    random_file(tmp_path / "src.bin", 3 * COPY_BUFFER_SIZE)
    calls = 0

    def write_all(fh: object, view: memoryview) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(hashing, "_write_all", write_all)
    with pytest.raises(OSError, match="No space"):
        copy_and_hash(tmp_path / "src.bin", tmp_path / "dst.bin")


def test_record_hashes_stay_blake3() -> None:
    """Transform source hashes and collection member hashes were stored as blake3."""
    assert hashing.hash_bytes(b"print('hi')\n") == b3(b"print('hi')\n")
    assert hashing.content_hashes(b"abc") == [xxh3(b"abc"), b3(b"abc")]


def test_hash_types_pair_files_with_folders() -> None:
    assert hashing.file_hash_type() == "xxh3-128"
    assert hashing.folder_hash_type() == "xxh3-128-d"
    assert hashing.file_hash_type("blake3-d") == "blake3"
    assert hashing.folder_hash_type("blake3") == "blake3-d"
    assert hashing.folder_hash_type("xxh3-128-d") == "xxh3-128-d"
    with pytest.raises(StorageError, match="unknown hash type 'md5'"):
        hashing.new_hasher("md5")


def make_folder(root: Path) -> dict[str, bytes]:
    files = {"a.txt": b"alpha", "sub/b.bin": os.urandom(COPY_BUFFER_SIZE + 1), "sub/c": b""}
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return files


@pytest.mark.parametrize(
    ("folder_type", "file_hash", "combine"),
    [
        ("xxh3-128-d", xxh3, xxhash.xxh3_128),
        ("blake3-d", b3, blake3.blake3),
    ],
)
def test_folder_hash_combines_sorted_file_hashes(
    tmp_path: Path, folder_type: str, file_hash, combine
) -> None:
    files = make_folder(tmp_path / "f")
    hasher = combine()
    for rel in sorted(files):
        hasher.update(f"{rel}\0{file_hash(files[rel])}\n".encode())
    expected = short(hasher.digest())
    total = sum(len(d) for d in files.values())
    assert hashing.hash_folder(tmp_path / "f", folder_hash_type=folder_type) == (expected, total, 3)
    assert transfer.hash_path(str(tmp_path / "f"), folder_type) == (
        expected,
        folder_type,
        total,
        3,
    )


def test_hash_path_uses_the_stored_type(tmp_path: Path) -> None:
    data = random_file(tmp_path / "x.bin", 1000)
    path = str(tmp_path / "x.bin")
    assert transfer.hash_path(path) == (xxh3(data), "xxh3-128", 1000, None)
    assert transfer.hash_path(path, "blake3") == (b3(data), "blake3", 1000, None)
    make_folder(tmp_path / "f")
    assert transfer.hash_path(str(tmp_path / "f"))[1] == "xxh3-128-d"
    assert transfer.hash_path(str(tmp_path / "f"), "blake3")[1] == "blake3-d"


def test_staged_local_file_is_renamed_into_place(tmp_path: Path) -> None:
    data = random_file(tmp_path / "src.bin", COPY_BUFFER_SIZE * 2 + 1)
    staged, file_hash, size = transfer.stage_local_file(str(tmp_path / "src.bin"), str(tmp_path))
    assert Path(staged.temp_path).parent == tmp_path / transfer.STAGING_DIR
    staged.commit(str(tmp_path / "final.bin"))
    assert (tmp_path / "final.bin").read_bytes() == data
    assert (file_hash, size) == (xxh3(data), len(data))


def test_failed_stage_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    random_file(tmp_path / "src.bin", 10)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(hashing, "copy_and_hash", fail)
    with pytest.raises(StorageError, match="could not copy"):
        transfer.stage_local_file(str(tmp_path / "src.bin"), str(tmp_path))
    assert list((tmp_path / transfer.STAGING_DIR).iterdir()) == []
