"""The IPython startup file that ``lamin settings set auto-track true`` installs.

It loads the ``lamin_kernel`` IPython extension in every kernel of the default profile
(``$IPYTHONDIR/profile_default/startup/``); the extension then tracks the notebook at its
first cell when the auto-track setting is on. ``auto-track false`` removes the file. Only
paths here: IPython is not imported.
"""

from __future__ import annotations

import os
from pathlib import Path

STARTUP_FILE_NAME = "00-lamin-kernel-autotrack.py"
STARTUP_CODE = """\
# Written by `lamin settings set auto-track true` (lamin_kernel); removed by `... false`.
try:
    get_ipython().extension_manager.load_extension("lamin_kernel")
except Exception:
    pass
"""


def ipython_dir() -> Path:
    """IPython's folder: ``$IPYTHONDIR`` or ``~/.ipython``."""
    return Path(os.environ.get("IPYTHONDIR") or Path.home() / ".ipython").expanduser()


def startup_file() -> Path:
    return ipython_dir() / "profile_default" / "startup" / STARTUP_FILE_NAME


def install_startup_file() -> Path:
    """Write the startup file that loads the extension in every kernel."""
    path = startup_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTUP_CODE, encoding="utf-8")
    return path


def remove_startup_file() -> None:
    startup_file().unlink(missing_ok=True)
