"""Runtime files of Jupyter servers and kernels, read without importing jupyter_server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lamin_kernel.tracking.jupyter_sessions import (
    JupyterServer,
    find_notebook_path,
    kernel_id_from_connection_file,
    list_sessions,
    running_servers,
    session_path,
)


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def write_server_file(folder: Path, pid: int, **info: object) -> None:
    data = {"url": "http://127.0.0.1:1/", "token": "T", "root_dir": "/srv", "pid": pid, **info}
    (folder / f"jpserver-{pid}.json").write_text(json.dumps(data))


def test_running_servers_only_live_http_ones(tmp_path: Path) -> None:
    write_server_file(tmp_path, os.getpid(), url="http://127.0.0.1:1/base")
    write_server_file(tmp_path, dead_pid())
    write_server_file(tmp_path, os.getppid(), url="http+unix://%2Ftmp%2Fsock/")
    (tmp_path / "jpserver-9.json").write_text("{half-writ")
    (tmp_path / "kernel-abc.json").write_text("{}")
    assert running_servers([tmp_path]) == [
        JupyterServer("http://127.0.0.1:1/base/", "T", Path("/srv"), os.getpid())
    ]


def test_missing_runtime_dir(tmp_path: Path) -> None:
    assert running_servers([tmp_path / "nope"]) == []


def test_unreachable_server_has_no_sessions() -> None:
    server = JupyterServer("http://127.0.0.1:1/", "T", Path("/srv"))
    assert list_sessions(server, timeout=0.5) == []
    assert find_notebook_path("k", [server], timeout=0.5) is None


def test_kernel_id_from_connection_file() -> None:
    assert kernel_id_from_connection_file("/rt/kernel-3ad3b379-28ac.json") == "3ad3b379-28ac"
    assert kernel_id_from_connection_file("/rt/other.json") is None


def test_session_path_both_models() -> None:
    assert session_path({"path": "a/b.ipynb"}) == "a/b.ipynb"
    assert session_path({"notebook": {"path": "c.ipynb"}}) == "c.ipynb"
    assert session_path({"path": ""}) is None
