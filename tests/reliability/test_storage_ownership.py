"""A storage root belongs to the instance that marked it: a new instance cannot take it over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.setup import instance as setup_instance
from lamin_kernel.setup import settings_files

MARKER = Path(".lamindb") / "lamin_kernel_instance.json"


def lamin(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lamin_kernel.cli", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )


def test_init_on_a_root_another_instance_owns_is_refused(instance: dict, tmp_path: Path) -> None:
    root = Path(instance["storage"])
    saved = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="first.parquet").save()
    marker_before = (root / MARKER).read_text()
    other_db = tmp_path / "other.db"
    instances_before = settings_files.list_instances()
    with pytest.raises(ln.errors.StorageAlreadyManaged) as refused:
        ln.setup.init(storage=str(root), db=f"sqlite:///{other_db}", name="intruder")
    message = str(refused.value)
    assert "is already marked with uid" in message and instance["settings"].uid in message
    assert instance["settings"].slug in message and "ln.Storage(root=" in message
    assert ln.setup.errors.StorageAlreadyManaged is ln.errors.StorageAlreadyManaged
    # nothing written: no database, the marker as it was, no new instance settings
    assert not other_db.exists()
    assert (root / MARKER).read_text() == marker_before
    assert settings_files.list_instances() == instances_before
    by_cli = lamin("init", "--storage", str(root), "--db", f"sqlite:///{other_db}")
    assert by_cli.returncode == 1 and "already marked with uid" in by_cli.stdout + by_cli.stderr
    assert not other_db.exists()
    # the owner goes on as before
    check = lamin("check", "--fix", "--grace", "0")
    assert check.returncode == 0, check.stdout + check.stderr
    assert Path(str(saved.path)).exists()


def test_init_on_a_root_another_instance_registered_is_refused(
    instance: dict, tmp_path: Path
) -> None:
    registered = tmp_path / "registered"
    ln.Storage(root=str(registered)).save()
    with pytest.raises(ln.errors.StorageAlreadyManaged, match=instance["settings"].uid):
        setup_instance.init(str(registered), name="intruder")
    assert not (registered / MARKER).exists()
    assert not (registered / ".lamindb" / "lamin.db").exists()


def test_init_again_on_its_own_root_connects_to_it(instance: dict) -> None:
    settings = instance["settings"]
    ln.ULabel(name="kept").save()
    runtime.reset()
    again = setup_instance.init(instance["storage"], db=instance["db"])
    assert again.uid == settings.uid
    assert ln.ULabel.get(name="kept").name == "kept"


@pytest.mark.backends("postgres-local")
def test_postgres_instance_root_is_refused_to_another_database(
    instance: dict, postgres: object
) -> None:
    root = Path(instance["storage"])
    assert json.loads((root / MARKER).read_text())["db_url"] == ""  # no password on disk
    other = postgres.create_database(f"lk_other_{os.getpid()}")  # type: ignore[attr-defined]
    with pytest.raises(ln.errors.StorageAlreadyManaged):
        setup_instance.init(str(root), db=other, name="intruder")
    # a second machine that knows only the database URL: the database holds the instance
    runtime.reset()
    slug = instance["settings"].slug
    settings_files.delete_instance_file(slug)
    adopted = setup_instance.init(str(root), db=instance["db"])
    assert adopted.uid == instance["settings"].uid
