"""The extension loads in a real `jupyter server` process enabled from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import lamin_kernel as ln
from tests.support.servers import free_port

TOKEN = "lamin-test-token"


def get(url: str, token: str | None = TOKEN) -> tuple[int, bytes]:
    headers = {"Authorization": f"token {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_real_jupyter_server_serves_the_api(instance: dict, tmp_path: Path) -> None:
    ln.ULabel(name="from the test process").save()
    port = free_port()
    (tmp_path / "jupyter-config").mkdir()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config")}
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={tmp_path}",
        "--ServerApp.jpserver_extensions={'lamin_kernel.server': True}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if get(f"{base}/api/status")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            time.sleep(0.3)
        status, body = get(f"{base}/lamin/api/instance")
        assert status == 200, body
        assert json.loads(body)["slug"] == instance["settings"].slug
        status, body = get(f"{base}/lamin/api/registries/ULabel/records")
        assert status == 200 and json.loads(body)["records"][0]["name"] == "from the test process"
        assert get(f"{base}/lamin/api/instance", token=None)[0] == 403
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    assert "lamin_kernel: REST API at /lamin/api/" in (tmp_path / "server.log").read_text()
