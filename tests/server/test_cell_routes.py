"""Cell provenance routes (GET notebook-cells, GET artifacts/<uid>/cells) and the registries'
count of hidden run files, against a real instance and a notebook run in a real kernel."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

import lamin_kernel as ln
from tests.server.conftest import Fetch
from tests.server.test_security import assert_error

REPO = Path(__file__).resolve().parents[2]
SOURCES = [
    "import lamin_kernel as ln\nln.track()",
    "raw = ln.Artifact.get(key='raw.parquet').load()",
    "import pandas as pd\nln.Artifact.from_dataframe(pd.DataFrame({'b': [3]}), key='made.parquet').save()",
    "ln.finish()",
]


async def execute_notebook(path: Path) -> Any:
    """Run a notebook in a real kernel that sends cell ids as JupyterLab does; save it."""
    from lamin_kernel.tracking.notebook_client import cell_id_client

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in SOURCES]
    nbformat.write(nb, path)
    env = {k: v for k, v in os.environ.items() if k != "JPY_SESSION_NAME"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["JPY_SESSION_NAME"] = str(path)
    resources = {"metadata": {"path": str(path.parent)}}
    client = cell_id_client(nb, kernel_name="python3", resources=resources)
    await client.async_execute(env=env)
    nbformat.write(nb, path)
    return nb


async def test_cells_of_a_notebook_run_and_of_its_artifacts(
    api: Fetch, instance: dict, jp_root_dir: Path
) -> None:
    raw = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1, 2]}), key="raw.parquet").save()
    (jp_root_dir / "work").mkdir()
    path = jp_root_dir / "work" / "analysis.ipynb"
    nb = await execute_notebook(path)
    load_cell, save_cell = nb.cells[1], nb.cells[2]
    made = ln.Artifact.get(key="made.parquet")
    status, body, _ = await api("notebook-cells", params={"path": "work/analysis.ipynb"})
    assert status == 200 and body["run"]["uid"] == made.run.uid
    assert body["path"] == "work/analysis.ipynb" and body["transform"]["key"] == "analysis.ipynb"
    assert [(c["cell_id"], c["execution_count"]) for c in body["cells"]] == [
        (load_cell.id, 2),
        (save_cell.id, 3),
    ]
    assert [i["uid"] for i in body["cells"][0]["inputs"]] == [raw.uid]
    assert body["cells"][1]["outputs"] == [
        {
            "registry": "Artifact",
            "uid": made.uid,
            "label": "made.parquet",
            "version_tag": None,
            "execution_count": 3,
        }
    ]
    params = {"path": "work/analysis.ipynb", "run": made.run.uid}
    assert (await api("notebook-cells", params=params))[1] == body  # the run asked for
    _, never, _ = await api("notebook-cells", params={"path": "other.ipynb"})
    assert never == {"path": "other.ipynb", "run": None, "transform": None, "cells": []}

    status, sites, _ = await api("artifacts", made.uid, "cells")
    assert status == 200 and sites["loaded_by"] == []
    saved = sites["saved_by"]
    assert saved["run"] == {
        "uid": made.run.uid,
        "started_at": saved["run"]["started_at"],
        "has_report": True,
    }
    assert (saved["cell_id"], saved["execution_count"]) == (save_cell.id, 3)
    assert saved["text"] == "cell [3] of analysis.ipynb, line 2"
    assert saved["notebook_path"] == "work/analysis.ipynb" and saved["cell_state"] == "same"
    _, raw_sites, _ = await api("artifacts", raw.uid, "cells")
    assert raw_sites["saved_by"] is None  # saved outside a tracked run
    assert [s["cell_id"] for s in raw_sites["loaded_by"]] == [load_cell.id]
    edited = nbformat.read(path, as_version=4)
    edited.cells[2].source += "\n# changed"
    nbformat.write(edited, path)
    _, changed, _ = await api("artifacts", made.uid, "cells")
    assert changed["saved_by"]["cell_state"] == "changed"
    path.unlink()
    _, gone, _ = await api("artifacts", made.uid, "cells")
    assert gone["saved_by"]["notebook_path"] is None and gone["saved_by"]["cell_state"] is None
    status, body, _ = await api("artifacts", "A" * 20, "cells")
    assert_error(status, body, 404, "DoesNotExist")


async def test_notebook_cells_bad_parameters(api: Fetch, instance: dict) -> None:
    status, body, _ = await api("notebook-cells")
    assert_error(status, body, 400, "InvalidArgument", "path")
    status, body, _ = await api("notebook-cells", params={"path": "../../etc/x.ipynb"})
    assert_error(status, body, 400, "InvalidArgument", "root")
    status, body, _ = await api("notebook-cells", params={"path": "a.ipynb", "run": "../x"})
    assert_error(status, body, 400, "InvalidArgument", "run uid")
    status, body, _ = await api("notebook-cells", params={"path": "a.ipynb", "run": "R" * 16})
    assert_error(status, body, 404, "DoesNotExist")


async def test_registries_count_the_run_files_tables_hide(api: Fetch, instance: dict) -> None:
    from lamin_kernel.tracking.run_files import RunFile, store_run_file

    ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="shown.parquet").save()
    store_run_file(RunFile(b"{}", suffix=".json", description="env"))
    _, body, _ = await api("registries")
    artifact = next(r for r in body["registries"] if r["name"] == "Artifact")
    assert artifact["count"] == 2 and artifact["run_files"] == 1
    _, page, _ = await api(
        "registries",
        "Artifact",
        "records",
        params={"exclude": "kind:exact:__lamindb_run__"},
    )
    assert page["total"] == artifact["count"] - artifact["run_files"]
    assert all("run_files" not in r for r in body["registries"] if r["name"] != "Artifact")
