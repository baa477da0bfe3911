"""The source code of a run: a script's text, or a notebook's code cells as Python.

Notebooks are read as plain JSON (no nbformat, no nbconvert): this runs in
``finish()`` and must take milliseconds. IPython-only lines (``%magic``,
``!shell``, ``x = !cmd``, ``obj?``) are commented out so the result parses as Python.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

_IPYTHON_LINE = re.compile(
    r"""^\s*(
        [%!]                      # %magic, %%cell_magic, !shell
      | [\w.,\s]+=\s*[%!]         # files = !ls, t = %timeit -o f()
      | \?{1,2}[\w.]+\s*$         # ?obj
      | [\w.]+\?{1,2}\s*$         # obj?, obj??
    )""",
    re.VERBOSE,
)


def script_source(path: Path | str) -> str:
    """A script's text, decoded as UTF-8 (undecodable bytes replaced, never an error)."""
    return Path(path).read_bytes().decode("utf-8", errors="replace")


def notebook_cells(nb_path: Path | str) -> list[dict]:
    """A notebook's cells as saved on disk; ValueError says why the file is not a notebook."""
    try:
        notebook = json.loads(Path(nb_path).read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not JSON ({exc})") from exc
    if not isinstance(notebook, dict):
        raise ValueError("the JSON is not an object")
    cells = notebook.get("cells")
    if cells is None and isinstance(notebook.get("worksheets"), list):  # nbformat 3
        cells = [
            c
            for sheet in notebook["worksheets"]
            if isinstance(sheet, dict)
            for c in sheet.get("cells", [])
        ]
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise ValueError("it has no list of cells")
    return cells


def notebook_code_cells(nb_path: Path | str) -> list[str]:
    """The sources of a notebook's code cells, in order, as saved on disk."""
    return [_cell_text(c) for c in notebook_cells(nb_path) if c.get("cell_type") == "code"]


def _cell_text(cell: dict) -> str:
    source = cell.get("source", cell.get("input", ""))
    return "".join(source) if isinstance(source, list) else str(source)


def comment_out_magics(code: str) -> str:
    """IPython syntax commented out, line by line; a ``%%`` cell magic comments the whole cell.

    Code that already parses as Python is returned unchanged, so text inside
    strings that merely looks like a magic is never touched.
    """
    if _parses(code):
        return code
    if code.lstrip().startswith("%%"):
        return "\n".join(f"# {line}" if line.strip() else line for line in code.splitlines())
    lines = code.splitlines()
    return "\n".join(
        _indent(line) + "# " + line.lstrip() if _IPYTHON_LINE.match(line) else line
        for line in lines
    )


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):  # ValueError: null bytes
        return False
    return True


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def notebook_source_as_python(nb_path: Path | str) -> str:
    """The notebook's code cells as one Python file, cells separated by a blank line."""
    cells = (comment_out_magics(cell).strip("\n") for cell in notebook_code_cells(nb_path))
    return "\n\n".join(cell for cell in cells if cell.strip()) + "\n"


def _normalized(code: str) -> str:
    """Code compared as lines without trailing blanks or empty lines."""
    return "\n".join(line.rstrip() for line in code.splitlines() if line.strip())


def notebook_has_executed_cells(nb_path: Path | str, executed_sources: list[str]) -> bool:
    """Whether every executed cell source is a code cell of the notebook as saved on disk.

    ``finish()`` uses it to warn that the file looks older than the last executed
    cell. Pass raw sources (``get_ipython().history_manager.input_hist_raw``, not
    ``In``, which holds IPython's transformed code), usually only the recent ones:
    an earlier version of a cell that was edited and re-run is not on disk.
    """
    try:
        on_disk = {_normalized(cell) for cell in notebook_code_cells(nb_path)}
    except (OSError, ValueError):
        return False
    return all(_normalized(code) in on_disk for code in executed_sources if code.strip())
