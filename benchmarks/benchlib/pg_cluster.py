"""A PostgreSQL cluster that outlives a run: the scale family's cached instances live in it.

Made once with ``initdb`` under ``benchmarks/results/scale-cache/postgres`` and started on the
port chosen then (instances store their database URL, port included), so a registry built in
one run is measured again in the next. Stopped by ``pg_ctl`` at the end of the family.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(cmd: list[str], check: bool = True) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        cmd = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{c}'" for c in cmd)]
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


@dataclass
class Cluster:
    data_dir: Path
    port: int
    bin_dir: Path

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new, empty database (an old one of that name is dropped)."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        _as_postgres(
            [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"],
            check=False,
        )


def start(root: Path) -> Cluster:
    """Start the cluster under ``root`` (made on first use) on its stored port."""
    if not PG_BIN_CANDIDATES:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
    bin_dir = PG_BIN_CANDIDATES[0]
    data_dir = root / "data"
    port_file = root / "port"
    if not (data_dir / "PG_VERSION").exists():
        shutil.rmtree(root, ignore_errors=True)
        data_dir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
            shutil.chown(data_dir, "postgres", "postgres")
        _as_postgres(
            [str(bin_dir / "initdb"), "-D", str(data_dir), "-U", "postgres", "--auth=trust"]
            + ["-E", "UTF8", "--locale=C.UTF-8"]
        )
        port_file.write_text(str(_free_port()))
    port = int(port_file.read_text())
    cluster = Cluster(data_dir, port, bin_dir)
    status = _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "status"], check=False)
    if status.returncode == 0:  # left running by an interrupted run
        return cluster
    opts = (
        f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=100 "
        "-c shared_buffers=256MB"
    )
    _as_postgres(
        [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-o", opts]
        + ["-l", str(data_dir / "server.log"), "-w", "start"]
    )
    return cluster
