"""Run.diff of two runs of a notebook executed by a real kernel: the source compared cell by
cell (cells matched by id, read back from the runs' reports)."""

from __future__ import annotations

import nbformat
from test_cell_provenance_nbclient import (
    LOAD,
    SAVE,
    latest_run,
    new_notebook,
    run_notebook,
    seed_input,
)

import lamin_kernel as ln
from lamin_kernel.records.report_cells import run_code_cells


def test_notebook_runs_differ_cell_by_cell(instance: dict) -> None:
    seed_input()
    path = instance["tmp"] / "cells.ipynb"
    first_nb = run_notebook(path, new_notebook(path, [LOAD, SAVE]))
    first = latest_run()
    cells = run_code_cells(first)
    assert [c.cell_id for c in cells] == [c.id for c in first_nb.cells[1:]]
    assert cells[1].source == LOAD
    edited = nbformat.read(path, as_version=4)
    edited.cells[3].source = SAVE.replace("df * 2", "df * 4")
    edited.cells.insert(4, nbformat.v4.new_code_cell("print(len(df))"))
    nbformat.write(edited, path)
    run_notebook(path, nbformat.read(path, as_version=4))
    second = latest_run()
    diff = ln.Run.diff(first, second)
    source = diff["source"]
    assert not source["same"] and source["n_same_cells"] == 3
    changed, added = source["cells"]
    assert changed["status"] == "changed" and changed["cell_id"] == edited.cells[3].id
    assert "-doubled = ln.Artifact.from_dataframe(df * 2" in changed["diff"]
    assert "+doubled = ln.Artifact.from_dataframe(df * 4" in changed["diff"]
    assert added["status"] == "added" and added["diff"] == "+print(len(df))\n"
    assert (added["index_a"], added["index_b"]) == (None, 3)
    text = str(diff)
    assert "Source, cell by cell (3 cells the same):" in text
    assert f"cell 3 id {edited.cells[3].id}: changed" in text and "cell 4" in text
    # the doubled table changed content, the tripled one was saved again unchanged
    outputs = diff["outputs"]
    assert [c["label"] for c in outputs["changed"]] == ["nb/doubled.parquet"]
    assert [s["label"] for s in outputs["same"]] == ["nb/tripled.parquet"]
