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
    bad = lamin("check")
    assert bad.returncode == 1
    assert f"missing: {a.uid}" in bad.stdout and f"altered: {b.uid}" in bad.stdout
    assert "orphan:" in bad.stdout and orphan.name in bad.stdout and staged.name in bad.stdout
    assert c.uid not in bad.stdout
    fixed = lamin("check", "--fix")
    assert not orphan.exists() and not staged.exists() and Path(str(c.path)).exists()
    assert fixed.returncode == 1  # the missing and altered files remain reported
