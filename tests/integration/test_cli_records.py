"""The `lamin` commands LaminDB's CLI has for records and branches: describe, get, update,
annotate, delete <registry>, create, list, merge --target, settings dev-dir, --help."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import lamin_kernel as ln
from lamin_kernel.cli.main import app

COMMANDS = [
    "init",
    "connect",
    "disconnect",
    "info",
    "login",
    "logout",
    "delete",
    "describe",
    "get",
    "update",
    "annotate",
    "create",
    "list",
    "switch",
    "merge",
    "save",
    "load",
    "settings",
    "branch",
    "check",
    "cache",
]


def lamin(*args: str, ok: bool = True) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=not ok)
    if ok:
        assert result.exit_code == 0, result.output
    return result.output


def test_every_command_has_help() -> None:
    for command in COMMANDS:
        assert "Usage:" in lamin(command, "--help"), command


def test_describe_get_update_annotate(instance: dict) -> None:
    artifact = ln.Artifact.from_dataframe(
        pd.DataFrame({"a": [1]}), key="data/x.parquet", description="first"
    ).save()
    ln.Project(name="atlas").save()
    assert "data/x.parquet" in lamin("describe", "--key", "data/x.parquet")
    assert lamin("get", "artifact", "--uid", artifact.uid, "--description").strip() == "first"
    lamin("update", "artifact", "--key", "data/x.parquet", "--description", "second")
    assert ln.Artifact.get(artifact.id).description == "second"
    lamin("annotate", "--key", "data/x.parquet", "--project", "atlas", "--version", "1.0")
    annotated = ln.Artifact.get(artifact.id)
    assert [p.name for p in annotated.projects] == ["atlas"] and annotated.version_tag == "1.0"
    missing = CliRunner().invoke(app, ["annotate", "--key", "data/x.parquet", "--project", "no"])
    assert missing.exit_code != 0 and "Project 'no' not found" in str(missing.exception)


def test_branch_status_through_update_and_get(instance: dict) -> None:
    lamin("create", "branch", "review-me")
    assert ln.Branch.get(name="review-me").status == "standalone"
    lamin("update", "branch", "--name", "review-me", "--status", "review")
    assert lamin("get", "branch", "--name", "review-me", "--status").strip() == "review"
    assert lamin("get", "branch", "--status").strip() == "standalone"  # the current: main
    refused = CliRunner().invoke(app, ["update", "branch", "--status", "approved"])
    assert refused.exit_code != 0 and "Invalid branch status" in str(refused.exception)
    listing = lamin("list", "branch")
    assert "review-me  review" in listing and "main  standalone" in listing


def test_merge_into_a_named_target_and_delete_records(instance: dict) -> None:
    lamin("switch", "-c", "work")
    label = ln.ULabel(name="from work").save()
    lamin("merge", "work", "--target", "main")
    assert ln.ULabel.get(label.id).branch_id == 1
    lamin("switch", "main")
    transform = ln.Transform(key="old.py", kind="script").save()
    lamin("delete", "transform", "--key", "old.py")
    assert ln.Transform.filter(id=transform.id, branch_id=-1).count() == 1
    lamin("delete", "transform", "--uid", transform.uid, "--permanent")
    assert ln.Transform.filter(id=transform.id).count() == 0


def test_settings_dev_dir(instance: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert lamin("settings", "dev-dir", "get").strip() == "None"
    lamin("settings", "dev-dir", "set", str(tmp_path))
    assert lamin("settings", "dev-dir", "get").strip() == str(tmp_path.resolve())
    lamin("settings", "dev-dir", "unset")
    assert lamin("settings", "dev-dir", "get").strip() == "None"
