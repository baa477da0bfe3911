"""Where settings and caches live; all of this project's own names."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIRNAME = "lamin_kernel"


def settings_dir() -> Path:
    """$LAMIN_SETTINGS_DIR/lamin_kernel (default ~/.lamin/lamin_kernel); LaminDB's files are never touched."""
    root = os.environ.get("LAMIN_SETTINGS_DIR") or str(Path.home() / ".lamin")
    return Path(root).expanduser() / PROJECT_DIRNAME


def cache_dir() -> Path:
    """$LAMIN_CACHE_DIR (default ~/.cache/lamin_kernel)."""
    root = os.environ.get("LAMIN_CACHE_DIR") or str(Path.home() / ".cache" / PROJECT_DIRNAME)
    return Path(root).expanduser()


def instances_dir() -> Path:
    return settings_dir() / "instances"


def write_private(path: Path, text: str) -> None:
    """Write a settings file readable only by its owner (it may hold a database password)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)
