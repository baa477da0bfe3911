"""Detection in kernels of a real ``jupyter server``: relative session paths and renames.

The server runs as a subprocess on 127.0.0.1 with a token, a temporary root and
temporary config/runtime dirs; its kernels inherit JUPYTER_RUNTIME_DIR, so the
kernel finds the server's ``jpserver-<pid>.json`` there and asks /api/sessions.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_client import BlockingKernelClient
from lamin_server_support import Server, jupyter_server

from lamin_kernel.tracking.jupyter_sessions import JupyterServer, running_servers

REPO = Path(__file__).resolve().parents[2]
DETECT = (
    "from lamin_kernel.tracking.detect import detect_running_code\n"
    "found = detect_running_code()\n"
    "print(f'{found.kind}|{found.source}|{found.path}|{__session__}')"
)
EMPTY_NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with jupyter_server(tmp_path_factory.mktemp("jupyter")) as running:
        (running.root / "sub").mkdir(parents=True, exist_ok=True)
        yield running


def open_notebook(server: Server, path: str, name: str | None) -> dict:
    """Save an empty notebook at ``path`` and start a session for it, as a frontend would."""
    server.call("PUT", f"api/contents/{path}", {"type": "notebook", "content": EMPTY_NOTEBOOK})
    body: dict[str, Any] = {"path": path, "type": "notebook", "kernel": {"name": "python3"}}
    if name is not None:
        body["name"] = name
    return server.call("POST", "api/sessions", body)


def rename(server: Server, session: dict, new_path: str) -> None:
    """What JupyterLab does on rename: move the file, then point the session at it."""
    server.call("PATCH", f"api/contents/{session['path']}", {"path": new_path})
    server.call("PATCH", f"api/sessions/{session['id']}", {"path": new_path})


def run_in_kernel(server: Server, session: dict, code: str) -> str:
    """Execute code in the session's kernel through its connection file; return its stdout."""
    connection_file = server.runtime_dir / f"kernel-{session['kernel']['id']}.json"
    client = BlockingKernelClient(connection_file=str(connection_file))
    client.load_connection_file()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        chunks: list[str] = []

        def collect(message: dict) -> None:
            if message["msg_type"] == "stream":
                chunks.append(message["content"]["text"])
            elif message["msg_type"] == "error":
                chunks.append("\n".join(message["content"]["traceback"]))

        reply = client.execute_interactive(code, output_hook=collect, timeout=60)
        assert reply["content"]["status"] == "ok", "".join(chunks)
        return "".join(chunks).strip()
    finally:
        client.stop_channels()


def test_server_listed_like_jupyter_server_lists_it(server: Server) -> None:
    from jupyter_server.serverapp import list_running_servers

    theirs = [
        JupyterServer(info["url"], info["token"], Path(info["root_dir"]), info["pid"])
        for info in list_running_servers(str(server.runtime_dir))
    ]
    assert running_servers([server.runtime_dir]) == theirs
    assert theirs[0].pid == server.process.pid


def test_relative_session_path_and_rename(server: Server) -> None:
    """POST /api/sessions without a name: the kernel sees the relative API path."""
    session = open_notebook(server, "sub/demo.ipynb", name=None)
    found = run_in_kernel(server, session, DETECT)
    assert found == f"notebook|jupyter_api|{server.root / 'sub' / 'demo.ipynb'}|sub/demo.ipynb"

    rename(server, session, "sub/renamed.ipynb")
    found = run_in_kernel(server, session, DETECT)
    assert found == f"notebook|jupyter_api|{server.root / 'sub' / 'renamed.ipynb'}|sub/demo.ipynb"

    # no session name at all (older servers): the kernel id alone finds the notebook
    without_name = "import os; os.environ.pop('JPY_SESSION_NAME'); print(detect_running_code({}))"
    found = run_in_kernel(server, session, without_name)
    assert "'jupyter_api'" in found and "renamed.ipynb" in found
    server.call("DELETE", f"api/sessions/{session['id']}")


def test_absolute_session_path_and_rename(server: Server) -> None:
    """With a name (what JupyterLab sends) the path is absolute, and stale after a rename."""
    session = open_notebook(server, "sub/named.ipynb", name="named.ipynb")
    absolute = server.root / "sub" / "named.ipynb"
    found = run_in_kernel(server, session, DETECT)
    assert found == f"notebook|session|{absolute}|{absolute}"

    rename(server, session, "moved.ipynb")
    found = run_in_kernel(server, session, DETECT)
    assert found == f"notebook|jupyter_api|{server.root / 'moved.ipynb'}|{absolute}"
    server.call("DELETE", f"api/sessions/{session['id']}")
