"""The running cell as the kernel's execute request tells it, with a fake shell; the call
site of a script; the hash a cell's source is compared by."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from lamin_kernel import runtime
from lamin_kernel.jupyter.cell_hooks import CurrentCell
from lamin_kernel.records.call_sites import (
    CallSite,
    cell_source_hash,
    current_call_site,
    register_call_site_provider,
)
from lamin_kernel.tracking import call_site, state


@pytest.fixture(autouse=True)
def clean_state() -> Iterator[None]:
    yield
    runtime.reset()
    state.reset()
    register_call_site_provider(None)


def fake_shell(messages: list[dict[str, Any]], history: list[str]) -> Any:
    kernel = SimpleNamespace(get_parent=lambda channel: messages[-1])
    return SimpleNamespace(kernel=kernel, history_manager=SimpleNamespace(input_hist_raw=history))


def execute_request(code: str, msg_id: str, cell_id: str | None = None) -> dict[str, Any]:
    return {
        "header": {"msg_type": "execute_request", "msg_id": msg_id},
        "content": {"code": code},
        "metadata": {"cellId": cell_id} if cell_id else {},
    }


def test_cell_source_hash_is_the_start_of_its_sha256() -> None:
    source = "df = ln.Artifact.get(key='a').load()\n# ü"
    assert cell_source_hash(source) == hashlib.sha256(source.encode()).hexdigest()[:16]


def test_cell_id_count_and_hash_come_from_the_execute_request() -> None:
    messages = [execute_request("x = 1", "m1", cell_id="abc-1")]
    history = ["", "import lamin_kernel", "x = 1"]
    cell = CurrentCell(fake_shell(messages, history))
    assert cell() == CallSite("abc-1", 2, cell_source_hash("x = 1"))
    history.append("y = 2")
    messages.append(execute_request("y = 2", "m2"))  # no id sent, no notebook tracked
    assert cell() == CallSite(None, 3, cell_source_hash("y = 2"))
    messages.append(execute_request("z = 3", "m3"))  # silent: not in the history
    assert cell().execution_count is None
    messages.append({"header": {"msg_type": "comm_msg", "msg_id": "m4"}})
    assert cell() is None


def test_without_an_id_the_saved_notebook_names_the_cell(tmp_path: Path) -> None:
    notebook = tmp_path / "nb.ipynb"
    cells = [
        {"cell_type": "code", "id": "one", "source": ["a = 1\n", "b = 2"]},
        {"cell_type": "code", "id": "two", "source": "twice()"},
        {"cell_type": "code", "id": "three", "source": "twice()"},
        {"cell_type": "markdown", "id": "md", "source": "a = 1\nb = 2"},
    ]
    notebook.write_text(json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5}))
    state.set_current(state.Tracked(run=None, kind="notebook", path=notebook))
    messages = [execute_request("a = 1\nb = 2", "m1")]
    cell = CurrentCell(fake_shell(messages, ["", "a = 1\nb = 2"]))
    assert cell().cell_id == "one"
    messages.append(execute_request("twice()", "m2"))
    assert cell().cell_id is None  # the same code in two cells cannot name one
    notebook.write_text("{ not json")
    messages.append(execute_request("a = 1\nb = 2", "m3"))
    assert cell().cell_id is None  # a file being written is no answer, never an error


def test_a_script_call_site_is_its_file_and_line(tmp_path: Path) -> None:
    call_site.register()
    line = current_call_site_line()
    site = current_call_site()
    assert site is not None and site.cell_id is None
    assert site.call_file.endswith("test_cell_hooks.py") and site.call_line == line


def current_call_site_line() -> int:
    import inspect

    return inspect.currentframe().f_back.f_lineno + 1


def test_in_a_kernel_the_cell_wins_and_the_line_is_inside_it() -> None:
    call_site.register()
    runtime.add_hook(state.CURRENT_CELL, lambda: CallSite("cell-9", 9, "h" * 16))
    site = current_call_site()
    # this test file is no IPython cell: no line inside a cell to name
    assert site == CallSite("cell-9", 9, "h" * 16, None, None)
