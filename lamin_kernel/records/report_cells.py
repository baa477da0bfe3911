"""A notebook run's code cells read back from its HTML report.

The report (tracking/report.py, nbconvert's ``lab`` template) keeps every cell as
``<div class="jp-Cell jp-CodeCell …" id="cell-id=ID">`` with the cell's source highlighted in
``<div class="highlight …"><pre>…</pre></div>``: without the tags and entities that is the cell's
source (the highlighter drops blank lines at either end). ``transform.source_code`` joins the
cells as one Python file and loses where one ends; the report keeps them, with their ids, so
``Run.diff`` compares notebooks cell by cell and ``lamin rerun`` rebuilds the notebook.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from ..setup.session import read_session
from ..storage.paths import filesystem
from .artifact_access import stored_location

MAX_REPORT_BYTES = 64 << 20
_CELL_START = re.compile(r'<div class="jp-Cell (?P<classes>[^"]*)"(?: id="cell-id=(?P<id>[^"]*)")?')
_SOURCE = re.compile(r'<div class="highlight[^"]*"><pre>(?P<code>.*?)</pre>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class ReportCell:
    """A code cell of a notebook as its report shows it."""

    cell_id: str | None
    source: str


def code_cells(report_html: str) -> list[ReportCell]:
    """The code cells of a report, in order; [] for HTML that is not a notebook report."""
    starts = list(_CELL_START.finditer(report_html))
    cells: list[ReportCell] = []
    for index, start in enumerate(starts):
        if "jp-CodeCell" not in start.group("classes").split():
            continue
        end = starts[index + 1].start() if index + 1 < len(starts) else len(report_html)
        found = _SOURCE.search(report_html, start.end(), end)
        code = html.unescape(_TAG.sub("", found.group("code"))) if found else ""
        cells.append(ReportCell(start.group("id") or None, code.strip("\n")))
    return cells


def run_code_cells(run: Any) -> list[ReportCell] | None:
    """The code cells of a notebook run from its stored report; None without a readable report."""
    with read_session():  # the lazy loads (report, storage) end with the block
        data = _report_bytes(run)
    if data is None:
        return None
    return code_cells(data.decode("utf-8", errors="replace")) or None


def _report_bytes(run: Any) -> bytes | None:
    report = getattr(run, "report", None)
    if report is None:
        return None
    try:
        fs, inner = filesystem(stored_location(report))
        with fs.open(inner, "rb") as handle:
            return bytes(handle.read(MAX_REPORT_BYTES))
    except OSError:
        return None
