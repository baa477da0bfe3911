"""lamin rerun --check is a dry run: whether the rerun reproduces, differs, fails or is
killed, every registry keeps its row count and the storage its files."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import inspect, text
from typer.testing import CliRunner

import lamin_kernel as ln
from lamin_kernel.cli.main import app
from lamin_kernel.setup.session import read_session
from lamin_kernel.tracking import environment_store
from lamin_kernel.tracking.rerun import RerunFailed, rerun

from .test_cell_provenance import run_script

SAVE_THEN = """\
import os, signal
import numpy as np
import pandas as pd
import lamin_kernel as ln

ln.track()
df = ln.Artifact.get(key="raw/table.parquet").load()
ln.Artifact.from_dataframe(df * 2, key="out/doubled.parquet").save()
noise = np.random.default_rng().normal(size=(len(df), 1)) if os.environ.get("NOISY") else 0
ln.Artifact.from_dataframe(df + 1 + noise, key="out/noisy.parquet").save()
with open("notes.txt", "w") as handle:
    handle.write(str(len(df)))
ln.Artifact("notes.txt", key="out/notes.txt").save()
if os.environ.get("LAMIN_KERNEL_RERUN_PINS"):
    {then}
ln.finish()
"""


@pytest.fixture(autouse=True)
def forget_environment() -> None:
    environment_store.forget()


def registry_counts() -> dict[str, int]:
    """Rows of every table of the instance."""
    with read_session() as session:
        db = session.connection()
        names = [n for n in inspect(db).get_table_names() if "_fts" not in n]  # FTS: no scan
        return {n: db.execute(text(f'SELECT count(*) FROM "{n}"')).scalar() for n in names}


def storage_files(instance: dict) -> set[str]:
    """Every file and folder under the storage root (local or S3), the SQLite files aside."""
    from lamin_kernel.storage.paths import filesystem

    fs, root = filesystem(instance["storage"])
    fs.invalidate_cache()
    found = {p[len(root.rstrip("/")) + 1 :] for p in fs.find(root, withdirs=True)}
    return {p for p in found if ".db" not in Path(p).name}


def original_run(instance: dict, then: str = "pass") -> ln.Run:
    ln.Artifact.from_dataframe(pd.DataFrame({"a": [1.0, 2.0, 3.0]}), key="raw/table.parquet").save()
    run_script(instance["tmp"], "pipeline.py", SAVE_THEN.format(then=then))
    return ln.Run.filter(transform__key="pipeline.py").order_by("id").first()


@pytest.mark.backends("all")
def test_a_check_that_reproduces_writes_nothing(instance: dict) -> None:
    run = original_run(instance)
    counts, files = registry_counts(), storage_files(instance)
    result = rerun(run.uid, check=True)
    assert sorted((c.label, c.status) for c in result.checks) == [
        ("out/doubled.parquet", "reproduced"),
        ("out/noisy.parquet", "reproduced"),
        ("out/notes.txt", "reproduced"),
    ]
    assert result.rerun is None
    assert registry_counts() == counts and storage_files(instance) == files


def test_a_check_that_differs_writes_nothing_and_diffs_content(
    instance: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = original_run(instance)
    noisy = ln.Artifact.get(key="out/noisy.parquet")
    counts, files = registry_counts(), storage_files(instance)
    monkeypatch.setenv("NOISY", "1")  # the rerun's random numbers are not seeded
    out = CliRunner().invoke(app, ["rerun", run.uid, "--check"])
    assert out.exit_code == 1, out.output
    line = next(x for x in out.output.splitlines() if x.startswith("out/noisy.parquet"))
    assert "differs" in line and "shape (3, 1) → (3, 1)" in line and "3 values differ" in line
    assert f"size {noisy.size} →" in line
    assert "out/doubled.parquet" in out.output and "reproduced" in out.output
    assert registry_counts() == counts and storage_files(instance) == files
    assert ln.Artifact.get(key="out/noisy.parquet").uid == noisy.uid


def test_a_check_whose_code_fails_on_a_missing_input_writes_nothing(instance: dict) -> None:
    run = original_run(instance, then='ln.Artifact.get(key="raw/missing.parquet")')
    counts, files = registry_counts(), storage_files(instance)
    with pytest.raises(RerunFailed, match="(?s)failed \\(exit 1\\).*DoesNotExist"):
        rerun(run.uid, check=True)
    assert registry_counts() == counts and storage_files(instance) == files


@pytest.mark.backends("sqlite-local", "postgres-s3")
@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGINT"])
def test_a_check_killed_mid_run_leaves_nothing_behind(instance: dict, signal_name: str) -> None:
    run = original_run(instance, then=f"os.kill(os.getpid(), signal.{signal_name})")
    counts, files = registry_counts(), storage_files(instance)
    with pytest.raises(RerunFailed, match="the rerun of pipeline.py failed"):
        rerun(run.uid, check=True)
    assert registry_counts() == counts and storage_files(instance) == files


def test_a_check_of_code_that_writes_other_records_is_refused(instance: dict) -> None:
    run = original_run(instance, then='ln.ULabel(name="made in a rerun").save()')
    counts = registry_counts()
    with pytest.raises(RerunFailed, match="(?s)writes nothing to the registry.*saves a ULabel"):
        rerun(run.uid, check=True)
    assert registry_counts() == counts
    assert not ln.ULabel.filter(name="made in a rerun").exists()


def test_the_check_folder_is_removed(instance: dict, tmp_path: Path) -> None:
    run = original_run(instance)
    os.environ["TMPDIR"] = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    import tempfile

    tempfile.tempdir = None
    try:
        rerun(run.uid, check=True)
        assert list((tmp_path / "tmp").iterdir()) == []
    finally:
        del os.environ["TMPDIR"]
        tempfile.tempdir = None


BULK = """\
import lamin_kernel as ln

ln.track()
table = ln.Artifact.get(key="raw/table.parquet")
df = table.load()
ln.save([
    ln.Artifact.from_dataframe(df * 5, key="out/five.parquet"),
    ln.Artifact.from_dataframe(df * 7, key="out/seven.parquet"),
])
ln.Collection([table], key="out/inputs").save()
ln.finish()
"""


def test_a_check_captures_bulk_saves_and_collections(instance: dict) -> None:
    ln.Artifact.from_dataframe(pd.DataFrame({"a": [1.0, 2.0]}), key="raw/table.parquet").save()
    run_script(instance["tmp"], "bulk.py", BULK)
    run = ln.Run.filter(transform__key="bulk.py").order_by("id").first()
    counts, files = registry_counts(), storage_files(instance)
    result = rerun(run.uid, check=True)
    assert sorted((c.label, c.status) for c in result.checks) == [
        ("out/five.parquet", "reproduced"),
        ("out/inputs", "reproduced"),
        ("out/seven.parquet", "reproduced"),
    ]
    assert registry_counts() == counts and storage_files(instance) == files
