"""The cells a person sees: what each cell of a notebook's latest run saved and loaded (the
cell badges), the cells that saved and loaded an artifact (its page), where the notebook file
is, and whether the recorded cell is still in it. Notebooks run in real kernels (nbclient,
sending cell ids as JupyterLab does)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from test_cell_provenance_nbclient import LOAD, SAVE, new_notebook, run_notebook, seed_input

import lamin_kernel as ln
from lamin_kernel.errors import InvalidArgument
from lamin_kernel.records.cell_sites import artifact_cell_sites, notebook_cells
from lamin_kernel.records.notebook_files import locate_notebook, recorded_cell_state


def ran(folder: Path, sources: list[str]) -> tuple[Path, nbformat.NotebookNode]:
    path = folder / "cells.ipynb"
    nb = run_notebook(path, new_notebook(path, sources))
    nbformat.write(nb, path)  # saved with its outputs and ids, as JupyterLab saves
    return path, nb


def test_notebook_cells_are_those_of_the_latest_run(instance: dict) -> None:
    table = seed_input()
    path, nb = ran(instance["tmp"], [LOAD, SAVE])
    answer = notebook_cells(path)
    run = ln.Run.filter(transform__key="cells.ipynb").order_by("-id").first()
    assert answer["run"]["uid"] == run.uid and answer["transform"]["key"] == "cells.ipynb"
    by_id = {c["cell_id"]: c for c in answer["cells"]}
    assert set(by_id) == {nb.cells[2].id, nb.cells[3].id}
    assert [i["uid"] for i in by_id[nb.cells[2].id]["inputs"]] == [table.uid]
    assert [o["label"] for o in by_id[nb.cells[3].id]["outputs"]] == [
        "nb/doubled.parquet",
        "nb/tripled.parquet",
    ]
    # a second run that only loads: its cells replace the first run's
    _, again = ran(instance["tmp"], [LOAD])
    second = notebook_cells(path)
    assert second["run"]["uid"] != run.uid
    assert [(c["cell_id"], len(c["inputs"]), len(c["outputs"])) for c in second["cells"]] == [
        (again.cells[2].id, 1, 0)
    ]
    assert notebook_cells(run=run)["cells"] == answer["cells"]  # a given run, as before


def test_a_notebook_never_tracked_has_no_run_and_no_cells(instance: dict) -> None:
    assert notebook_cells(instance["tmp"] / "never.ipynb") == {
        "run": None,
        "transform": None,
        "cells": [],
    }
    with pytest.raises(InvalidArgument, match="path or a run"):
        notebook_cells()


def test_artifact_sites_name_the_cells_that_saved_and_loaded_it(instance: dict) -> None:
    seed_input()
    path, nb = ran(instance["tmp"], [LOAD, SAVE])
    doubled = ln.Artifact.get(key="nb/doubled.parquet")
    sites = artifact_cell_sites(doubled)
    saved = sites["saved_by"]
    assert saved["cell_id"] == nb.cells[3].id and saved["execution_count"] == 3
    assert saved["run"]["uid"] == doubled.run.uid and saved["run"]["has_report"] is True
    assert saved["transform"]["kind"] == "notebook"
    assert saved["text"] == "cell [3] of cells.ipynb, line 1"
    assert sites["loaded_by"] == []
    # a later notebook loads it in its second cell
    user = instance["tmp"] / "use.ipynb"
    use_nb = run_notebook(
        user, new_notebook(user, ["ln.Artifact.get(key='nb/doubled.parquet').load()"])
    )
    loaded = artifact_cell_sites(doubled)["loaded_by"]
    assert [(s["cell_id"], s["transform"]["key"]) for s in loaded] == [
        (use_nb.cells[2].id, "use.ipynb")
    ]
    assert artifact_cell_sites(doubled)["saved_by"] == saved  # loading changed nothing


def test_the_notebook_file_is_found_and_a_changed_or_deleted_cell_told(instance: dict) -> None:
    seed_input()
    path, _ = ran(instance["tmp"], [LOAD, SAVE])
    site = artifact_cell_sites(ln.Artifact.get(key="nb/doubled.parquet"))["saved_by"]
    assert locate_notebook("cells.ipynb", instance["tmp"]) == path.resolve()
    moved = instance["tmp"] / "work" / "deeper"
    moved.mkdir(parents=True)
    path = path.rename(moved / "cells.ipynb")  # found by its name below the root
    assert locate_notebook("cells.ipynb", instance["tmp"]) == path.resolve()
    assert locate_notebook("other.ipynb", instance["tmp"]) is None
    assert locate_notebook("../cells.ipynb", moved) is None  # never outside the root
    assert recorded_cell_state(path, site) == "same"
    edited = nbformat.read(path, as_version=4)
    edited.cells[3].source = SAVE.replace("df * 2", "df * 5")
    nbformat.write(edited, path)
    assert recorded_cell_state(path, site) == "changed"
    del edited.cells[3]
    nbformat.write(edited, path)
    assert recorded_cell_state(path, site) == "gone"
    path.write_text("not a notebook")
    assert recorded_cell_state(path, site) is None


def test_the_report_anchors_the_cell_that_saved(instance: dict) -> None:
    seed_input()
    _, nb = ran(instance["tmp"], [LOAD, SAVE])
    doubled = ln.Artifact.get(key="nb/doubled.parquet")
    html = Path(str(doubled.run.report.cache())).read_text()
    assert f'id="cell-id={nb.cells[3].id}"' in html
    assert f'href="#cell-id={nb.cells[3].id}"' in html
