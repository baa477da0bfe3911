"""Cell provenance in notebooks run by real kernels: the cell id JupyterLab sends (here sent
the same way by ``cell_id_client``), the execution count and the source hash on the run's
links; ids stable across saves; a changed or deleted cell detected; frontends that send no id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
from nbclient import NotebookClient
from test_tracking_nbclient import kernel_env

import lamin_kernel as ln
from lamin_kernel import models
from lamin_kernel.records import provenance
from lamin_kernel.records.call_sites import cell_source_hash
from lamin_kernel.records.source_code import notebook_cells
from lamin_kernel.tracking.notebook_client import cell_id_client

v4 = nbformat.v4

LOAD = "table = ln.Artifact.get(key='raw/table.parquet')\ndf = table.load()"
SAVE = (
    "doubled = ln.Artifact.from_dataframe(df * 2, key='nb/doubled.parquet').save()\n"
    "ln.Artifact.from_dataframe(df * 3, key='nb/tripled.parquet').save();"
)


def new_notebook(path: Path, sources: list[str]) -> Any:
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_markdown_cell("# Cells"),
        v4.new_code_cell("import lamin_kernel as ln\nln.track()"),
        *(v4.new_code_cell(s) for s in sources),
        v4.new_code_cell("ln.finish()"),
    ]
    nbformat.write(nb, path)
    return nb


def run_notebook(path: Path, nb: Any, send_cell_ids: bool = True) -> Any:
    resources = {"metadata": {"path": str(path.parent)}}
    if send_cell_ids:
        client = cell_id_client(nb, kernel_name="python3", resources=resources)
    else:
        client = NotebookClient(nb, kernel_name="python3", resources=resources)
    client.execute(env=kernel_env(path))
    return nb


def seed_input() -> ln.Artifact:
    return ln.Artifact.from_dataframe(pd.DataFrame({"a": [1, 2]}), key="raw/table.parquet").save()


def latest_run() -> Any:
    return ln.Run.filter(transform__key="cells.ipynb").order_by("-id").first()


def test_links_carry_the_cell_id_count_and_source_hash(instance: dict) -> None:
    table = seed_input()
    path = instance["tmp"] / "cells.ipynb"
    nb = run_notebook(path, new_notebook(path, [LOAD, SAVE]))
    load_cell, save_cell = nb.cells[2], nb.cells[3]
    run = latest_run()
    loaded = models.RunInputArtifact.get(run_id=run.id, artifact_id=table.id)
    assert loaded.cell_id == load_cell.id
    assert loaded.execution_count == load_cell.execution_count == 2
    assert loaded.cell_source_hash == cell_source_hash(LOAD)
    assert loaded.call_line == 2 and loaded.call_file is None
    saved = models.RunOutputArtifact.filter(run_id=run.id).order_by("id").to_list()
    assert [s.cell_id for s in saved] == [save_cell.id, save_cell.id]
    assert [s.call_line for s in saved] == [1, 2]
    assert {s.cell_source_hash for s in saved} == {cell_source_hash(SAVE)}
    cells = provenance.run_cells(run)
    assert [(c["cell_id"], len(c["inputs"]), len(c["outputs"])) for c in cells] == [
        (load_cell.id, 1, 0),
        (save_cell.id, 0, 2),
    ]
    doubled = ln.Artifact.get(key="nb/doubled.parquet")
    text = doubled.describe(return_str=True)
    assert f"cell [3] of cells.ipynb, line 1 in run {run.uid}" in text


def test_cell_ids_are_stable_across_saves_and_changes_are_detected(instance: dict) -> None:
    seed_input()
    path = instance["tmp"] / "cells.ipynb"
    first = run_notebook(path, new_notebook(path, [LOAD, SAVE]))
    nbformat.write(first, path)  # saved with its outputs, as JupyterLab saves
    ids_on_disk = [c["id"] for c in notebook_cells(path)]
    assert ids_on_disk == [c.id for c in first.cells]
    second = run_notebook(path, nbformat.read(path, as_version=4))
    assert [c.id for c in second.cells] == ids_on_disk
    run = latest_run()
    site = provenance.creation_site(ln.Artifact.get(key="nb/doubled.parquet"))
    assert site["run"] != run.uid  # the same bytes again: the first run made it
    loaded_by_second = models.RunInputArtifact.get(run_id=run.id)
    assert loaded_by_second.cell_id == ids_on_disk[2]
    cells = notebook_cells(path)
    assert provenance.cell_status(site, cells) == "same"
    edited = nbformat.read(path, as_version=4)
    edited.cells[3].source = SAVE.replace("df * 2", "df * 4")
    nbformat.write(edited, path)
    assert provenance.cell_status(site, notebook_cells(path)) == "changed"
    del edited.cells[3]
    nbformat.write(edited, path)
    assert provenance.cell_status(site, notebook_cells(path)) == "gone"


def test_a_frontend_without_cell_ids_gets_them_from_the_saved_notebook(instance: dict) -> None:
    table = seed_input()
    path = instance["tmp"] / "cells.ipynb"
    repeated = "print('again')\nln.Artifact.get(key='raw/table.parquet').cache();"
    nb = run_notebook(path, new_notebook(path, [LOAD, repeated, repeated]), send_cell_ids=False)
    run = latest_run()
    loaded = models.RunInputArtifact.get(run_id=run.id, artifact_id=table.id)
    assert loaded.cell_id == nb.cells[2].id  # found by its source in the file
    other = ln.Artifact.from_dataframe(pd.DataFrame({"b": [1]}), key="raw/other.parquet").save()
    nb = new_notebook(path, [f"ln.Artifact.get(uid='{other.uid}').cache()"] * 2)
    run_notebook(path, nb, send_cell_ids=False)
    link = models.RunInputArtifact.get(run_id=latest_run().id, artifact_id=other.id)
    # the same code in two cells: no id can be told, the execution count still is
    assert link.cell_id is None and link.execution_count == 2
    site = {"cell_id": None, "execution_count": 2, "cell_source_hash": link.cell_source_hash}
    executed = [dict(c) for c in nb.cells]
    assert provenance.cell_status(site, executed) == "same"
