"""The on-disk cache of package facts, keyed by the sys.path folders' mtimes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from lamin_kernel.tracking import python_cache


def test_cached_until_a_sys_path_folder_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path / "script"), str(site)])
    calls: list[int] = []

    def compute() -> dict:
        calls.append(1)
        return {"n": len(calls)}

    assert python_cache.cached("thing", compute) == {"n": 1}
    assert python_cache.cached("thing", compute) == {"n": 1}
    (tmp_path / "script").mkdir()  # the script's folder (sys.path[0]) does not count
    assert python_cache.cached("thing", compute) == {"n": 1}
    (site / "new_package").mkdir()  # "pip install" adds an entry
    os.utime(site, ns=(1, 1))
    assert python_cache.cached("thing", compute) == {"n": 2}
    assert len(calls) == 2


def test_a_broken_cache_file_is_recomputed() -> None:
    file = python_cache.cache_dir() / "tracking" / "broken.json"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("{not json")
    assert python_cache.cached("broken", lambda: [1]) == [1]
