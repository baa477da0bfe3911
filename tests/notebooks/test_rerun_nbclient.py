"""lamin rerun of a notebook: its cells (with their ids) rebuilt from the run's report and
executed in a fresh kernel through nbclient."""

from __future__ import annotations

import pytest
from test_cell_provenance_nbclient import (
    LOAD,
    SAVE,
    latest_run,
    new_notebook,
    run_notebook,
    seed_input,
)

import lamin_kernel as ln
from lamin_kernel import models
from lamin_kernel.tracking.rerun import RerunFailed, rebuilt_notebook, rerun
from tests.integration.test_rerun_check import registry_counts, storage_files


def test_a_notebook_reruns_with_its_cell_ids_and_checks_its_outputs(instance: dict) -> None:
    table = seed_input()
    path = instance["tmp"] / "cells.ipynb"
    nb = run_notebook(path, new_notebook(path, [LOAD, SAVE]))
    original = latest_run()
    rebuilt = rebuilt_notebook(original)
    code = [c for c in rebuilt.cells if c.cell_type == "code"]
    assert [c.id for c in code] == [c.id for c in nb.cells if c.cell_type == "code"]
    assert code[1].source == LOAD

    checked = rerun(original.uid, check=True)
    assert sorted((c.label, c.status) for c in checked.checks) == [
        ("nb/doubled.parquet", "reproduced"),
        ("nb/tripled.parquet", "reproduced"),
    ]
    assert ln.Run.filter(transform__key="cells.ipynb").count() == 1  # the check kept nothing

    again = rerun(original.uid)
    new = again.rerun
    assert new.initiated_by_run_id == original.id and new.transform_id == original.transform_id
    loaded = models.RunInputArtifact.get(run_id=new.id, artifact_id=table.id)
    assert loaded.cell_id == nb.cells[2].id  # the same cell as in the original run


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGINT"])
def test_a_check_whose_kernel_is_killed_mid_run_leaves_nothing_behind(
    instance: dict, signal_name: str
) -> None:
    seed_input()
    path = instance["tmp"] / "cells.ipynb"
    kill = (
        "import os, signal\n"
        "if os.environ.get('LAMIN_KERNEL_RERUN_PINS'):\n"
        f"    os.kill(os.getpid(), signal.{signal_name})"
    )
    run_notebook(path, new_notebook(path, [LOAD, SAVE, kill]))
    original = latest_run()
    counts, files = registry_counts(), storage_files(instance)
    with pytest.raises(RerunFailed, match="the rerun of cells.ipynb failed"):
        rerun(original.uid, check=True)
    assert registry_counts() == counts and storage_files(instance) == files
