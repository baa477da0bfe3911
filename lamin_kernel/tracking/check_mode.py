"""``ln.track()`` in the process of ``lamin rerun --check``: a dry run.

The parent names a folder in ``LAMIN_KERNEL_RERUN_CHECK``. ``track()`` then starts no Run and
touches no Transform: it turns the dry run on (``runtime.set_check_folder``), so saved
artifacts and collections are captured in that folder (``records.check_capture``), staged
bytes go there instead of into storage, any other write to the registry is refused, and
``finish()`` ends nothing. Loads read the pinned input versions as in any rerun; no input link
is written (there is no run to link to). The folder's ``tracked`` file tells the parent that
the code called ``track()``.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import log, runtime

CHECK_ENV = "LAMIN_KERNEL_RERUN_CHECK"
TRACKED_MARK = "tracked"


def requested() -> str | None:
    """The check's folder when this process runs ``lamin rerun --check``'s code."""
    return os.environ.get(CHECK_ENV) or None


def start(folder: str) -> None:
    """Turn the dry run on for the rest of the process."""
    runtime.set_check_folder(folder)
    (Path(folder) / TRACKED_MARK).write_text(str(os.getpid()))
    log.info("lamin rerun --check: a dry run, saves are compared and nothing is written")


def active() -> bool:
    return runtime.check_folder() is not None


def was_tracked(folder: str | Path) -> bool:
    """Whether the check's code called ``ln.track()``."""
    return (Path(folder) / TRACKED_MARK).exists()
