"""Notebook and script sources: code cells as Python, magics commented out, the on-disk check."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pytest

from lamin_kernel.records.source_code import (
    comment_out_magics,
    notebook_code_cells,
    notebook_has_executed_cells,
    notebook_source_as_python,
    script_source,
)


def write_notebook(path: Path, cells: list[tuple[str, str]]) -> Path:
    """A notebook from ``(cell_type, source)`` pairs, written with nbformat."""
    nb = nbformat.v4.new_notebook()
    makers = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell}
    nb.cells = [makers[kind](source) for kind, source in cells]
    nbformat.write(nb, path)
    return path


@pytest.fixture
def notebook(tmp_path: Path) -> Path:
    return write_notebook(
        tmp_path / "analysis.ipynb",
        [
            ("markdown", "# Title\n%not a magic in markdown"),
            ("code", "%load_ext autoreload\nimport pandas as pd\n!pip list\nx = 1"),
            ("code", "%%bash\necho hi\nls"),
            ("code", "files = !ls\npd?\nprint(files)"),
            ("code", ""),
            ("code", 's = """\n!important, kept inside a string\n"""'),
        ],
    )


def test_code_cells_only_in_order(notebook: Path) -> None:
    cells = notebook_code_cells(notebook)
    assert len(cells) == 5
    assert cells[0].startswith("%load_ext autoreload")


def test_notebook_source_is_python_with_magics_commented(notebook: Path) -> None:
    text = notebook_source_as_python(notebook)
    ast.parse(text)  # parses as Python
    assert "# %load_ext autoreload\nimport pandas as pd\n# !pip list\nx = 1" in text
    assert "# %%bash\n# echo hi\n# ls" in text
    assert "# files = !ls\n# pd?\nprint(files)" in text
    assert "!important, kept inside a string" in text  # valid code is left alone
    assert "# Title" not in text  # markdown is not code
    assert text.endswith("\n") and "\n\n\n" not in text


def test_comment_out_magics_keeps_indentation() -> None:
    code = "for i in range(2):\n    %time f(i)\n    g(i)"
    assert comment_out_magics(code) == "for i in range(2):\n    # %time f(i)\n    g(i)"


def test_comment_out_magics_leaves_python_alone() -> None:
    code = "x = 5 % 2\ny = x != 1\nz = {'a': 1}  # really?\n"
    assert comment_out_magics(code) == code


def test_list_sources_and_nbformat3(tmp_path: Path) -> None:
    path = tmp_path / "old.ipynb"
    path.write_text(
        json.dumps(
            {
                "nbformat": 3,
                "worksheets": [{"cells": [{"cell_type": "code", "input": ["a = 1\n", "b = 2"]}]}],
            }
        )
    )
    assert notebook_code_cells(path) == ["a = 1\nb = 2"]


def test_executed_cells_found_on_disk(notebook: Path) -> None:
    # trailing blanks and empty lines do not matter
    executed = ["%load_ext autoreload\nimport pandas as pd  \n\n!pip list\nx = 1\n", "print(files)"]
    assert notebook_has_executed_cells(notebook, executed[:1])
    assert not notebook_has_executed_cells(notebook, executed)  # a part of a cell is not a cell
    assert notebook_has_executed_cells(notebook, ["", "   "])  # empty cells say nothing


def test_executed_cell_missing_from_disk(notebook: Path) -> None:
    assert not notebook_has_executed_cells(notebook, ["x = 2  # edited but not saved"])


def test_executed_cells_unreadable_notebook(tmp_path: Path) -> None:
    assert not notebook_has_executed_cells(tmp_path / "missing.ipynb", ["x = 1"])
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    assert not notebook_has_executed_cells(broken, ["x = 1"])


def test_script_source_tolerates_bad_bytes(tmp_path: Path) -> None:
    path = tmp_path / "run.py"
    path.write_bytes(b"print('h\xe9')\n")
    assert script_source(path) == "print('h\ufffd')\n"
