"""`lamin check` finds missing, altered and orphaned bytes and exits non-zero; --fix removes orphans."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

import lamin_kernel as ln


def lamin(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lamin_kernel.cli", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )


def test_check_reports_and_fixes(instance: dict) -> None:
    a = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="a.parquet").save()
    b = ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="b.parquet").save()
    c = ln.Artifact.from_dataframe(pd.DataFrame({"a": [3]}), key="c.parquet").save()
    ok = lamin("check")
    assert ok.returncode == 0 and "checked 3 artifacts" in ok.stdout, ok.stderr
    Path(str(a.path)).unlink()
    Path(str(b.path)).write_bytes(b"tampered")
    orphan = Path(instance["storage"]) / ".lamindb" / "ZZZZZZZZZZZZZZZZ0000.parquet"
    orphan.write_bytes(b"no row")
    staged = Path(instance["storage"]) / ".lamindb" / "_staging" / "999999-dead.tmp"
    staged.parent.mkdir(exist_ok=True)
    staged.write_bytes(b"left by a killed process")
    bad = lamin("check", "--grace", "0")
    assert bad.returncode == 1
    assert f"missing: {a.uid}" in bad.stdout and f"altered: {b.uid}" in bad.stdout
    assert "orphan:" in bad.stdout and orphan.name in bad.stdout and staged.name in bad.stdout
    assert c.uid not in bad.stdout
    fixed = lamin("check", "--fix", "--grace", "0")
    assert not orphan.exists() and not staged.exists() and Path(str(c.path)).exists()
    assert fixed.returncode == 1  # the missing and altered files remain reported


def test_files_without_a_row_are_judged_only_after_the_grace_period(instance: dict) -> None:
    kept = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="kept.parquet").save()
    young = Path(instance["storage"]) / ".lamindb" / "YYYYYYYYYYYYYYYY0000.parquet"
    young.write_bytes(b"placed, its row not committed yet")
    plain = lamin("check")  # default grace: a file this young may be a save in progress
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "orphan" not in plain.stdout and "younger than the grace period" in plain.stdout
    not_fixed = lamin("check", "--fix")
    assert not_fixed.returncode == 0 and young.exists()
    judged = lamin("check", "--grace", "0")
    assert judged.returncode == 1 and f"orphan: {young}" in judged.stdout
    fixed = lamin("check", "--fix", "--grace", "0")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert f"removed orphan: {young}" in fixed.stdout
    assert not young.exists() and Path(str(kept.path)).exists()


def test_check_fix_leaves_files_of_a_storage_another_instance_owns(
    instance: dict, tmp_path: Path
) -> None:
    from lamin_kernel import runtime
    from lamin_kernel.setup import instance as setup_instance

    first = instance["settings"]
    shared = tmp_path / "shared"
    ln.Storage(root=str(shared)).save()  # managed by the first instance, marked so
    ln.settings.storage = str(shared)
    owned = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="owned.parquet").save()
    owned_file = Path(str(owned.path))
    assert owned_file.parent == shared / ".lamindb"
    runtime.reset()
    setup_instance.init(str(tmp_path / "second"), name="second")
    ln.Storage(root=str(shared)).save()  # read-only here: the first instance owns it
    stray = shared / ".lamindb" / "ZZZZZZZZZZZZZZZZ0000.parquet"
    stray.write_bytes(b"no row in the first instance either")
    fixed = lamin("check", "--fix", "--grace", "0")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert stray.exists() and owned_file.exists()
    runtime.reset()
    setup_instance.connect(first.slug)
    assert ln.Artifact.get(key="owned.parquet").path.exists()
