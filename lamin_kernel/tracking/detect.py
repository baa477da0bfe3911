"""Which notebook or script is running: the first question ``ln.track()`` asks.

Tried in order: a Jupyter kernel's session name (``__session__`` or
``JPY_SESSION_NAME``, the latter only in the kernel process itself, not in processes it
starts; checked against the server's sessions API when it is relative, stale after a
rename, or missing), a VS Code notebook
(``__vsc_ipynb_file__``), then a script (``__main__.__file__``). A session's
``.ipynb`` is a notebook, its ``.py`` a script, anything else (a console) is not
tracked. None means "cannot tell": the caller asks the user to pass ``key=``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from lamin_kernel.tracking import jupyter_sessions

Source = Literal["session", "jupyter_api", "vscode", "main_file"]

# __main__ files that are launchers, not the user's script
_LAUNCHERS = ("ipykernel_launcher.py", "ipykernel/__main__.py", "IPython/__main__.py")


@dataclass(frozen=True)
class RunningCode:
    """What is running: a notebook or a script, its path, and how we found out."""

    kind: Literal["notebook", "script"]
    path: Path
    source: Source


def detect_running_code(user_ns: dict[str, Any] | None = None) -> RunningCode | None:
    """Find the running notebook or script; None in a bare console, ``python -c`` or an unnamed kernel.

    ``user_ns`` is the IPython user namespace; by default it is taken from the
    running IPython shell, if IPython is already imported.
    """
    namespace = _ipython_user_ns() if user_ns is None else user_ns
    return _from_jupyter(namespace) or _from_vscode(namespace) or _from_main_file()


def _ipython_user_ns() -> dict[str, Any]:
    if "IPython" not in sys.modules:
        return {}  # never import IPython just to find out it is not running
    shell = sys.modules["IPython"].get_ipython()
    return getattr(shell, "user_ns", None) or {}


def _from_jupyter(namespace: dict[str, Any]) -> RunningCode | None:
    """The kernel's document: its session name, or the server's answer when that is not a file.

    The server is also asked when there is no session name at all (servers and
    kernels older than ``JPY_SESSION_NAME``, or a session opened with an empty name).
    """
    name = namespace.get("__session__") or _kernel_session_name()
    session_path = Path(name) if name else None
    if session_path is not None and session_path.is_absolute() and session_path.is_file():
        return _running_code(session_path, "session")
    current = _ask_server()
    if current is not None:
        return _running_code(current, "jupyter_api")
    if session_path is None:
        return None
    return _running_code(_best_guess(session_path), "session")


def _kernel_session_name() -> str | None:
    """``JPY_SESSION_NAME``, when it belongs to this process.

    Jupyter sets it in a kernel's environment, and every process the kernel starts
    (``!python script.py``, ``subprocess.run``) inherits it: such a script must be tracked
    as itself, not as the notebook that started it. Only a process that is an ipykernel
    kernel (its connection file is known) reads the variable as its own.
    """
    name = os.environ.get("JPY_SESSION_NAME")
    if not name or jupyter_sessions.current_connection_file() is None:
        return None
    return name


def _ask_server() -> Path | None:
    """The current path of this kernel's document, from the sessions API of its server."""
    kernel_id = jupyter_sessions.current_kernel_id()
    return None if kernel_id is None else jupyter_sessions.find_notebook_path(kernel_id)


def _best_guess(session_path: Path) -> Path:
    """Without a server to ask: a relative API path is read against the kernel's cwd.

    The server starts a kernel in the notebook's folder, so ``cwd / name`` is the
    notebook unless the code changed directory. A stale absolute path is kept.
    """
    if session_path.is_absolute():
        return session_path
    in_cwd = Path.cwd() / session_path.name
    return in_cwd if in_cwd.is_file() else Path.cwd() / session_path


def _running_code(path: Path, source: Source) -> RunningCode | None:
    """A session's document as a notebook or a script; None for consoles and other documents."""
    if path.suffix == ".ipynb":
        return RunningCode("notebook", path, source)
    if path.suffix == ".py":  # a console attached to a file, or a jupytext notebook
        return RunningCode("script", path, source)
    return None


def _from_vscode(namespace: dict[str, Any]) -> RunningCode | None:
    path = namespace.get("__vsc_ipynb_file__")
    if not path:
        return None
    return RunningCode("notebook", Path(path), "vscode")


def _from_main_file() -> RunningCode | None:
    """The script run as ``python script.py`` (or ``-m``), but not a launcher or ``<stdin>``."""
    main = sys.modules.get("__main__")
    main_file = getattr(main, "__file__", None)
    if not isinstance(main_file, str) or main_file.startswith("<"):
        return None
    path = Path(main_file).absolute()
    if path.as_posix().endswith(_LAUNCHERS) or not path.is_file():
        return None
    return RunningCode("script", path, "main_file")
