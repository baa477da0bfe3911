"""A small client of the Jupyter server's sessions API: which notebook a kernel runs.

A kernel learns its notebook path once, at launch (``JPY_SESSION_NAME``); after a
rename, or when the server passed a path relative to its root, only the server
knows the current path. This module finds the running servers from their
``jpserver-*.json`` runtime files and asks each for the session of a kernel id.

It reads the runtime files itself instead of calling
``jupyter_server.serverapp.list_running_servers()``: importing ``jupyter_server``
costs about 1 s, which ``track()`` cannot afford; the file format is the same.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SERVER_FILE = re.compile(r"jpserver-(.+)\.json$")
_KERNEL_FILE = re.compile(r"kernel-(.+)\.json$")


@dataclass(frozen=True)
class JupyterServer:
    """A running Jupyter server, as described by its runtime file."""

    url: str
    token: str
    root_dir: Path
    pid: int | None = None


def runtime_dirs() -> list[Path]:
    """Folders that hold server runtime files: Jupyter's runtime dir, then the kernel's.

    A kernel launched by a server writes its connection file in that server's
    runtime dir, so the connection file's folder finds the server even when the
    kernel's environment points elsewhere.
    """
    from jupyter_core.paths import jupyter_runtime_dir

    dirs = [Path(jupyter_runtime_dir())]
    connection_file = current_connection_file()
    if connection_file is not None:
        dirs.append(connection_file.parent)
    return list(dict.fromkeys(d.resolve() for d in dirs))


def running_servers(dirs: Iterable[Path] | None = None) -> list[JupyterServer]:
    """The servers whose runtime file names a live process, in folder order."""
    servers: dict[str, JupyterServer] = {}
    for folder in runtime_dirs() if dirs is None else dirs:
        for info in _server_infos(Path(folder)):
            server = _server_from_info(info)
            if server is not None:
                servers.setdefault(server.url, server)
    return list(servers.values())


def _server_infos(folder: Path) -> list[dict[str, Any]]:
    """The parsed ``jpserver-*.json`` files of live servers in one folder."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    infos = []
    for name in names:
        if not _SERVER_FILE.match(name):
            continue
        try:
            info = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # being written, or removed meanwhile
        if isinstance(info, dict) and _pid_alive(info.get("pid")):
            infos.append(info)
    return infos


def _server_from_info(info: dict[str, Any]) -> JupyterServer | None:
    url = info.get("url") or ""
    root_dir = info.get("root_dir") or info.get("notebook_dir")
    if not url.startswith(("http://", "https://")) or not root_dir:
        return None  # unix-socket servers are not reachable with urllib
    if not url.endswith("/"):
        url += "/"
    return JupyterServer(
        url=url, token=info.get("token") or "", root_dir=Path(root_dir), pid=info.get("pid")
    )


def _pid_alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def list_sessions(server: JupyterServer, timeout: float = 2.0) -> list[dict[str, Any]]:
    """``GET <url>api/sessions``; an empty list when the server does not answer."""
    import urllib.request  # 25 ms with http.client, needed only when a server must be asked
    from http.client import HTTPException

    request = urllib.request.Request(server.url + "api/sessions")
    if server.token:
        request.add_header("Authorization", f"token {server.token}")
    # the server runs on this machine (its pid is alive): never go through an HTTP proxy
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            sessions = json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError, HTTPException):  # URLError is an OSError
        return []
    return sessions if isinstance(sessions, list) else []


def session_path(session: dict[str, Any]) -> str | None:
    """The API path (relative to the server root) of a session's document."""
    path = session.get("path") or (session.get("notebook") or {}).get("path")
    return path if isinstance(path, str) and path else None


def find_notebook_path(
    kernel_id: str, servers: Iterable[JupyterServer] | None = None, timeout: float = 2.0
) -> Path | None:
    """The absolute path of the document whose session runs ``kernel_id``, if any server knows."""
    for server in running_servers() if servers is None else servers:
        for session in list_sessions(server, timeout=timeout):
            if (session.get("kernel") or {}).get("id") != kernel_id:
                continue
            path = session_path(session)
            if path is not None:
                return server.root_dir.joinpath(*path.split("/"))
    return None


def current_connection_file() -> Path | None:
    """The running kernel's connection file, or None outside an ipykernel kernel."""
    if "ipykernel" not in sys.modules:
        return None  # not in a kernel; do not pay for importing ipykernel
    try:
        from ipykernel import get_connection_file

        return Path(get_connection_file()).resolve()
    except Exception:  # RuntimeError outside a running kernel; be quiet about anything else
        return None


def kernel_id_from_connection_file(path: Path | str) -> str | None:
    """``kernel-<id>.json`` -> ``<id>``."""
    match = _KERNEL_FILE.match(Path(path).name)
    return match.group(1) if match else None


def current_kernel_id() -> str | None:
    """The id of the kernel this code runs in, or None."""
    connection_file = current_connection_file()
    return None if connection_file is None else kernel_id_from_connection_file(connection_file)
