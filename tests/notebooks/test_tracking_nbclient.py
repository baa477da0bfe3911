"""Notebooks tracked in real kernels started by nbclient, with and without JPY_SESSION_NAME.

nbclient saves nothing: these are the notebooks "saved by nobody", whose report is made
from the file as it was written before execution, with a warning.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

import lamin_kernel as ln

REPO = Path(__file__).resolve().parents[2]
v4 = nbformat.v4


def kernel_env(notebook: Path | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "JPY_SESSION_NAME"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    if notebook is not None:
        env["JPY_SESSION_NAME"] = str(notebook)
    return {**env, **extra}


def write_notebook(path: Path, sources: list[str], title: str = "# Analysis") -> Any:
    nb = v4.new_notebook()
    nb.cells = [v4.new_markdown_cell(title), *(v4.new_code_cell(s) for s in sources)]
    nbformat.write(nb, path)
    return nb


def outputs_text(cell: Any) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
        elif "text/plain" in output.get("data", {}):
            parts.append(output.data["text/plain"])
    return "".join(parts)


def execute(path: Path, sources: list[str], env: dict[str, str], **kwargs: Any) -> list[str]:
    nb = write_notebook(path, sources)
    client = NotebookClient(
        nb, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}, **kwargs
    )
    client.execute(env=env)
    return [outputs_text(cell) for cell in nb.cells[1:]]


@contextmanager
def open_kernel(path: Path, env: dict[str, str]) -> Iterator[Any]:
    """A kernel whose cells the test runs one by one: ``run(source) -> output text``."""
    nb = write_notebook(path, [])
    client = NotebookClient(
        nb, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    with client.setup_kernel(env=env):

        def run(source: str) -> str:
            cell = v4.new_code_cell(source)
            nb.cells.append(cell)
            client.execute_cell(cell, len(nb.cells) - 1)
            return outputs_text(cell)

        yield run


def test_notebook_tracked_and_finished_by_nobody_saving_it(instance: dict) -> None:
    notebook = instance["tmp"] / "analysis.ipynb"
    outputs = execute(
        notebook,
        [
            "import lamin_kernel as ln\nimport pandas as pd\nln.track()",
            "df = pd.DataFrame({'a': [1, 2]})\n"
            "ln.Artifact.from_dataframe(df, key='nb/out.parquet').save();",
            "import time\nstarted = time.perf_counter()\nln.finish()\n"
            "print(f'finish-took {time.perf_counter() - started:.2f}')",
        ],
        kernel_env(notebook),
    )
    transform = ln.Transform.get(key="analysis.ipynb")
    run = ln.Run.get(transform_id=transform.id)
    assert f"created Transform('{transform.uid}', key='analysis.ipynb')" in outputs[0]
    assert "notebook imports: pandas==" in outputs[0]
    assert f'pass the uid: ln.track("{transform.uid[:12]}")' in outputs[0]
    assert transform.kind == "notebook" and transform.description == "Analysis"
    assert "df = pd.DataFrame" in transform.source_code and transform.hash
    assert ln.Artifact.get(key="nb/out.parquet").run_id == run.id
    assert "looks older than the last executed cell (nobody saved it)" in outputs[2]
    assert run.status == "completed" and run.finished_at is not None
    html = Path(str(run.report.cache())).read_text()
    assert "nb/out.parquet" in html and "<script src=" not in html
    assert run.report.kind == "__lamindb_run__"
    stored = ln.Artifact.get(kind="__lamindb_run__", suffix=".ipynb", run_id=run.id)
    assert Path(str(stored.cache())).read_bytes() == notebook.read_bytes()
    assert "finish-took " in outputs[2]  # the time is printed; benchmarks measure it


def test_without_session_name_track_asks_for_a_key(instance: dict) -> None:
    notebook = instance["tmp"] / "nameless.ipynb"
    outputs = execute(
        notebook,
        [
            "import lamin_kernel as ln\ntry:\n    ln.track()\nexcept ln.errors.InvalidArgument as e:\n"
            "    print('error:', e)",
            "ln.track(key='nameless.ipynb')",
            "ln.finish()",
        ],
        kernel_env(None),
    )
    assert "error: ln.track() cannot tell which notebook" in outputs[0]
    assert "ln.track(key='my_analysis.py')" in outputs[0]
    assert "created Transform(" in outputs[1]
    assert "cannot find the notebook file (no Jupyter session names it)" in outputs[2]
    run = ln.Run.get(transform_id=ln.Transform.get(key="nameless.ipynb").id)
    assert run.status == "completed" and run.report_id is None


def test_finish_without_track_in_a_kernel(instance: dict) -> None:
    notebook = instance["tmp"] / "untracked.ipynb"
    outputs = execute(
        notebook,
        [
            "import lamin_kernel as ln\ntry:\n    ln.finish()\nexcept ln.errors.TrackNotCalled as e:\n"
            "    print('error:', e)"
        ],  # fmt: skip
        kernel_env(notebook),
    )
    assert "error: ln.finish() ends the run that ln.track() started" in outputs[0]


def test_two_kernels_track_one_notebook(instance: dict) -> None:
    notebook = instance["tmp"] / "shared.ipynb"
    env = kernel_env(notebook)
    with open_kernel(notebook, env) as first, open_kernel(notebook, env) as second:
        first("import lamin_kernel as ln\nln.track()")
        second("import lamin_kernel as ln\nln.track()")
        runs = [
            run("print(ln.context.run.uid, ln.context.transform.uid)").split()
            for run in (first, second)
        ]
    assert runs[0][1] == runs[1][1]  # one transform
    assert runs[0][0] != runs[1][0]  # two runs
    assert ln.Run.filter(transform__key="shared.ipynb").count() == 2


def test_status_magic_counts_inputs_and_outputs(instance: dict) -> None:
    source = ln.Artifact.from_dataframe(pd.DataFrame({"x": [0]}), key="in.parquet").save()
    notebook = instance["tmp"] / "counted.ipynb"
    with open_kernel(notebook, kernel_env(notebook)) as run:
        assert "not tracked" in run("%load_ext lamin_kernel\n%lamin status")
        run("import lamin_kernel as ln, pandas as pd\n%lamin track")
        run("ln.Artifact.get(key='in.parquet').load()")
        run("a = ln.Artifact.from_dataframe(pd.DataFrame({'x': [1]}), key='s.parquet').save()")
        run("b = ln.Artifact.from_dataframe(pd.DataFrame({'y': [2]}), key='t.parquet').save()")
        status = run("%lamin status")
        assert "transform: Transform(" in status and "key='counted.ipynb'" in status
        assert f"inputs (1): in.parquet ({source.uid})" in status
        assert "outputs (2): s.parquet" in status and "t.parquet" in status
        assert "finished Run(" in run("%lamin finish")
        assert "✗ %lamin: argument command: invalid choice" in run("%lamin nonsense")


def test_an_error_in_a_cell_does_not_fail_the_run(instance: dict) -> None:
    notebook = instance["tmp"] / "oops.ipynb"
    outputs = execute(
        notebook,
        ["import lamin_kernel as ln\nln.track()", "1 / 0", "ln.finish()"],
        kernel_env(notebook),
        allow_errors=True,
    )
    assert "ZeroDivisionError" in outputs[1]
    run = ln.Run.get(transform_id=ln.Transform.get(key="oops.ipynb").id)
    assert run.status == "completed"


def test_kernel_shut_down_before_finish_aborts_the_run(instance: dict) -> None:
    notebook = instance["tmp"] / "unfinished.ipynb"
    execute(notebook, ["import lamin_kernel as ln\nln.track()"], kernel_env(notebook))
    run = ln.Run.get(transform_id=ln.Transform.get(key="unfinished.ipynb").id)
    assert run.status == "aborted"
    assert run.error == "the kernel shut down before ln.finish()"


def test_auto_track(instance: dict, tmp_path: Path) -> None:
    from lamin_kernel.setup import settings_files
    from lamin_kernel.tracking.startup_file import install_startup_file

    user = settings_files.load_user_settings()
    user.auto_track = True
    settings_files.save_user_settings(user)
    env = kernel_env(None, IPYTHONDIR=str(tmp_path / "ipython"))
    os.environ["IPYTHONDIR"], saved = env["IPYTHONDIR"], os.environ.get("IPYTHONDIR")
    try:
        install_startup_file()
    finally:
        if saved is None:
            os.environ.pop("IPYTHONDIR")
        else:
            os.environ["IPYTHONDIR"] = saved
    notebook = instance["tmp"] / "auto.ipynb"
    env["JPY_SESSION_NAME"] = str(notebook)
    outputs = execute(
        notebook,
        [
            "x = 1",
            "import lamin_kernel as ln\nprint(ln.context.run.uid)\nln.track()",
            "ln.finish()",
        ],
        env,
    )
    transform = ln.Transform.get(key="auto.ipynb")
    run = ln.Run.get(transform_id=transform.id)  # one run: ln.track() adopted the auto-tracked one
    assert f"created Transform('{transform.uid}', key='auto.ipynb')" in outputs[0]
    assert run.uid in outputs[1] and "already tracked (auto-track)" in outputs[1]
    assert run.status == "completed" and run.report_id is not None

    console = instance["tmp"] / "console.ipynb"  # no session name: nothing to track, no noise
    assert execute(console, ["print('plain')"], kernel_env(None, IPYTHONDIR=env["IPYTHONDIR"])) == [
        "plain\n"
    ]


def test_loading_the_extension_is_cheap(tmp_path: Path) -> None:
    """What the auto-track startup file adds to a kernel's start: loading the extension."""
    notebook = tmp_path / "timing.ipynb"
    outputs = execute(
        notebook,
        [
            "import sys, time\nstarted = time.perf_counter()\n"
            "get_ipython().extension_manager.load_extension('lamin_kernel')\n"
            "print(f'{time.perf_counter() - started:.3f}')\n"
            "print(sorted(m for m in ('sqlalchemy', 'pandas', 'nbconvert') if m in sys.modules))"
        ],
        kernel_env(notebook),
    )
    _seconds, loaded = outputs[0].split("\n")[:2]
    assert loaded == "[]"  # nothing heavy is imported; the time is a benchmark's figure


@pytest.mark.parametrize("n_cells", [50])
def test_report_of_a_50_cell_notebook(instance: dict, n_cells: int) -> None:
    notebook = instance["tmp"] / "fifty.ipynb"
    sources = ["import lamin_kernel as ln\nln.track()"]
    sources += [
        f"value_{i} = sum(range({i}))\nprint('cell', {i}, value_{i})" for i in range(n_cells - 2)
    ]
    sources += [
        "import time\nstarted = time.perf_counter()\nln.finish()\n"
        "print(f'finish-took {time.perf_counter() - started:.2f}')"
    ]
    outputs = execute(notebook, sources, kernel_env(notebook))
    run = ln.Run.get(transform_id=ln.Transform.get(key="fifty.ipynb").id)
    assert "value_47" in Path(str(run.report.cache())).read_text()  # nobody saved: no outputs
    assert "finish-took " in outputs[-1]  # the time is printed; benchmarks measure it


def test_a_script_the_notebook_starts_is_tracked_as_the_script(instance: dict) -> None:
    notebook = instance["tmp"] / "driver.ipynb"
    child = instance["tmp"] / "child.py"
    child.write_text("import lamin_kernel as ln\nln.track()\nln.finish()\n")
    outputs = execute(
        notebook,
        [
            "import subprocess, sys\n"
            "done = subprocess.run([sys.executable, 'child.py'], capture_output=True, text=True)\n"
            "print(done.returncode, done.stdout, done.stderr)",
            "import lamin_kernel as ln\nln.track()",
        ],
        kernel_env(notebook),
    )
    assert outputs[0].startswith("0 ") and "key='child.py'" in outputs[0]
    script = ln.Transform.get(key="child.py")
    assert script.kind == "script" and "ln.track()" in script.source_code
    assert ln.Transform.filter(key="driver.ipynb").one().kind == "notebook"  # the kernel still is
    assert ln.Transform.filter(kind="notebook").count() == 1
