"""The comm to JupyterLab and the kernel hooks, with a fake comm and a fake shell."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from lamin_kernel import runtime
from lamin_kernel.jupyter.comm_channel import TARGET_NAME, CommChannel
from lamin_kernel.jupyter.kernel_hooks import KernelFrontEnd
from lamin_kernel.tracking import state


class FakeComm:
    def __init__(self, target_name: str, data: dict) -> None:
        self.target_name = target_name
        self.sent = [data]
        self.on_msg_callback: Any = None
        self.on_close_callback: Any = None

    def send(self, data: dict) -> None:
        self.sent.append(data)

    def on_msg(self, callback: Any) -> None:
        self.on_msg_callback = callback

    def on_close(self, callback: Any) -> None:
        self.on_close_callback = callback


class FakeEvents:
    def __init__(self) -> None:
        self.callbacks: dict[str, list[Any]] = {}

    def register(self, name: str, callback: Any) -> None:
        self.callbacks.setdefault(name, []).append(callback)


@pytest.fixture
def comms() -> list[FakeComm]:
    return []


@pytest.fixture
def channel(comms: list[FakeComm]) -> CommChannel:
    def create(target_name: str, data: dict) -> FakeComm:
        comms.append(FakeComm(target_name, data))
        return comms[-1]

    return CommChannel(create_comm=create)


@pytest.fixture(autouse=True)
def clean_hooks() -> Any:
    yield
    runtime.reset()


def test_first_message_opens_the_comm_later_ones_reuse_it(
    channel: CommChannel, comms: list[FakeComm]
) -> None:
    channel.send({"type": "status", "tracked": False})
    request_id = channel.request_save()
    assert len(comms) == 1 and comms[0].target_name == TARGET_NAME == "lamin_kernel"
    assert comms[0].sent == [
        {"type": "status", "tracked": False},
        {"type": "save_request", "request_id": request_id},
    ]


def test_a_closed_comm_is_reopened(channel: CommChannel, comms: list[FakeComm]) -> None:
    channel.send({"type": "status", "tracked": False})
    comms[0].on_close_callback({})
    channel.send({"type": "status", "tracked": False})
    assert len(comms) == 2


def test_saved_replies_are_remembered(channel: CommChannel, comms: list[FakeComm]) -> None:
    request_id = channel.request_save()
    assert not channel.frontend_answered
    comms[0].on_msg_callback({"content": {"data": {"type": "saved", "request_id": request_id}}})
    comms[0].on_msg_callback({"content": {"data": {"type": "unknown"}}})
    comms[0].on_msg_callback({"content": {"data": "garbage"}})
    assert channel.frontend_answered and channel.saved_requests == {request_id}


def shell(history: list[str]) -> Any:
    return SimpleNamespace(
        events=FakeEvents(), history_manager=SimpleNamespace(input_hist_raw=["", *history])
    )


def test_save_waits_for_the_file_to_change(
    tmp_path: Path, channel: CommChannel, comms: list[FakeComm]
) -> None:
    notebook = tmp_path / "a.ipynb"
    notebook.write_text("{}")
    front_end = KernelFrontEnd(shell([]), channel)

    def frontend_saves() -> None:
        while not comms:
            time.sleep(0.01)
        time.sleep(0.2)
        notebook.write_text('{"saved": true}')

    saver = threading.Thread(target=frontend_saves)
    saver.start()
    started = time.monotonic()
    assert front_end.save_notebook(notebook, expect_frontend=True) is True
    saver.join()
    assert time.monotonic() - started > 0.15  # it waited for the front end's save
    assert comms[0].sent[0]["type"] == "save_request"


def test_save_gives_up_after_the_timeout(
    tmp_path: Path, channel: CommChannel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAMIN_SAVE_TIMEOUT", "0.3")
    notebook = tmp_path / "a.ipynb"
    notebook.write_text("{}")
    started = time.monotonic()
    assert KernelFrontEnd(shell([]), channel).save_notebook(notebook, True) is False
    assert time.monotonic() - started >= 0.3  # it waited the whole timeout, then gave up


def test_nobody_to_ask_means_no_request(
    tmp_path: Path, channel: CommChannel, comms: list[FakeComm]
) -> None:
    assert KernelFrontEnd(shell([]), channel).save_notebook(tmp_path / "a.ipynb", False) is None
    assert comms == []


def test_executed_cells_and_the_start_of_the_cell_before(channel: CommChannel) -> None:
    front_end = KernelFrontEnd(shell(["import x", "", "x.go()", "ln.finish()"]), channel)
    front_end.register()
    first = front_end._cell_starts[-1]
    front_end.cell_started()
    cells = front_end.executed_cells()
    assert cells.recent_sources == ["x.go()", "ln.finish()"]
    assert cells.last_started == first
    assert runtime.hooks(state.BEFORE_FINISH) == [front_end.save_notebook]
    assert front_end.shell.events.callbacks["pre_run_cell"] == [front_end.cell_started]


def test_status_messages(channel: CommChannel, comms: list[FakeComm]) -> None:
    KernelFrontEnd(shell([]), channel).send_status({"tracked": False})
    assert comms[0].sent == [{"type": "status", "tracked": False}]
