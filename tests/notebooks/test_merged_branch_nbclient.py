"""A notebook whose branch is merged (by another process) while its kernel runs: ln.finish()
saves the report and the notebook file on the merge's target, with a message naming it."""

from __future__ import annotations

from pathlib import Path

from test_tracking_nbclient import execute, kernel_env

import lamin_kernel as ln

BRANCH = "contribution"


def test_report_of_a_notebook_whose_branch_was_merged_is_saved_on_the_target(
    instance: dict,
) -> None:
    ln.Branch(name=BRANCH).save()
    notebook = instance["tmp"] / "merged_meanwhile.ipynb"
    outputs = execute(
        notebook,
        [
            f"import lamin_kernel as ln\nln.track(branch={BRANCH!r})",
            "import pandas as pd\n"
            "ln.Artifact.from_dataframe(pd.DataFrame({'a': [1]}), key='nb/merged.parquet').save();",
            "import subprocess, sys\n"
            f"done = subprocess.run([sys.executable, '-m', 'lamin_kernel.cli', 'merge', {BRANCH!r}],"
            " capture_output=True, text=True)\nprint('merge exit', done.returncode, done.stderr)",
            "ln.finish()",
        ],
        kernel_env(notebook),
    )
    assert "merge exit 0" in outputs[2], outputs[2]
    run = ln.Run.get(transform__key="merged_meanwhile.ipynb")
    assert run.status == "completed" and run.branch_id == 1
    assert f"branch '{BRANCH}' was merged" in outputs[3] and "'main'" in outputs[3], outputs[3]
    assert run.report is not None and run.report.branch_id == 1
    html = Path(str(run.report.cache())).read_text()
    assert "nb/merged.parquet" in html
    stored = ln.Artifact.get(kind="__lamindb_run__", suffix=".ipynb", run_id=run.id)
    assert stored.branch_id == 1
    assert Path(str(stored.cache())).read_bytes() == notebook.read_bytes()
    merged = ln.Branch.get(name=BRANCH)
    assert ln.Artifact.filter(branch_id=merged.id).count() == 0
