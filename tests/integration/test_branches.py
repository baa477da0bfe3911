"""Branches: switch, records on a branch, visibility, the per-user setting, merge, delete."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import update
from typer.testing import CliRunner

import lamin_kernel as ln
from lamin_kernel import branches
from lamin_kernel.cli.main import app
from lamin_kernel.setup.paths import settings_dir
from lamin_kernel.setup.session import current_branch_id, visible_branch_ids, write_transaction

BACKENDS = ("sqlite-local", "postgres-local")
CURRENT_BRANCH = (
    "from lamin_kernel import branches; import lamin_kernel as ln; "
    "print(branches.current_branch().name, ln.ULabel.filter().count())"
)


def frame(value: int) -> pd.DataFrame:
    return pd.DataFrame({"value": [value, value + 1]})


def run_python(code: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.backends(*BACKENDS)
def test_records_made_on_a_branch_carry_it_and_stay_off_main(instance: dict) -> None:
    on_main = ln.ULabel(name="on main").save()
    branch = branches.switch("my_branch", create=True)
    assert isinstance(branch, ln.Branch) and branch.id > 1
    assert branches.current_branch().name == "my_branch"
    assert visible_branch_ids() == [1, branch.id]
    label = ln.ULabel(name="on branch").save()
    artifact = ln.Artifact.from_dataframe(frame(1), key="b.parquet").save()
    collection = ln.Collection([artifact], key="c").save()
    assert label.branch_id == artifact.branch_id == collection.branch_id == branch.id
    assert {u.name for u in ln.ULabel.filter()} == {"on main", "on branch"}
    branches.switch("main")
    assert current_branch_id() == 1
    assert [u.id for u in ln.ULabel.filter()] == [on_main.id]
    assert ln.Artifact.filter().count() == 0 and ln.Collection.filter().count() == 0
    assert ln.ULabel.filter(branch_id=branch.id).one().id == label.id
    assert ln.Branch.get(name="my_branch").id == branch.id


@pytest.mark.backends(*BACKENDS)
def test_current_branch_is_a_user_setting_across_processes(instance: dict) -> None:
    branches.switch("mine", create=True)
    ln.ULabel(name="on mine").save()
    assert run_python(CURRENT_BRANCH) == "mine 1"
    user = json.loads((settings_dir() / "user.json").read_text())
    assert user["branches"] == {instance["settings"].slug: "mine"}
    # a colleague with their own settings, on the same instance, stays on main
    colleague = instance["tmp"] / "colleague"
    shutil.copytree(settings_dir() / "instances", colleague / "lamin_kernel" / "instances")
    (colleague / "lamin_kernel" / "current_instance").write_text(instance["settings"].slug)
    (colleague / "lamin_kernel" / "user.json").write_text(
        json.dumps({"handle": "colleague", "uid": "coLLeag1"})
    )
    assert run_python(CURRENT_BRANCH, {"LAMIN_SETTINGS_DIR": str(colleague)}) == "main 0"
    # `lamin switch` in a terminal moves this (already connected) process too
    subprocess.run([sys.executable, "-m", "lamin_kernel.cli", "switch", "main"], check=True)
    assert current_branch_id() == 1 and ln.ULabel.filter().count() == 0


@pytest.mark.backends(*BACKENDS)
def test_merge_moves_the_branch_records_to_main(instance: dict) -> None:
    branch = branches.switch("feature", create=True)
    label = ln.ULabel(name="new label").save()
    artifact = ln.Artifact.from_dataframe(frame(1), key="data/new.parquet").save()
    branches.switch("main")
    report = branches.merge("feature")
    assert report.moved == {"ULabel": 1, "Artifact": 1} and report.new_versions == []
    assert ln.ULabel.get(name="new label").id == label.id
    merged = ln.Artifact.get(key="data/new.parquet")
    assert merged.branch_id == 1 and merged.created_on_id == branch.id and merged.is_latest
    assert label.branch_id == 1  # records loaded in this process see the merge
    assert ln.Branch.get(branch.id).status == "merged"
    assert artifact.load()["value"].tolist() == [1, 2]


@pytest.mark.backends(*BACKENDS)
def test_merge_with_versions_under_the_same_key_adds_a_new_version(instance: dict) -> None:
    base = ln.Artifact.from_dataframe(frame(0), key="k.parquet").save()
    branches.switch("b", create=True)
    on_branch = ln.Artifact.from_dataframe(frame(10), key="k.parquet").save()
    branch_collection = ln.Collection([on_branch], key="coll").save()
    branches.switch("main")
    on_main = ln.Artifact.from_dataframe(frame(20), key="k.parquet").save()
    main_collection = ln.Collection([on_main], key="coll").save()
    before = {a.id: (a.uid, a.hash) for a in [base, on_main]}
    branch_uid = on_branch.uid
    report = branches.merge("b")
    renamed = {(v.registry, v.old_uid): v.new_uid for v in report.new_versions}
    family = ln.Artifact.filter(key="k.parquet").order_by("id").to_list()
    assert len(family) == 3 and len({a.uid[:16] for a in family}) == 1
    merged = ln.Artifact.get(on_branch.id)
    assert renamed[("Artifact", branch_uid)] == merged.uid == on_branch.uid
    counters = {a.id: a.uid[16:] for a in family}
    assert counters[merged.id] == max(counters.values())  # the newest version on main
    assert [a.id for a in family if a.is_latest] == [merged.id]
    assert ln.Artifact.get(key="k.parquet").id == merged.id
    for artifact_id, (uid, file_hash) in before.items():  # nothing on main was overwritten
        kept = ln.Artifact.get(artifact_id)
        assert (kept.uid, kept.hash) == (uid, file_hash)
    assert merged.load()["value"].tolist() == [10, 11]  # its bytes moved with its uid
    assert ln.Artifact.get(on_main.id).load()["value"].tolist() == [20, 21]
    collections = ln.Collection.filter(key="coll").to_list()
    assert [c.id for c in collections if c.is_latest] == [branch_collection.id]
    assert ln.Collection.get(branch_collection.id).uid[:16] == main_collection.uid[:16]
    assert ln.Collection.get(key="coll").load()["value"].tolist() == [10, 11]


@pytest.mark.backends("sqlite-local")
def test_merge_joins_main_family_when_both_sides_started_the_key(instance: dict) -> None:
    on_main = ln.Artifact.from_dataframe(frame(0), key="fresh.parquet").save()
    branches.switch("b", create=True)
    on_branch = ln.Artifact.from_dataframe(frame(5), key="fresh.parquet").save()
    with write_transaction() as session:  # as if the branch had not seen main's version
        session.execute(
            update(ln.Artifact)
            .where(ln.Artifact.id.in_([on_main.id, on_branch.id]))
            .values(is_latest=True)
        )
        location = Path(str(on_branch.path))
        on_branch.uid = "BranchOwnStem0000"[:16] + "0000"
        session.add(on_branch)
    location.rename(Path(str(on_branch.path)))
    branches.switch("main")
    report = branches.merge("b")
    merged = ln.Artifact.get(on_branch.id)
    assert merged.uid == on_main.uid[:16] + "0001" == report.new_versions[0].new_uid
    assert merged.is_latest and not ln.Artifact.get(on_main.id).is_latest
    assert merged.load()["value"].tolist() == [5, 6]


@pytest.mark.backends(*BACKENDS)
def test_trash_and_archive_keep_working_on_a_branch(instance: dict) -> None:
    archived = ln.ULabel(name="archived").save()
    with write_transaction() as session:
        archived.branch_id = 0
        session.add(archived)
    branch = branches.switch("b", create=True)
    artifact = ln.Artifact.from_dataframe(frame(1), key="t.parquet").save()
    trashed = ln.ULabel(name="trashed").save()
    trashed.delete()
    assert ln.ULabel.filter(name="trashed").count() == 0
    assert ln.ULabel.filter(name="trashed", branch_id=-1).count() == 1
    artifact.delete()
    artifact.restore()
    assert artifact.branch_id == branch.id
    branches.switch("main")
    branches.merge("b")
    assert ln.ULabel.filter(name="trashed", branch_id=-1).count() == 1
    assert ln.ULabel.filter(name="archived").count() == 0
    assert ln.ULabel.filter(name="archived", branch_id=0).count() == 1
    assert ln.Artifact.get(key="t.parquet").branch_id == 1


@pytest.mark.backends(*BACKENDS)
def test_delete_and_bad_branch_names(instance: dict) -> None:
    branches.switch("gone", create=True)
    ln.ULabel(name="unmerged").save()
    with pytest.raises(ln.errors.InvalidArgument, match="switch away first"):
        branches.delete_branch("gone")
    branches.switch("main")
    with pytest.raises(ln.errors.InvalidArgument, match=r"unmerged records \(ULabel: 1\)"):
        branches.delete_branch("gone")
    branches.delete_branch("gone", force=True)
    assert ln.ULabel.filter(name="unmerged", branch_id=-1).count() == 1
    # the trashed records were made on it (created_on_id), so the row stays, closed
    assert "gone" not in [b.name for b in branches.list_branches()]
    assert ln.Branch.get(name="gone").status == "closed"
    with pytest.raises(ln.errors.InvalidArgument, match="'gone' is closed"):
        branches.switch("gone")
    with pytest.raises(ln.errors.DoesNotExist, match="lamin switch -c never"):
        branches.switch("never")
    branches.create_branch("again")
    for bad, message in [
        ("again", "already exists"),
        ("main", "built-in"),
        ("-x", "not valid"),
        ("a b", "not valid"),
    ]:
        with pytest.raises(ln.errors.InvalidArgument, match=message):
            branches.create_branch(bad)
    for builtin in ("main", "trash"):
        with pytest.raises(ln.errors.InvalidArgument, match="built-in"):
            branches.delete_branch(builtin)
    with pytest.raises(ln.errors.InvalidArgument):
        branches.switch("trash")
    with pytest.raises(ln.errors.InvalidArgument, match="built-in"):
        branches.merge("main", target="again")
    with pytest.raises(ln.errors.InvalidArgument, match="cannot merge into 'trash'"):
        branches.merge("again", target="trash")
    assert branches.merge("again", target="again") is None  # into itself: nothing to do


@pytest.mark.backends("sqlite-local")
def test_deleting_a_branch_with_new_versions_gives_main_its_latest_back(instance: dict) -> None:
    base = ln.Artifact.from_dataframe(frame(0), key="k.parquet").save()
    branches.switch("b", create=True)
    ln.Artifact.from_dataframe(frame(1), key="k.parquet").save()
    branches.switch("main")
    branches.delete_branch("b", force=True)
    assert ln.Artifact.get(base.id).is_latest
    assert ln.Artifact.filter(key="k.parquet", is_latest=True).one().id == base.id


@pytest.mark.backends(*BACKENDS)
def test_cli_switch_merge_list_delete(instance: dict) -> None:
    runner = CliRunner()

    def lamin(*args: str) -> str:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    assert "switched to branch: my_branch" in lamin("switch", "-c", "my_branch")
    ln.ULabel(name="from the cli branch").save()
    listing = lamin("branch", "list")
    assert "* my_branch [standalone]  (1 record)" in listing and "  main" in listing
    lamin("switch", "main")
    assert "merged branch 'my_branch' into main: 1 record (ULabel: 1)" in lamin(
        "merge", "my_branch"
    )
    assert ln.ULabel.get(name="from the cli branch").branch_id == 1
    assert "my_branch [merged]  (0 records)" in lamin("branch", "list")
    lamin("branch", "delete", "my_branch")
    assert "my_branch" not in lamin("branch", "list")
    assert "my_branch [closed]" in lamin("branch", "list", "--all")


@pytest.mark.backends("sqlite-local")
def test_main_keeps_its_latest_version_while_a_branch_works(instance: dict) -> None:
    base = ln.Artifact.from_dataframe(frame(0), key="k.parquet").save()
    branches.switch("b", create=True)
    ln.Artifact.from_dataframe(frame(1), key="k.parquet").save()
    branches.switch("main")
    assert ln.Artifact.get(base.id).is_latest
