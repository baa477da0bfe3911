"""`make lab`: make the default instance if none is current, then start JupyterLab.

The instance lives at ./lamin-data (with bionty); JupyterLab gets a free port from 8888 up,
`--allow-root` only when run as root, and prints its URL with the token.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port(start: int = 8888) -> int:
    for port in range(start, start + 100):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("no free port between 8888 and 8987")


def ensure_instance() -> None:
    from lamin_kernel.setup import settings_files

    if settings_files.current_slug() is None:
        lamin = Path(sys.executable).with_name("lamin")
        subprocess.run(
            [str(lamin), "init", "--storage", str(ROOT / "lamin-data"), "--modules", "bionty"],
            check=True,
        )


def main() -> None:
    ensure_instance()
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={free_port()}",
        f"--ServerApp.root_dir={ROOT}",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    os.execv(sys.executable, cmd)


if __name__ == "__main__":
    main()
