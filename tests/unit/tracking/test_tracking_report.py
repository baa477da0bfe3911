"""The HTML report: a 50-cell notebook executed by a real kernel, rendered to read offline."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from lamin_kernel.tracking.report import external_resources, render_notebook_html

REPO = Path(__file__).resolve().parents[3]
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f8e1ed0000000049454e44ae426082"
    )
).decode()


def fifty_cells() -> list:
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell(
            "# Report test\nInline math $e^{i\\pi} + 1 = 0$ and a [link](https://example.org)."
        ),
        v4.new_code_cell(
            "from IPython.display import HTML, Image, Markdown, display\nimport base64"
        ),
        v4.new_code_cell(f"display(Image(data=base64.b64decode('{PNG}')))"),
        v4.new_code_cell("display(HTML('<table><tr><td>cell-html-output</td></tr></table>'))"),
        v4.new_code_cell("%%javascript\nconsole.log('inline js is fine')"),
    ]
    for i in range(len(cells), 50):
        if i % 5 == 0:
            cells.append(v4.new_markdown_cell(f"## Section {i}\nSome *text* and `code`."))
        else:
            cells.append(
                v4.new_code_cell(
                    f"value_{i} = sum(range({i}))\nprint('output-of-cell', {i}, value_{i})"
                )
            )
    return cells


@pytest.fixture(scope="module")
def executed_notebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    nb = nbformat.v4.new_notebook()
    nb.cells = fifty_cells()
    NotebookClient(
        nb, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    path = folder / "fifty.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_report_keeps_outputs_and_reads_offline(executed_notebook: Path) -> None:
    html = render_notebook_html(executed_notebook)
    assert external_resources(html) == []
    assert "cdn" not in html.lower()
    assert "<script src=" not in html and "require.js" not in html
    assert "output-of-cell 49 1176" in html  # stream output
    assert "cell-html-output" in html  # display_data text/html
    assert "data:image/png;base64," in html  # image output embedded
    assert "Section 45" in html and "e^{i\\pi}" in html  # markdown kept, LaTeX as source
    assert "https://example.org" in html  # plain links stay links
    assert "<style" in html  # CSS inlined


def test_a_print_split_into_several_stream_messages_reads_as_one_block(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('total', 49, 1176)")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="total"),
        nbformat.v4.new_output("stream", name="stdout", text=" 49 1176\n"),
        nbformat.v4.new_output("stream", name="stderr", text="a warning\n"),
    ]
    nb.cells = [cell]
    path = tmp_path / "split.ipynb"
    nbformat.write(nb, path)
    html = render_notebook_html(path)
    assert "total 49 1176" in html
    assert "a warning" in html


def test_external_resources_finds_what_loads_from_a_cdn() -> None:
    html = (
        '<script src="https://cdn.example/x.js"></script>'
        "<link rel='stylesheet' href='//cdn.example/y.css'>"
        "<style>@import url(https://fonts.example/z.css);</style>"
        '<script type="module">await import("https://cdn.example/m.mjs")</script>'
        '<a href="https://example.org">a link is not a resource</a>'
        '<script src="local.js"></script>'
    )
    assert external_resources(html) == [
        "https://cdn.example/x.js",
        "//cdn.example/y.css",
        "https://fonts.example/z.css",
        "https://cdn.example/m.mjs",
    ]


TIMED_RENDER = """
import sys, time
start = time.perf_counter()
from lamin_kernel.tracking import report
if sys.argv[2] == "preload":
    report.preload_report_renderer()
    time.sleep(3)  # the notebook runs meanwhile
    start = time.perf_counter()
html = report.render_notebook_html(sys.argv[1])
print(f"{time.perf_counter() - start:.2f}")
"""


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["cold", "preload"])
def test_report_timing_printed(executed_notebook: Path, mode: str) -> None:
    """Seconds from the call to the HTML in a fresh process, nbconvert's import included when cold."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", TIMED_RENDER, str(executed_notebook), mode],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    print(f"\nreport of a 50-cell notebook, {mode}: {result.stdout.strip()} s")


def test_second_render_is_fast(executed_notebook: Path) -> None:
    render_notebook_html(executed_notebook)
    start = time.perf_counter()
    render_notebook_html(executed_notebook)
    print(f"\nwarm render: {time.perf_counter() - start:.3f} s")


def test_widgets_fall_back_to_text_and_rendering_is_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], recwarn: pytest.WarningsRecorder
) -> None:
    """Saved widget state would pull the widget manager from unpkg: show the text instead."""
    cell = nbformat.v4.new_code_cell("slider")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "application/vnd.jupyter.widget-view+json": {"model_id": "m1", "version_major": 2},
                "text/plain": "IntSlider(value=3)",
            },
        ),
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<img>"}),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    state = {"m1": {"model_name": "IntSliderModel", "state": {"value": 3}}}
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": state, "version_major": 2}
    }
    del nb.cells[0]["id"]  # an old notebook: nbformat would warn
    path = tmp_path / "widgets.ipynb"
    path.write_text(json.dumps(nb))

    html = render_notebook_html(path)
    assert "IntSlider(value=3)" in html
    assert external_resources(html) == [] and "unpkg" not in html
    assert capsys.readouterr().err == "" and len(recwarn) == 0


def test_each_cell_has_an_anchor_of_its_id_that_its_prompt_links_to(tmp_path: Path) -> None:
    from lamin_kernel.records.report_cells import code_cells
    from lamin_kernel.tracking.report import cell_anchor

    nb = nbformat.v4.new_notebook()
    first, second = nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("y = 2")
    first.execution_count, second.execution_count = 7, None  # never run: an empty prompt
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), first, second]
    path = tmp_path / "anchors.ipynb"
    nbformat.write(nb, path)
    html = render_notebook_html(path)
    for cell in nb.cells:
        assert f'id="{cell_anchor(cell.id)}"' in html
    assert f'href="#{cell_anchor(first.id)}"' in html
    assert "In\xa0[7]:</a>" in html and "In\xa0[\xa0]:</a>" in html
    assert ".jp-Cell:target" in html  # the cell a link opens is outlined
    # the run diff and reruns still read the cells (and their ids) back from the report
    assert [(c.cell_id, c.source) for c in code_cells(html)] == [
        (first.id, "x = 1"),
        (second.id, "y = 2"),
    ]
