"""Tracking in kernels of a real ``jupyter server``: the frontend's save, renames, kernel state.

The test plays the JupyterLab extension: it listens to the kernel's ``lamin_kernel`` comm
and answers a ``save_request`` by saving the notebook through the contents API, as
JupyterLab does; the kernel only watches the file on disk change.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lamin_server_support import KernelSession, Server, jupyter_server, notebook_json

import lamin_kernel as ln
from lamin_kernel.tracking import kernel_state

TRACK = "import lamin_kernel as ln\nln.track()"
FINISH = "import time\nstarted = time.perf_counter()\nln.finish()\nprint(f'finish-took {time.perf_counter() - started:.2f}')"


@pytest.fixture
def server(instance: dict, tmp_path: Path) -> Iterator[Server]:
    with jupyter_server(tmp_path / "jupyter", LAMIN_SAVE_TIMEOUT="1.5") as running:
        yield running


def frontend(server: Server, path: str, cells: list[str]) -> tuple[list[str], object]:
    """A fake JupyterLab: on each save_request, save the notebook with a marker output."""
    saved: list[str] = []

    def on_comm(data: dict) -> None:
        if data.get("type") == "save_request":
            notebook = notebook_json(cells)
            notebook["cells"][-1]["outputs"] = [
                {"output_type": "stream", "name": "stdout", "text": "saved-by-the-frontend\n"}
            ]
            server.save(saved_path[0], notebook)
            saved.append(data["request_id"])

    saved_path = [path]
    on_comm.saved_path = saved_path  # type: ignore[attr-defined]
    return saved, on_comm


def test_finish_has_the_frontend_save_the_notebook(server: Server) -> None:
    cells = [TRACK, "x = 1", FINISH]
    session = KernelSession(server, server.open_notebook("sub/lab.ipynb", cells, name="lab.ipynb"))
    saved, on_comm = frontend(server, "sub/lab.ipynb", cells)
    session.on_comm = on_comm  # type: ignore[assignment]
    out = session.run(TRACK)
    assert "created Transform(" in out and "key='lab.ipynb'" in out
    status = session.comm_messages[-1]
    assert status["type"] == "status" and status["tracked"] is True
    assert status["transform"]["key"] == "lab.ipynb" and status["run"]["finished_at"] is None
    session.run("x = 1")
    out = session.run(FINISH)
    assert len(saved) == 1 and "looks older" not in out, out
    assert float(out.split("finish-took ")[1]) < 3.0
    run = ln.Run.get(transform_id=ln.Transform.get(key="lab.ipynb").id)
    assert run.report_id is not None, out
    assert "saved-by-the-frontend" in Path(str(run.report.cache())).read_text()
    assert session.comm_messages[-1]["run"]["finished_at"] is not None


def test_kernel_state_is_readable_while_tracking(server: Server) -> None:
    session = KernelSession(
        server, server.open_notebook("state.ipynb", [TRACK], name="state.ipynb")
    )
    assert kernel_state.read_state(session.kernel_id) is None
    session.run(TRACK)
    state = kernel_state.read_state(session.kernel_id)
    assert state["tracked"] is True and state["transform"]["key"] == "state.ipynb"
    run = ln.Run.get(transform_id=ln.Transform.get(key="state.ipynb").id)
    assert state["run"] == {
        "uid": run.uid,
        "started_at": state["run"]["started_at"],
        "finished_at": None,
    }
    assert kernel_state.read_state(path=server.root / "state.ipynb") == state
    assert kernel_state.read_state(path="state.ipynb") == state
    session.run(
        "import pandas as pd\n"
        "ln.Artifact.from_dataframe(pd.DataFrame({'a': [1]}), key='k.parquet').save()"
    )
    state = kernel_state.read_state(session.kernel_id)
    assert (state["n_inputs"], state["n_outputs"]) == (0, 1)
    assert session.comm_messages[-1]["n_outputs"] == 1
    server.call("DELETE", f"api/sessions/{session.session['id']}")
    deadline = time.monotonic() + 20
    while kernel_state.read_state(session.kernel_id) is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert kernel_state.read_state(session.kernel_id) is None  # the kernel shut down


def test_rename_during_the_run(server: Server) -> None:
    cells = [TRACK, FINISH]
    raw = server.open_notebook("before.ipynb", cells, name=None)  # a relative session path
    session = KernelSession(server, raw)
    saved, on_comm = frontend(server, "after.ipynb", cells)
    session.on_comm = on_comm  # type: ignore[assignment]
    assert "key='before.ipynb'" in session.run(TRACK)
    server.rename(raw, "after.ipynb")
    out = session.run(FINISH)
    assert saved and "looks older" not in out
    run = ln.Run.get(transform_id=ln.Transform.get(key="before.ipynb").id)
    notebook = ln.Artifact.get(kind="__lamindb_run__", suffix=".ipynb", run_id=run.id)
    assert Path(str(notebook.cache())).read_bytes() == (server.root / "after.ipynb").read_bytes()


def test_no_frontend_answers(server: Server) -> None:
    cells = [TRACK, "y = 2", FINISH]
    session = KernelSession(server, server.open_notebook("alone.ipynb", cells, name="alone.ipynb"))
    session.run(TRACK)
    session.run("y = 2")
    started = time.monotonic()
    out = session.run(FINISH)
    assert 1.5 <= time.monotonic() - started < 10  # waited LAMIN_SAVE_TIMEOUT, then went on
    assert "looks older than the last executed cell (nobody saved it)" in out
    assert any(m.get("type") == "save_request" for m in session.comm_messages)
    run = ln.Run.get(transform_id=ln.Transform.get(key="alone.ipynb").id)
    assert run.report_id is not None and run.status == "completed"
