"""Detection inside a real kernel started by nbclient, with and without JPY_SESSION_NAME."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
DETECT = (
    "from lamin_kernel.tracking.detect import detect_running_code\n"
    "found = detect_running_code()\n"
    "print(found if found is None else f'{found.kind}|{found.source}|{found.path}')"
)


def run_detect_cell(folder: Path, env: dict[str, str]) -> str:
    """Execute a saved one-cell notebook in a fresh kernel; return what the cell printed."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(DETECT)]
    path = folder / "detect.ipynb"
    nbformat.write(nb, path)
    env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))}
    client = NotebookClient(
        nb, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute(env=env)
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["stream"], outputs
    return outputs[0].text.strip()


@pytest.fixture
def environ() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "JPY_SESSION_NAME"}


def test_kernel_with_session_name(tmp_path: Path, environ: dict[str, str]) -> None:
    notebook = str(tmp_path / "detect.ipynb")
    printed = run_detect_cell(tmp_path, {**environ, "JPY_SESSION_NAME": notebook})
    assert printed == f"notebook|session|{notebook}"


def test_kernel_without_session_name_is_not_guessed(
    tmp_path: Path, environ: dict[str, str]
) -> None:
    """nbclient (and nbconvert --execute) name no session: the caller must ask for key=."""
    assert run_detect_cell(tmp_path, environ) == "None"
