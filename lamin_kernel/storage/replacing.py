"""Replacing the content of a store that versions share, so that no crash can lose it.

A new version of a folder (or of a file saved with ``overwrite_versions=True``) takes the
place of the store's content before its row commits; the content it replaces (the bytes of
the version that owns the store, the latest one) is moved aside into staging until then.
Before anything moves, an *intent record* naming the store, the aside and the new version is
written next to the aside and flushed to disk (``begin``). Whatever happens next (an
interrupt, SIGKILL, power loss), the record says where the latest version's bytes are:

- the save that wrote it finishes it (``Replacing.close``) when its row committed or not;
- a record whose writer is gone (its process died, or in this process the save already
  returned or raised) is *abandoned*; ``settle`` then makes the store hold the bytes of the
  version that owns it now (the caller asks the database which one that is): if the store
  holds them already the aside is not needed and goes; if the aside holds them they go back
  into the store; if neither does (nothing to prove it), nothing is touched.

`lamin check` reports abandoned records, `lamin check --fix` and the next save of the store
settle them (``records/shared_stores.py``).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from . import transfer
from .paths import filesystem, is_remote, join

ASIDE_SUFFIX = ".previous"
INTENT_SUFFIX = ".replacing.json"
_ACTIVE: set[str] = set()  # intent records of saves of this process still running


@dataclass(frozen=True)
class Replacing:
    """An intent record: the store at `location` (of the versions whose uids start with
    `stem`) is being replaced by version `uid` (content `hash`); its previous content goes
    to `aside`. `record` is where this record itself is stored."""

    location: str
    aside: str
    stem: str
    uid: str
    hash: str | None
    record: str

    @property
    def writer_pid(self) -> str:
        return self.record.rsplit("/", 1)[-1].split("-", 1)[0]

    def close(self, completed: bool = True) -> None:
        """The save that began this is over; `completed`: the store and the aside are as
        they must be (the aside put back or removed), so the record goes too. Otherwise it
        stays, abandoned, for ``settle``."""
        try:
            if completed:
                transfer.remove(self.record)
        finally:
            _ACTIVE.discard(self.record)


def begin(root: str, location: str, stem: str, uid: str, file_hash: str | None) -> Replacing:
    """Write the intent record of replacing the store at `location` (durably: flushed to
    disk with its folder) before anything moves; the aside's name is chosen here."""
    if is_remote(root):
        base = join(root, transfer.STAGING_DIR, f"{os.getpid()}-{uuid.uuid4().hex}")
    else:  # the staging folder (made if needed) that staged bytes use
        base = transfer.staging_path(root).removesuffix(".tmp")
    intent = Replacing(
        location=location,
        aside=base + ASIDE_SUFFIX,
        stem=stem,
        uid=uid,
        hash=file_hash,
        record=base + INTENT_SUFFIX,
    )
    _ACTIVE.add(intent.record)
    try:
        _write_durably(intent.record, json.dumps(asdict(intent)).encode())
    except BaseException:
        _ACTIVE.discard(intent.record)
        transfer.remove(intent.record)
        raise
    return intent


def _write_durably(path: str, data: bytes) -> None:
    """Write a small file whole or not at all, on disk (file and folder flushed) when this
    returns; an object store's upload is whole and durable by itself."""
    if is_remote(path):
        fs, inner = filesystem(path)
        fs.pipe(inner, data)
        return
    folder = Path(path).parent
    folder.mkdir(parents=True, exist_ok=True)
    temp = f"{path}.part"
    with open(temp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.rename(temp, path)
    sync_folder(str(folder))


def sync_folder(folder: str) -> None:
    """Flush a local folder's entries (the names renamed into or out of it) to disk."""
    if is_remote(folder):
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def set_aside(intent: Replacing) -> None:
    """Move the store's content to the aside named by the record (nothing when the store is
    empty), flushed to disk before the new content takes its place."""
    if transfer.exists(intent.location):
        transfer.move(intent.location, intent.aside)
        sync_folder(str(Path(intent.aside).parent))
        sync_folder(str(Path(intent.location).parent))


def put_back(intent: Replacing) -> None:
    """The new version's row did not commit: the previous content returns to the store (what
    was placed there goes). Nothing happens when nothing was set aside."""
    if transfer.exists(intent.aside):
        transfer.remove(intent.location)
        transfer.move(intent.aside, intent.location)


def records_in(root: str) -> list[Replacing]:
    """The intent records in a storage root's staging folder (a record that cannot be read
    is skipped: it was never complete, so nothing moved after it)."""
    staging = join(root, transfer.STAGING_DIR)
    if is_remote(root):
        fs, inner = filesystem(staging)
        names = [p.rsplit("/", 1)[-1] for p in fs.ls(inner)] if fs.exists(inner) else []
    else:
        names = os.listdir(staging) if os.path.isdir(staging) else []
    found = []
    for name in sorted(names):
        if name.endswith(INTENT_SUFFIX):
            intent = _read(f"{staging}/{name}")
            if intent is not None:
                found.append(intent)
    return found


def _read(path: str) -> Replacing | None:
    try:
        fs, inner = filesystem(path)
        with fs.open(inner, "rb") as fh:
            values = json.loads(fh.read())
        return Replacing(**{**values, "record": path})
    except (OSError, ValueError, TypeError):
        return None


def abandoned(intent: Replacing) -> bool:
    """Whether no running save will finish this record: its process is gone, or it is this
    process's and the save that wrote it has returned or raised."""
    if intent.writer_pid == str(os.getpid()):
        return intent.record not in _ACTIVE
    return not transfer.staging_owner_alive(intent.record.rsplit("/", 1)[-1])


def settle(intent: Replacing, owner_hash: str | None, hash_type: str | None) -> str:
    """Make the store hold `owner_hash` (the content of the version that owns it now, None
    when no version does) and finish the abandoned record; returns what was done:
    "kept" (the store held it: the aside was not needed), "restored" (the aside held it and
    went back) or "unresolved" (neither provably does: nothing touched)."""
    if owner_hash is None or _holds(intent.location, owner_hash, hash_type):
        outcome = "kept"
    elif _holds(intent.aside, owner_hash, hash_type):
        transfer.remove(intent.location)
        transfer.move(intent.aside, intent.location)
        outcome = "restored"
    else:
        return "unresolved"
    transfer.remove(intent.aside)
    transfer.remove(intent.record)
    return outcome


def _holds(location: str, expected_hash: str, hash_type: str | None) -> bool:
    if not transfer.exists(location):
        return False
    try:
        return transfer.hash_path(location, hash_type)[0] == expected_hash
    except Exception:  # noqa: BLE001 - unreadable bytes prove nothing
        return False
