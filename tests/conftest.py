"""Fixtures shared by every test: isolated settings, real PostgreSQL and S3 servers, instances.

`instance` is parametrised over the backends a test wants (marker `backends`); the default
is a local SQLite instance. Servers start once per session, only when a test needs them.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import PostgresServer, S3Server, start_postgres, start_s3

ALL_BACKENDS = ("sqlite-local", "postgres-local", "sqlite-s3", "postgres-s3")
_db_counter = itertools.count()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "backends(*names): run the test on these instance backends")


@pytest.fixture(autouse=True)
def isolated_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own settings and cache folders; nothing is read from ~/.lamin."""
    root = tmp_path_factory.mktemp("lamin-home")
    monkeypatch.setenv("LAMIN_SETTINGS_DIR", str(root / "settings"))
    monkeypatch.setenv("LAMIN_CACHE_DIR", str(root / "cache"))
    return root


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    server = start_s3()
    saved = {k: os.environ.get(k) for k in server.env()}
    os.environ.update(server.env())
    yield server
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    server.stop()


def new_bucket(s3_server: S3Server) -> str:
    import boto3

    name = f"lk-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_server.endpoint).create_bucket(Bucket=name)
    return f"s3://{name}"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "instance" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("backends")
        names = marker.args if marker else ("sqlite-local",)
        if names == ("all",):
            names = ALL_BACKENDS
        metafunc.parametrize("instance", names, indirect=True)


@pytest.fixture
def instance(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict]:
    """A fresh, connected instance on the requested backend."""
    from lamin_kernel import runtime
    from lamin_kernel.setup import instance as setup_instance

    backend = request.param
    db, storage_kind = backend.split("-")
    storage = str(tmp_path / "storage")
    if storage_kind == "s3":
        storage = new_bucket(request.getfixturevalue("s3_server"))
    db_url = None
    if db == "postgres":
        db_url = request.getfixturevalue("postgres").create_database(
            f"lk_{os.getpid()}_{next(_db_counter)}"
        )
    runtime.reset()
    settings = setup_instance.init(storage, db=db_url, name=f"test-{uuid.uuid4().hex[:6]}")
    yield {
        "backend": backend,
        "storage": storage,
        "db": db_url,
        "settings": settings,
        "tmp": tmp_path,
    }
    runtime.reset()
