"""Fixtures for the public-ontology tests: a private cache folder, raw-release readers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import zstandard

from lamin_kernel.bionty.public.sources import cxg_data_dir, cxg_latest


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the session, so each release is parsed once."""
    return tmp_path_factory.mktemp("lamin_cache")


@pytest.fixture(autouse=True)
def cache_env(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point LAMIN_CACHE_DIR at the session's folder, never at the user's."""
    monkeypatch.setenv("LAMIN_CACHE_DIR", str(shared_cache))
    return shared_cache


def read_raw_release(prefix: str) -> dict[str, dict]:
    """The latest installed release of a prefix, parsed here independently of the package."""
    version = cxg_latest()[prefix]["version"]
    path = cxg_data_dir() / f"{prefix}-ontology-{version}.json.zst"
    with open(path, "rb") as fh:
        return json.load(zstandard.ZstdDecompressor().stream_reader(fh))


@pytest.fixture(scope="session")
def raw_release() -> Callable[[str], dict[str, dict]]:
    """read_raw_release, as a fixture (test modules here are not a package)."""
    return read_raw_release


@pytest.fixture(scope="session")
def count_current() -> Callable[[dict[str, dict]], int]:
    """Count the non-deprecated terms of a raw release."""
    return lambda terms: sum(not term["deprecated"] for term in terms.values())
