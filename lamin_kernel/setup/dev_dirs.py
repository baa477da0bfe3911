"""Development directories: a folder whose marker names the instance used inside it.

`lamin init` marks the current folder, as LaminDB's does: processes started in it or below
it connect to that instance, and scripts inside it get keys relative to it
(`pipelines/run.py`). The marker is `<dir>/.lamin_kernel/current_instance` (this project's
own name, so LaminDB's `.lamin/current_instance` is never read or overwritten). `$HOME` is
never a development directory. A marker naming an instance unknown to the current settings
folder is ignored.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidArgument

MARKER_DIR = ".lamin_kernel"
MARKER_NAME = "current_instance"


def marker_file(directory: Path) -> Path:
    return directory / MARKER_DIR / MARKER_NAME


def is_home(directory: Path) -> bool:
    return directory.expanduser().resolve() == Path.home().resolve()


def _folders_upwards(start: Path) -> list[Path]:
    """`start` and its parents, stopping before $HOME."""
    start = start.expanduser().resolve()
    folders = []
    for candidate in (start, *start.parents):
        if is_home(candidate):
            break
        folders.append(candidate)
    return folders


def read_marker(directory: Path) -> str | None:
    path = marker_file(directory)
    try:
        return path.read_text().strip() or None
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return None


def nearest_marked(start: Path | None = None) -> tuple[Path, str] | None:
    """The nearest marked folder at or above `start` (default: cwd), with its instance slug."""
    try:
        origin = start or Path.cwd()
    except FileNotFoundError:  # the cwd was removed
        return None
    for folder in _folders_upwards(origin):
        slug = read_marker(folder)
        if slug is not None:
            return folder, slug
    return None


def dev_dir_containing(path: Path, slug: str) -> Path | None:
    """The development directory of instance `slug` that holds `path`, if any."""
    start = path if path.is_dir() else path.parent
    for folder in _folders_upwards(start):
        if read_marker(folder) == slug:
            return folder
    return None


def mark(directory: Path, slug: str) -> Path:
    """Make `directory` a development directory of instance `slug`."""
    directory = Path(directory).expanduser().resolve()
    if is_home(directory):
        raise InvalidArgument(
            "the home directory cannot be a development directory; pick a project folder"
        )
    path = marker_file(directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(slug)
    tmp.replace(path)
    return directory


def unmark(directory: Path, slug: str | None = None) -> bool:
    """Remove the marker of `directory` (only if it names `slug`, when given)."""
    path = marker_file(Path(directory).expanduser().resolve())
    if not path.exists() or (slug is not None and read_marker(path.parent.parent) != slug):
        return False
    path.unlink()
    try:
        path.parent.rmdir()
    except OSError:  # other files live there
        pass
    return True
