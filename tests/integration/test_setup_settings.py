"""`ln.setup` and `ln.settings` as LaminDB's users call them: instance, user, storage, options."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import lamin_kernel as ln
import lamin_kernel.setup as ln_setup
from lamin_kernel import log
from lamin_kernel.setup import options
from lamin_kernel.setup.session import write_transaction


@pytest.fixture(autouse=True)
def default_options():
    yield
    options.reset()
    log.set_verbosity(None)


def test_setup_settings_describe_the_connected_instance(instance: dict) -> None:
    settings = ln_setup.settings
    slug = instance["settings"].slug
    assert settings.instance.slug == slug
    assert (settings.instance.owner, settings.instance.name) == tuple(slug.split("/"))
    assert settings.instance.dialect == "sqlite" and settings.instance.db.startswith("sqlite:///")
    assert settings.instance.modules == []
    assert settings.storage.root_as_str == instance["storage"]
    assert settings.storage.type == "local" and not settings.storage.type_is_cloud
    assert str(settings.storage.root) == instance["storage"]
    assert settings.storage.uid == ln.Storage.get(root=instance["storage"]).uid
    assert settings.storage.instance_uid == settings.instance.uid
    assert settings.user.handle == "anonymous" and settings.user.id == 1
    assert settings.is_connected and settings.is_configured
    assert Path(str(settings.cache_dir)).is_dir()
    text = repr(settings)
    assert text.startswith(f"Instance: {slug}") and "User: anonymous" in text
    assert settings.branch.name == "main" and settings.space.name == "all"


@pytest.mark.backends("postgres-local")
def test_instance_repr_hides_the_database_password(instance: dict) -> None:
    settings = ln_setup.settings.instance
    settings.db_url = settings.db_url.replace("postgres@", "postgres:secret@")
    assert settings.db.endswith(settings.db_url.rsplit("/", 1)[1])
    assert "secret" not in repr(settings) and ":***@" in repr(settings)
    assert settings.dialect == "postgresql"


def test_ln_settings_repr_lists_instance_storage_verbosity_and_run_inputs(instance: dict) -> None:
    lines = repr(ln.settings).split("\n")
    assert lines[0] == "Settings" and all(line.startswith("  ") for line in lines[1:])
    names = [line.split(":")[0].strip() for line in lines[1:]]
    assert names == ["instance", "storage", "verbosity", "track_run_inputs"]
    assert f"instance: {ln_setup.settings.instance.uid}" in lines[1]
    assert ln.settings.instance_uid == ln_setup.settings.instance.uid


def test_verbosity_is_set_by_name_or_number(instance: dict, capsys) -> None:
    assert ln.settings.verbosity == "info"
    ln.settings.verbosity = "warning"
    assert ln.settings.verbosity == "warning"
    ln.ULabel(name="quiet").save()
    ln.ULabel(name="quiet")  # would say "returning existing ULabel" at info
    assert "returning existing" not in capsys.readouterr().out
    ln.settings.verbosity = 5
    assert ln.settings.verbosity == "debug"
    with pytest.raises(ln.errors.InvalidArgument, match="verbosity 'loud'"):
        ln.settings.verbosity = "loud"
    assert ln.settings.verbosity == "debug"  # unchanged after the refusal


def test_search_names_off_makes_a_new_record_with_the_same_name(instance: dict) -> None:
    first = ln.ULabel(name="twin").save()
    assert ln.ULabel(name="twin").id == first.id
    ln.settings.creation.search_names = False
    second = ln.ULabel(name="twin")
    assert second.id is None
    ln.settings.creation.search_names = True
    assert ln.ULabel(name="twin").id == first.id


def test_track_run_inputs_off_records_no_input(instance: dict) -> None:
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="in.parquet").save()
    transform = ln.Transform(key="reader.py", kind="script").save()
    run = ln.Run(transform=transform).save()
    from lamin_kernel import runtime

    tokens = runtime.set_current_run(run, transform)
    try:
        ln.settings.track_run_inputs = False
        artifact.load()
        assert ln.Artifact.filter(input_of_runs=run).count() == 0
        ln.settings.track_run_inputs = True
        artifact.load()
        assert [a.id for a in ln.Artifact.filter(input_of_runs=run)] == [artifact.id]
    finally:
        runtime.restore_current_run(tokens)


def _storage_row(root: Path, instance_uid: str | None) -> ln.Storage:
    """A registered location, then marked as another instance's (or nobody's)."""
    storage = ln.Storage(root=str(root)).save()
    storage.instance_uid = instance_uid
    return storage.save()


def test_storage_setter_switches_and_refuses_storage_of_others(
    instance: dict, tmp_path: Path
) -> None:
    foreign = _storage_row(tmp_path / "foreign", "_not_exists_")
    with pytest.raises(ValueError) as error:
        ln.settings.storage = foreign.root
    assert str(error.value) == (
        f"Storage '{foreign.root}' exists in another instance (_not_exists_), "
        "cannot write to it from here."
    )
    unmanaged = _storage_row(tmp_path / "unmanaged", None)
    for setter in ("storage", "local_storage"):
        with pytest.raises(ValueError, match="is not managed by any instance"):
            setattr(ln.settings, setter, unmanaged.root)
    assert ln.settings.storage.root_as_str == instance["storage"]  # unchanged
    ln.settings.storage = tmp_path / "second"
    assert ln.settings.storage.root_as_str == str(tmp_path / "second")
    assert ln_setup.settings.storage.root_as_str == str(tmp_path / "second")
    saved = ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="two.parquet").save()
    assert saved.storage.root == str(tmp_path / "second")
    ln.settings.local_storage = instance["storage"]
    assert ln.settings.local_storage.root_as_str == instance["storage"]
    with pytest.raises(ln.errors.InvalidArgument, match="takes a folder"):
        ln.settings.local_storage = "s3://some-bucket"


def test_cli_init_without_storage_makes_the_folder_its_dev_dir(tmp_path: Path) -> None:
    project = tmp_path / "My-Project"
    (project / "pipelines").mkdir(parents=True)
    env = {**os.environ, "LAMIN_SETTINGS_DIR": str(tmp_path / "settings")}
    lamin = [sys.executable, "-m", "lamin_kernel.cli"]
    out = subprocess.run([*lamin, "init"], cwd=project, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert f"initialized lamindb: anonymous/my-project in {project}" in out.stdout
    assert (project / "storage" / ".lamindb" / "lamin.db").exists()
    code = (
        "import lamin_kernel as ln; s = ln.setup.settings; "
        "print(s.instance.slug, s.dev_dir, s.storage.root_as_str)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project / "pipelines",
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.stdout.split()[-3:] == [
        "anonymous/my-project",
        str(project),
        str(project / "storage"),
    ]
    # outside the project nothing is connected by the marker; the global setting still is
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = subprocess.run([*lamin, "info"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert "dev_dir: None" in out.stdout and "instance: anonymous/my-project" in out.stdout


def test_dev_dir_setter_marks_and_unmarks(instance: dict, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert ln_setup.settings.dev_dir is None
    ln_setup.settings.dev_dir = tmp_path
    assert ln_setup.settings.dev_dir == tmp_path.resolve()
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert ln_setup.settings.dev_dir == tmp_path.resolve()
    ln_setup.settings.dev_dir = None
    assert ln_setup.settings.dev_dir is None
    assert not (tmp_path / ".lamin_kernel").exists()
    with pytest.raises(ln.errors.InvalidArgument, match="home directory"):
        ln_setup.settings.dev_dir = Path.home()


def test_login_keeps_a_uid_per_handle_and_logout_returns_to_anonymous(instance: dict) -> None:
    alice = ln_setup.login("alice", name="Alice")
    assert ln_setup.settings.user.handle == "alice" and len(alice.uid) == 8
    label = ln.ULabel(name="by alice").save()
    assert ln.User.get(label.created_by_id).handle == "alice"
    ln_setup.login("bob")
    assert ln_setup.settings.user.uid != alice.uid
    again = ln_setup.login("alice")
    assert (again.uid, again.name) == (alice.uid, "Alice")
    ln_setup.logout()
    assert ln_setup.settings.user.handle == "anonymous"
    with pytest.raises(ln.errors.InvalidArgument, match="is not valid"):
        ln_setup.login("not a handle")
    assert ln_setup.settings.user.handle == "anonymous"


def test_setup_switch_and_merge_as_lamindb_names_them(instance: dict) -> None:
    branch = ln.Branch(name="feature").save()
    assert branch.status == "standalone"
    ln_setup.switch(branch.name)
    assert ln_setup.settings.branch.id == branch.id
    label = ln.ULabel(name="on feature").save()
    with pytest.raises(ln.errors.BranchAlreadyExists, match="already exists"):
        ln_setup.switch("feature", create=True)
    ln_setup.merge("feature", target="feature")  # into itself: nothing happens
    assert ln.Branch.get(branch.id).status == "standalone"
    ln_setup.merge(branch, target=ln.Branch.get(name="main"))  # objects work too
    assert ln_setup.settings.branch.id == branch.id  # merging does not switch
    assert ln.ULabel.get(label.id).branch_id == 1
    assert ln.ULabel.get(label.id).created_on_id == branch.id
    assert ln.Branch.get(branch.id).status == "merged"
    with pytest.raises(ln.errors.ObjectDoesNotExist, match="not found"):
        ln_setup.merge("nowhere")
    with pytest.raises(ln.errors.ObjectDoesNotExist, match="not found"):
        ln_setup.merge("feature", target="nowhere")
    ln_setup.switch("main")
    with pytest.raises(ln.errors.DoesNotExist, match="lamin switch -c"):
        ln_setup.switch("nowhere")
    ln_setup.switch("fresh", create=True)
    assert ln_setup.settings.branch.name == "fresh"


def test_branch_status_takes_lamindb_values_only(instance: dict) -> None:
    assert {b.status for b in ln.Branch.filter()} == {"standalone"}
    branch = ln.Branch(name="cr").save()
    for status in ("draft", "review", "closed"):
        branch.status = status
        branch.save()
        assert ln.Branch.get(branch.id).status == status
    with pytest.raises(ln.errors.InvalidArgument, match="Invalid branch status"):
        branch.status = "approved"
    with write_transaction():
        pass  # the refused value was never written
    assert ln.Branch.get(branch.id).status == "closed"


def test_switching_the_space_puts_new_records_there(instance: dict) -> None:
    team = ln.Space(name="team").save()
    assert ln_setup.settings.space.name == "all"
    ln_setup.switch("team", space=True)
    assert ln_setup.settings.space.id == team.id
    label = ln.ULabel(name="in the team space").save()
    transform = ln.Transform(key="team.py", kind="script").save()
    assert label.space_id == transform.space_id == team.id
    code = "import lamin_kernel as ln; print(ln.ULabel(name='from a new process').save().space_id)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-1] == str(team.id)  # a setting of the user, like the branch
    assert "space: team" in repr(ln_setup.settings)
    with pytest.raises(ln.errors.DoesNotExist, match="Space 'nowhere' not found"):
        ln_setup.switch("nowhere", space=True)
    ln_setup.settings.space = "all"
    assert ln.ULabel(name="back in all").save().space_id == 1
