"""The kernel's state file: atomic writes, reads by kernel id or notebook path, dead kernels."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lamin_kernel.tracking import kernel_state

STATE = {
    "tracked": True,
    "transform": {"uid": "T" * 16, "key": "a.ipynb", "version_tag": None},
    "run": {"uid": "R" * 16, "started_at": "2026-01-01T00:00:00+00:00", "finished_at": None},
    "n_inputs": 1,
    "n_outputs": 2,
}


def test_write_then_read_by_kernel_id(tmp_path: Path) -> None:
    file = kernel_state.write_state("k-1", STATE, tmp_path / "a.ipynb")
    assert file == kernel_state.state_dir() / "k-1.json"
    assert str(file).startswith(os.environ["LAMIN_SETTINGS_DIR"])
    assert kernel_state.read_state("k-1") == STATE
    assert [p.name for p in file.parent.iterdir()] == ["k-1.json"]  # no temporary left


def test_read_by_absolute_and_relative_path(tmp_path: Path) -> None:
    notebook = tmp_path / "sub" / "a.ipynb"
    kernel_state.write_state("k-2", STATE, notebook)
    assert kernel_state.read_state(path=notebook) == STATE
    assert kernel_state.read_state(path="sub/a.ipynb") == STATE
    assert kernel_state.read_state(path="other/a.ipynb") is None
    assert kernel_state.read_state(path=tmp_path / "b.ipynb") is None


def test_the_newest_state_of_one_notebook_wins(tmp_path: Path) -> None:
    notebook = tmp_path / "a.ipynb"
    kernel_state.write_state("old", {**STATE, "n_inputs": 7}, notebook)
    kernel_state.write_state("new", STATE, notebook)
    assert kernel_state.read_state(path=notebook)["n_inputs"] == 1


def test_a_dead_kernel_has_no_state(tmp_path: Path) -> None:
    file = kernel_state.write_state("k-3", STATE, tmp_path / "a.ipynb")
    payload = json.loads(file.read_text())
    file.write_text(json.dumps({**payload, "pid": 2**22 + 12345}))
    assert kernel_state.read_state("k-3") is None
    assert kernel_state.read_state(path=tmp_path / "a.ipynb") is None


def test_untracked_and_unknown() -> None:
    kernel_state.write_state("k-4", {"tracked": False})
    assert kernel_state.read_state("k-4") == {"tracked": False}
    assert kernel_state.read_state("nope") is None
    assert kernel_state.read_state("../etc") is None
    assert kernel_state.read_state() is None  # not in a kernel


def test_remove_state(tmp_path: Path) -> None:
    kernel_state.write_state("k-5", STATE)
    kernel_state.remove_state("k-5")
    kernel_state.remove_state("k-5")
    assert kernel_state.read_state("k-5") is None


def test_bad_kernel_ids_are_refused() -> None:
    for bad in ("", "a/b", ".hidden"):
        with pytest.raises(ValueError):
            kernel_state.state_file(bad)
