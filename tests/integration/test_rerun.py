"""lamin rerun RUN_UID [--check]: scripts run again from their stored source with the same
input versions; --check compares outputs and keeps nothing; reruns that reproduce, that
differ (a random seed not fixed) and that cannot start (an input in the trash)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import lamin_kernel as ln
from lamin_kernel import models
from lamin_kernel.cli.main import app
from lamin_kernel.tracking import environment_store
from lamin_kernel.tracking.rerun import RerunFailed, rerun, rerun_stale

from .test_cell_provenance import run_script

DOUBLE = """\
import lamin_kernel as ln

ln.track()
df = ln.Artifact.get(key="raw/table.parquet").load()
ln.Artifact.from_dataframe(df * 2, key="out/doubled.parquet").save()
ln.finish()
"""

NOISY = """\
import numpy as np
import pandas as pd
import lamin_kernel as ln

ln.track()
df = ln.Artifact.get(key="raw/table.parquet").load()
noise = pd.DataFrame({"a": np.random.default_rng().normal(size=len(df))})
ln.Artifact.from_dataframe(df + noise, key="out/noisy.parquet").save()
ln.finish()
"""


IN_A_RERUN = "import os\nif os.environ.get('LAMIN_KERNEL_RERUN_PINS')"


@pytest.fixture(autouse=True)
def forget_environment() -> None:
    environment_store.forget()


def seed(values: list[int]) -> ln.Artifact:
    return ln.Artifact.from_dataframe(pd.DataFrame({"a": values}), key="raw/table.parquet").save()


def only_run(key: str) -> ln.Run:
    return ln.Run.filter(transform__key=key).order_by("id").first()


def test_check_reproduces_with_the_original_input_version_and_keeps_nothing(
    instance: dict,
) -> None:
    first = seed([1, 2, 3])
    run_script(instance["tmp"], "double.py", DOUBLE)
    original = only_run("double.py")
    doubled = ln.Artifact.get(key="out/doubled.parquet")
    seed([7, 8, 9])  # a newer input version: the rerun still loads the original's
    n_artifacts, n_runs = ln.Artifact.filter().count(), ln.Run.filter().count()
    result = rerun(original.uid, check=True)
    assert [(c.label, c.status) for c in result.checks] == [("out/doubled.parquet", "reproduced")]
    assert result.reproduced and result.checks[0].original == doubled.uid
    assert ln.Artifact.filter().count() == n_artifacts and ln.Run.filter().count() == n_runs
    assert ln.Artifact.get(key="out/doubled.parquet").uid == doubled.uid
    assert first.uid in {a.uid for a in original.input_artifacts}


def test_check_of_a_run_without_a_fixed_seed_differs_and_exits_non_zero(instance: dict) -> None:
    seed([1, 2, 3])
    run_script(instance["tmp"], "noisy.py", NOISY)
    original = only_run("noisy.py")
    noisy = ln.Artifact.get(key="out/noisy.parquet")
    result = CliRunner().invoke(app, ["rerun", original.uid, "--check"])
    assert result.exit_code == 1, result.output
    assert "out/noisy.parquet" in result.output and "differs" in result.output
    assert "shape (3, 1) → (3, 1)" in result.output and "3 values differ" in result.output
    # nothing kept: the original output is still the latest version
    assert ln.Artifact.get(key="out/noisy.parquet").uid == noisy.uid
    assert ln.Run.filter(transform__key="noisy.py").count() == 1


def test_rerun_without_check_is_a_tracked_run_initiated_by_the_original(instance: dict) -> None:
    seed([1, 2])
    run_script(instance["tmp"], "double.py", DOUBLE)
    original = only_run("double.py")
    result = CliRunner().invoke(app, ["rerun", original.uid])
    assert result.exit_code == 0, result.output
    new = ln.Run.filter(transform__key="double.py").order_by("-id").first()
    assert new.id != original.id and new.initiated_by_run_id == original.id
    assert new.transform_id == original.transform_id  # the same source: the same transform
    assert f"new run {new.uid}" in result.output and "reproduced" in result.output
    doubled = ln.Artifact.get(key="out/doubled.parquet")
    assert models.RunOutputArtifact.filter(run_id=new.id, artifact_id=doubled.id).count() == 1


def test_a_rerun_with_an_input_in_the_trash_does_not_start(instance: dict) -> None:
    table = seed([1, 2])
    run_script(instance["tmp"], "double.py", DOUBLE)
    original = only_run("double.py")
    table.delete()  # to the trash
    n_runs = ln.Run.filter().count()
    with pytest.raises(RerunFailed, match=r"input 'raw/table.parquet' \(.*\) of run .* is missing"):
        rerun(original.uid, check=True)
    assert ln.Run.filter().count() == n_runs
    result = CliRunner().invoke(app, ["rerun", original.uid, "--check"])
    assert result.exit_code == 1 and "in the trash" in str(result.exception)


def test_a_rerun_whose_code_fails_says_so(instance: dict) -> None:
    seed([1])
    code = DOUBLE.replace("ln.finish()", f"{IN_A_RERUN}: raise SystemExit(3)\nln.finish()")
    run_script(instance["tmp"], "fails.py", code)
    original = only_run("fails.py")
    n_runs = ln.Run.filter().count()
    with pytest.raises(RerunFailed, match="the rerun of fails.py failed \\(exit 3\\)"):
        rerun(original.uid, check=True)
    assert ln.Run.filter().count() == n_runs  # the failed check run is not kept


TOTAL = """\
import lamin_kernel as ln

ln.track()
df = ln.Artifact.get(key="out/doubled.parquet").load()
ln.Artifact.from_dataframe(df.sum().to_frame("total"), key="out/total.parquet").save()
ln.finish()
"""


def test_rerun_stale_redoes_the_downstream_runs_in_order_with_the_newest_inputs(
    instance: dict,
) -> None:
    seed([1, 2])
    run_script(instance["tmp"], "double.py", DOUBLE)
    run_script(instance["tmp"], "total.py", TOTAL)
    assert ln.Artifact.get(key="out/total.parquet").load()["total"].tolist() == [6]
    runner = CliRunner()
    assert (
        "nothing is stale" in runner.invoke(app, ["rerun", "--stale", "raw/table.parquet"]).output
    )
    seed([10, 20])
    result = runner.invoke(app, ["rerun", "--stale", "raw/table.parquet"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("reran")]
    assert ["double.py" in lines[0], "total.py" in lines[1]] == [True, True]
    assert ln.Artifact.get(key="out/doubled.parquet").load()["a"].tolist() == [20, 40]
    assert ln.Artifact.get(key="out/total.parquet").load()["total"].tolist() == [60]
    bad = runner.invoke(app, ["rerun", "--stale", "raw/table.parquet", "--check"])
    assert bad.exit_code == 1 and "no --check" in str(bad.exception)


def test_rerun_stale_stops_at_the_first_failure(instance: dict) -> None:
    seed([1, 2])
    failing = DOUBLE.replace(
        "ln.finish()", "if ln.context.run.initiated_by_run: raise SystemExit(2)\nln.finish()"
    )
    run_script(instance["tmp"], "double.py", failing)
    run_script(instance["tmp"], "total.py", TOTAL)
    double_run = only_run("double.py")
    seed([10, 20])
    with pytest.raises(RerunFailed) as failed:
        rerun_stale("raw/table.parquet")
    message = str(failed.value)
    assert f"stopped at run {double_run.uid} (double.py), 1 of 2 stale runs" in message
    assert "not rerun: " in message and "(total.py)" in message
    assert ln.Run.filter(transform__key="total.py").count() == 1


def _stored_environment(run: ln.Run, text: str) -> None:
    """Give the run another stored environment (as if it had run elsewhere)."""
    from lamin_kernel.tracking.run_files import RunFile, store_run_file

    stored = store_run_file(RunFile(text.encode(), suffix=".txt", description="requirements.txt"))
    run.environment_id = stored.id
    run.save()


def test_rerun_lists_the_packages_that_differ_from_the_stored_environment_first(
    instance: dict,
) -> None:
    seed([1, 2])
    run_script(instance["tmp"], "double.py", DOUBLE)
    original = only_run("double.py")
    lines = environment_store.current_environment_text().splitlines()
    pandas_line = next(line for line in lines if line.lower().startswith("pandas=="))
    typer_line = next(line for line in lines if line.lower().startswith("typer=="))
    edited = [line for line in lines if line not in (pandas_line, typer_line)]
    edited += ["Pandas==0.0.1", "not-installed-here==1.2"]  # another spelling of one name
    _stored_environment(original, "\n".join(sorted(edited)) + "\n")
    result = CliRunner().invoke(app, ["rerun", original.uid, "--check"])
    assert result.exit_code == 0, result.output
    out = result.output
    header = f"packages that differ from the environment of run {original.uid} "
    assert header + "(1 changed, 1 added, 1 removed):" in out
    assert f"  ~ pandas: 0.0.1 → {pandas_line.split('==')[1]}" in out
    assert f"  + {typer_line}" in out and "  - not-installed-here==1.2" in out
    assert out.index(header) < out.index(f"checked run {original.uid}")  # listed before it ran


def test_rerun_of_a_run_without_a_stored_environment_says_so(instance: dict) -> None:
    seed([1, 2])
    run_script(instance["tmp"], "double.py", DOUBLE)
    original = only_run("double.py")
    original.environment_id = None
    original.save()
    out = CliRunner().invoke(app, ["rerun", original.uid, "--check"]).output
    assert f"run {original.uid} stored no environment: packages cannot be compared" in out
    assert "packages that differ" not in out
    same = only_run("double.py")
    assert same.environment_id is None
