"""A real ``jupyter server`` for tests, and a kernel client that can act as the frontend.

The server runs as a subprocess on 127.0.0.1 with a token and temporary root, config and
runtime folders; it inherits the test's environment (LAMIN_SETTINGS_DIR), so its kernels
use the test's instance. ``KernelSession.run`` executes code and hands every comm message
from the kernel to a callback, which is how a test plays the JupyterLab extension.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client import BlockingKernelClient

REPO = Path(__file__).resolve().parents[2]
TOKEN = "lamin-tracking-token"


@dataclass
class Server:
    url: str
    root: Path
    runtime_dir: Path
    process: subprocess.Popen

    def call(self, method: str, route: str, body: dict | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + route, data=data, method=method)
        request.add_header("Authorization", f"token {TOKEN}")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=30) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def save(self, path: str, notebook: dict) -> None:
        """What JupyterLab's save does: PUT the notebook model."""
        self.call("PUT", f"api/contents/{path}", {"type": "notebook", "content": notebook})

    def open_notebook(self, path: str, cells: list[str], name: str | None) -> dict:
        (self.root / path).parent.mkdir(parents=True, exist_ok=True)
        self.save(path, notebook_json(cells))
        body: dict[str, Any] = {"path": path, "type": "notebook", "kernel": {"name": "python3"}}
        if name is not None:
            body["name"] = name
        return self.call("POST", "api/sessions", body)

    def rename(self, session: dict, new_path: str) -> None:
        self.call("PATCH", f"api/contents/{session['path']}", {"path": new_path})
        self.call("PATCH", f"api/sessions/{session['id']}", {"path": new_path})


def notebook_json(cells: list[str]) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": s,
                "outputs": [],
                "execution_count": None,
            }
            for s in cells
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 4,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def jupyter_server(base: Path, **env_extra: str) -> Iterator[Server]:
    root, config, runtime, data = (base / n for n in ("root", "config", "runtime", "data"))
    for folder in (root, config, runtime, data):
        folder.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "JPY_SESSION_NAME"}
    env.update(
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTER_RUNTIME_DIR=str(runtime),
        JUPYTER_DATA_DIR=str(data),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        **env_extra,
    )
    port = free_port()
    command = [
        sys.executable, "-m", "jupyter_server", "--no-browser", "--ip=127.0.0.1",
        f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root}",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = (base / "server.log").open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}/", root, runtime, process)
    try:
        _wait(server)
        yield server
    finally:
        process.terminate()  # by its own PID; the server shuts its kernels down
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"jupyter server exited with {server.process.returncode}")
        try:
            server.call("GET", "api/status")
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("jupyter server did not answer")


@dataclass
class KernelSession:
    """A session's kernel, driven through its connection file."""

    server: Server
    session: dict
    on_comm: Callable[[dict], None] | None = None
    comm_messages: list[dict] = field(default_factory=list)

    @property
    def kernel_id(self) -> str:
        return self.session["kernel"]["id"]

    def run(self, code: str, timeout: float = 120) -> str:
        connection_file = self.server.runtime_dir / f"kernel-{self.kernel_id}.json"
        client = BlockingKernelClient(connection_file=str(connection_file))
        client.load_connection_file()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            chunks: list[str] = []
            reply = client.execute_interactive(
                code, output_hook=lambda m: self._collect(m, chunks), timeout=timeout
            )
            assert reply["content"]["status"] == "ok", "".join(chunks)
            return "".join(chunks)
        finally:
            client.stop_channels()

    def _collect(self, message: dict, chunks: list[str]) -> None:
        kind = message["msg_type"]
        if kind == "stream":
            chunks.append(message["content"]["text"])
        elif kind == "error":
            chunks.append("\n".join(message["content"]["traceback"]))
        elif kind in ("comm_open", "comm_msg") and _is_lamin_comm(message):
            data = message["content"]["data"]
            self.comm_messages.append(data)
            if self.on_comm is not None:
                self.on_comm(data)


def _is_lamin_comm(message: dict) -> bool:
    """comm_open names its target; comm_msg does not (only our comm sends them here)."""
    return message["content"].get("target_name", "lamin_kernel") == "lamin_kernel"
