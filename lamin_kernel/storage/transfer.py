"""Atomic transfers: bytes go to a temporary name and are moved into place.

Local storage stages a copy next to its final place (hashing while copying, so each byte is
read once) and renames it on commit. S3 objects are whole or absent: an upload becomes
visible only when it completes.
"""

from __future__ import annotations

import errno
import os
import shutil
import uuid
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import runtime
from ..errors import StorageError
from . import hashing
from .paths import filesystem, is_remote
from .progress import progress_bar
from .walk import folder_files

STAGING_DIR = ".lamindb/_staging"
# what os.link fails with where a filesystem has no hard links (FAT, some network mounts)
_NO_HARD_LINKS = {errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK}


class Staged:
    """Bytes copied into a storage root under a temporary name, waiting to be placed.

    ``place`` puts them at their final name without ever replacing a file that is there
    (a hard link, or an exclusive create and a rename where links are not supported);
    ``unplace`` takes them back to staging, so the same artifact can be saved again;
    ``release`` drops the staging name once the row committed. What a store shared by
    versions held before is moved out of the way by the caller (``replacing.set_aside``).
    """

    def __init__(self, root: str, temp_path: str, is_dir: bool) -> None:
        self.root = root
        self.temp_path = temp_path
        self.is_dir = is_dir
        self._placed: str | None = None
        # the removal is the standard library's own (not a function of this package, whose
        # first line a Ctrl+C could interrupt before anything is removed)
        if is_dir:
            self._finalizer = weakref.finalize(self, shutil.rmtree, temp_path, ignore_errors=True)
        else:
            self._finalizer = weakref.finalize(self, Path(temp_path).unlink, missing_ok=True)

    def place(self, final_path: str) -> None:
        """Make the bytes visible at `final_path`; FileExistsError if anything is there."""
        Path(final_path).parent.mkdir(parents=True, exist_ok=True)
        # noted first: an interrupt right after the link or rename still finds it (unplace
        # tells by the file itself whether what is at `final_path` is these bytes)
        self._placed = final_path
        if self.is_dir:
            _rename_exclusive(self.temp_path, final_path)
        else:
            _link_or_move(self.temp_path, final_path)

    def unplace(self) -> None:
        """Undo ``place`` (the row did not commit): the final name goes, staging keeps them.
        What is at the final name is removed only if it is these bytes (a hard link of the
        staged file, or the staged file or folder moved there), never a file place refused."""
        final, self._placed = self._placed, None
        if final is None or not os.path.lexists(final):
            return
        if os.path.lexists(self.temp_path):
            if _same_file(final, self.temp_path):
                Path(final).unlink()
            return
        os.rename(final, self.temp_path)

    def release(self) -> None:
        """The row committed: the bytes live at their final name only."""
        if self._placed is not None and _same_file(self._placed, self.temp_path):
            Path(self.temp_path).unlink(missing_ok=True)
        self._placed = None
        self._finalizer.detach()

    def commit(self, final_path: str) -> None:
        """Place and release at once (nothing to undo afterwards)."""
        self.place(final_path)
        self.release()

    def discard(self) -> None:
        self._finalizer()


def _link_or_move(temp: str, final: str) -> None:
    """Give the file at `temp` the name `final` too (a hard link), never replacing a file
    there; where the storage has no hard links, move it there."""
    try:
        os.link(temp, final)
        return
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
    # a filesystem without hard links: reserve the name exclusively, then move onto it
    fd = os.open(final, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    os.close(fd)
    try:
        os.replace(temp, final)
    except BaseException:
        Path(final).unlink(missing_ok=True)
        raise


def _same_file(a: str, b: str) -> bool:
    """Whether two names are one file (a hard link); False when either is missing."""
    try:
        first, second = os.lstat(a), os.lstat(b)
    except FileNotFoundError:
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def _rename_exclusive(temp: str, final: str) -> None:
    """Move a staged folder to `final`, refusing when anything is there already."""
    if os.path.lexists(final):
        raise FileExistsError(errno.EEXIST, "a file or folder exists already", final)
    os.rename(temp, final)


def _remove_local(path: str) -> None:
    p = Path(path)
    if p.is_dir():
        shutil.rmtree(p, ignore_errors=True)
    else:
        p.unlink(missing_ok=True)


def staging_path(root: str) -> str:
    """A temporary name in the root's staging folder, tagged with this process's id (in a
    dry-run check, in the check's folder: nothing is written into storage)."""
    check = runtime.check_folder()
    folder = (
        os.path.join(check, "staging") if check is not None else os.path.join(root, STAGING_DIR)
    )
    try:
        os.mkdir(folder)  # one call when it exists (it usually does)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f"{os.getpid()}-{os.urandom(16).hex()}.tmp")


def staging_owner_alive(name: str) -> bool:
    """Whether the process that staged this file still runs (then it is not an orphan)."""
    pid = name.split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _new_staged(root: str, suffix: str = "", is_dir: bool = False) -> Staged:
    """The owner of a staging name, made before anything is written there: from the first
    byte on, the file goes when its owner is dropped (an interrupt anywhere after this
    leaves nothing behind once the object is collected)."""
    return Staged(root, staging_path(root) + suffix, is_dir=is_dir)


def stage_written(root: str, suffix: str, write: Callable[[Path], None]) -> tuple[Staged, str, int]:
    """Let `write` create a file directly in the root's staging folder, then hash it there."""
    staged = _new_staged(root, suffix)
    temp = staged.temp_path
    try:
        write(Path(temp))
        if hashing.fsync_enabled():  # as copy_and_hash and stage_bytes do
            fd = os.open(temp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        file_hash, size = hashing.hash_file(temp)
    except BaseException:
        staged.discard()
        raise
    return staged, file_hash, size


def stage_bytes(root: str, suffix: str, data: bytes | memoryview) -> tuple[Staged, str, int]:
    """Write bytes held in memory into the root's staging folder; their hash is computed from
    memory, so the file is written once and never read back."""
    staged = _new_staged(root, suffix)
    try:
        with open(staged.temp_path, "wb") as fh:
            fh.write(data)
            if hashing.fsync_enabled():
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException as exc:
        staged.discard()
        if isinstance(exc, OSError):
            raise StorageError(f"could not write into storage {root}: {exc}") from exc
        raise
    return staged, hashing.hash_bytes(data, hashing.HASH_TYPE), len(data)


def stage_local_file(src: str, root: str) -> tuple[Staged, str, int]:
    """Copy a local file into a local storage root while hashing it."""
    size = os.path.getsize(src)
    staged = _new_staged(root)
    try:
        with progress_bar(size, f"copying {os.path.basename(src)}") as advance:
            file_hash, size = hashing.copy_and_hash(src, staged.temp_path, advance)
    except BaseException as exc:
        staged.discard()
        if isinstance(exc, OSError):
            raise StorageError(f"could not copy {src} into storage {root}: {exc}") from exc
        raise
    return staged, file_hash, size


def stage_local_folder(src: str, root: str) -> tuple[Staged, str, int, int]:
    """Copy a local folder into a local storage root while hashing each file."""
    src_root = Path(src)
    files = folder_files(src_root)
    total = sum(p.stat().st_size for p in files)
    staged = _new_staged(root, is_dir=True)
    temp = staged.temp_path
    entries = []
    try:
        with progress_bar(total, f"copying {src_root.name}/") as advance:
            for file in files:
                rel = file.relative_to(src_root).as_posix()
                dst = Path(temp) / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                entries.append((rel, hashing.copy_and_hash(file, dst, advance)[0]))
        Path(temp).mkdir(parents=True, exist_ok=True)
    except BaseException as exc:
        staged.discard()
        if isinstance(exc, OSError):
            raise StorageError(f"could not copy {src} into storage {root}: {exc}") from exc
        raise
    return staged, hashing.combine_folder_hashes(entries), total, len(files)


def upload(src: str, dest: str, progress: Callable[[int], None] | None = None) -> None:
    """Upload a local file or folder to a remote URL; the object appears only when complete.

    Nothing is replaced: if `dest` exists, FileExistsError before any byte moves (object
    stores have no exclusive create here; the uid lock keeps writers apart).
    """
    fs, path = filesystem(dest)
    if fs.exists(path):
        raise FileExistsError(errno.EEXIST, "an object exists already", dest)
    try:
        if Path(src).is_dir():
            for file in folder_files(src):
                _upload_file(fs, str(file), f"{path}/{file.relative_to(src).as_posix()}", progress)
        else:
            _upload_file(fs, src, path, progress)
    except Exception as exc:
        remove(dest)
        raise StorageError(f"could not upload {src} to {dest}: {exc}") from exc


def _upload_file(fs: Any, src: str, path: str, progress: Callable[[int], None] | None) -> None:
    with open(src, "rb") as fin, fs.open(path, "wb") as fout:
        while chunk := fin.read(hashing.CHUNK_SIZE):
            fout.write(chunk)
            if progress:
                progress(len(chunk))


def remove(path: str) -> None:
    """Delete a stored file or folder (missing is fine)."""
    if not is_remote(path):
        _remove_local(path)
        return
    fs, inner = filesystem(path)
    try:
        if fs.exists(inner):
            fs.rm(inner, recursive=True)
    except FileNotFoundError:
        pass


def copy(src: str, dest: str) -> None:
    """Copy a file or folder to a new place, local or remote; `dest` appears whole or not at
    all and is never overwritten."""
    if exists(dest):
        raise StorageError(f"cannot copy {src} to {dest}: something is there already")
    if is_remote(dest):
        if is_remote(src):
            fs, inner = filesystem(src)
            fs.copy(inner, filesystem(dest)[1], recursive=fs.isdir(inner))
        else:
            upload(src, dest)
        return
    if is_remote(src):
        download(src, Path(dest))
        return
    temp = f"{dest}.{uuid.uuid4().hex[:8]}.part"
    Path(dest).parent.mkdir(parents=True, exist_ok=True)
    try:
        if Path(src).is_dir():
            shutil.copytree(src, temp)
        else:
            shutil.copy2(src, temp)
        os.replace(temp, dest)
    except OSError as exc:
        _remove_local(temp)
        raise StorageError(f"could not copy {src} to {dest}: {exc}") from exc


def move(src: str, dest: str) -> None:
    """Move a file or folder within one storage (a rename locally, copy-then-delete on S3);
    an existing `dest` is never overwritten."""
    if exists(dest):
        raise StorageError(f"cannot move {src} to {dest}: something is there already")
    try:
        if not is_remote(src):
            Path(dest).parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
            return
        fs, inner = filesystem(src)
        fs.mv(inner, filesystem(dest)[1], recursive=fs.isdir(inner))
    except OSError as exc:
        raise StorageError(f"could not move {src} to {dest}: {exc}") from exc


def exists(path: str) -> bool:
    if not is_remote(path):
        return os.path.exists(path)
    fs, inner = filesystem(path)
    return bool(fs.exists(inner))


def hash_path(path: str, hash_type: str | None = None) -> tuple[str, str, int, int | None]:
    """(hash, hash type, size, n_files or None) of any local or remote file or folder.

    `hash_type` picks the algorithm (a file's or a folder's type, as stored in a row); by
    default the current one for what the path is.
    """
    fs, inner = filesystem(path)
    if fs.isdir(inner):
        folder_type = hashing.folder_hash_type(hash_type)
        file_type = hashing.file_hash_type(folder_type)
        entries, total = [], 0
        files = sorted(fs.find(inner)) if is_remote(path) else map(str, folder_files(inner))
        for file in files:
            with fs.open(file, "rb") as fh:
                file_hash, size = hashing.hash_stream(fh, hash_type=file_type)
            entries.append((file[len(inner) :].lstrip("/"), file_hash))
            total += size
        return hashing.combine_folder_hashes(entries, folder_type), folder_type, total, len(entries)
    file_type = hashing.file_hash_type(hash_type)
    size = fs.size(inner)
    with progress_bar(size, f"hashing {inner.rsplit('/', 1)[-1]}") as advance:
        if not is_remote(path):
            file_hash, size = hashing.hash_file(inner, advance, file_type)
        else:
            with fs.open(inner, "rb") as fh:
                file_hash, size = hashing.hash_stream(fh, advance, file_type)
    return file_hash, file_type, size, None


def download(src: str, dest: Path) -> Path:
    """Download a remote file or folder to a local path, atomically."""
    fs, inner = filesystem(src)
    temp = dest.with_name(dest.name + f".{uuid.uuid4().hex[:8]}.part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        fs.get(inner, str(temp), recursive=fs.isdir(inner))
        if dest.exists() and dest.is_dir():
            shutil.rmtree(dest)
        os.replace(temp, dest)
    except Exception as exc:
        _remove_local(str(temp))
        raise StorageError(f"could not download {src}: {exc}") from exc
    return dest
