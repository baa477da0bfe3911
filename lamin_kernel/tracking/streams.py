"""``ln.track(stream_tracking=True)``: the run's stdout and stderr, kept as its log.

While the run is tracked, what the process prints still reaches the terminal and is also
written to ``<cache>/run_logs_<run uid>.txt`` (LaminDB's name for it). When the run ends
(``ln.finish()``, the end of the script, a failure), the streams are given back and the file
is stored as the run's report (``run.report``, a ``__lamindb_run__`` artifact), unless the run
has a report already (a notebook's HTML report).
"""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

from .. import log
from ..setup.paths import cache_dir
from .run_files import RunFile, store_run_file


class Tee:
    """A text stream that writes to the original stream and to the log file."""

    def __init__(self, original: TextIO, log_file: IO[str]) -> None:
        self.original = original
        self.log_file = log_file

    def write(self, text: str) -> int:
        written = self.original.write(text)
        if not self.log_file.closed:
            self.log_file.write(text)
        return written if isinstance(written, int) else len(text)

    def flush(self) -> None:
        self.original.flush()
        if not self.log_file.closed:
            self.log_file.flush()

    def __getattr__(self, name: str) -> Any:  # fileno, isatty, encoding, ...
        return getattr(self.original, name)


@dataclass
class Capture:
    """The streams replaced for one run, and where their copy goes."""

    run_uid: str
    path: Path
    log_file: IO[str]
    stdout: TextIO
    stderr: TextIO


_capture: Capture | None = None


def log_path(run_uid: str) -> Path:
    return cache_dir() / f"run_logs_{run_uid}.txt"


def start(run_uid: str, instance_slug: str) -> None:
    """Copy this process's stdout and stderr to the run's log from now on."""
    global _capture
    stop()  # a previous run's capture ends here
    path = log_path(run_uid)
    path.parent.mkdir(parents=True, exist_ok=True)
    log_file = path.open("w", encoding="utf-8")
    log_file.write(f"→ connected lamindb: {instance_slug}\n")
    _capture = Capture(run_uid, path, log_file, sys.stdout, sys.stderr)
    sys.stdout = Tee(sys.stdout, log_file)  # type: ignore[assignment]
    sys.stderr = Tee(sys.stderr, log_file)  # type: ignore[assignment]


def capturing(run_uid: str) -> bool:
    return _capture is not None and _capture.run_uid == run_uid


def stop() -> Path | None:
    """Give the streams back; the log file of the capture that ended, if any."""
    global _capture
    capture, _capture = _capture, None
    if capture is None:
        return None
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    if isinstance(sys.stdout, Tee) and sys.stdout.log_file is capture.log_file:
        sys.stdout = capture.stdout
    if isinstance(sys.stderr, Tee) and sys.stderr.log_file is capture.log_file:
        sys.stderr = capture.stderr
    capture.log_file.close()
    return capture.path


def store_log(run_uid: str, exc: BaseException | None = None) -> int | None:
    """End the run's capture and store its log (with the traceback of ``exc``, the error
    that ended the run); the artifact's id (None: nothing was captured)."""
    if not capturing(run_uid):
        return None
    if exc is not None and _capture is not None and not _capture.log_file.closed:
        _capture.log_file.write("".join(traceback.format_exception(exc)))
    path = stop()
    if path is None or not path.is_file():
        return None
    try:
        artifact = store_run_file(
            RunFile(path.read_bytes(), ".txt", f"log streams of run {run_uid}")
        )
    except Exception as exc:  # the run must end even when its log cannot be stored
        log.warning(f"could not store the log streams of run {run_uid}: {exc}")
        return None
    finally:
        path.unlink(missing_ok=True)
    return int(artifact.id)
