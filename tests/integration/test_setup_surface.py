"""LaminDB 2.12's `ln.setup` names beyond the basics: `migrate`, `logger`, `settings.paths`,
the storage's record and local paths, the hub-only fields (none here), the `Registry`
metaclass methods (`ln.ULabel.connect(...)`) and `ln.DB(...).view(modules=, df=)`."""

from __future__ import annotations

import os
import time
from pathlib import Path

import boto3
import pandas as pd
import pytest

import lamin_kernel as ln
import lamin_kernel.setup as ln_setup
from lamin_kernel import runtime
from lamin_kernel.db import migrate as db_migrate
from lamin_kernel.setup import instance as setup_instance


def test_migrate_deploys_and_checks_the_newest_migrations(instance: dict, capsys) -> None:
    engine = runtime.connection().engine
    assert ln_setup.migrate.check() is True
    ln_setup.migrate.deploy()
    assert "at the newest migrations already" in capsys.readouterr().out
    from alembic import command

    # the database one migration behind, as an instance made by an older lamin_kernel
    command.downgrade(db_migrate.alembic_config(engine), "-1")
    assert db_migrate.current_revision(engine) != db_migrate.core_head()
    assert ln_setup.migrate.check() is False
    ln_setup.migrate.deploy()
    assert "migrated" in capsys.readouterr().out
    assert ln_setup.migrate.check() is True
    with pytest.raises(ln.errors.InvalidArgument, match="newest migrations only"):
        ln_setup.migrate.deploy(package_name="lamindb", number=3)
    with pytest.raises(ln.errors.InvalidArgument, match="custom schema modules"):
        ln_setup.migrate.create()


def test_setup_logger_is_ln_logger() -> None:
    assert ln_setup.logger is ln.logger
    assert {"migrate", "logger"} <= set(dir(ln_setup))


def test_local_storage_paths_are_the_files_themselves(instance: dict) -> None:
    storage = ln_setup.settings.storage
    assert storage.record == ln.Storage.get(root=instance["storage"])
    assert storage.hub_record is None
    assert Path(storage.local_filepath("a/b.txt")) == Path(instance["storage"]) / "a/b.txt"
    paths = ln_setup.settings.paths
    assert paths.cloud_to_local_no_update("/tmp/x.csv") == Path("/tmp/x.csv")
    assert storage.cloud_to_local(Path("/tmp/y.csv")) == Path("/tmp/y.csv")


@pytest.mark.backends("sqlite-s3")
def test_cloud_files_are_fetched_into_the_cache_and_refreshed_when_newer(
    instance: dict, s3_server
) -> None:
    bucket = instance["storage"].removeprefix("s3://")
    s3 = boto3.client("s3", endpoint_url=s3_server.endpoint)
    s3.put_object(Bucket=bucket, Key="data/table.csv", Body=b"a,b\n1,2\n")
    storage = ln_setup.settings.storage
    url = f"s3://{bucket}/data/table.csv"
    expected = ln_setup.settings.paths.cloud_to_local_no_update(url)
    assert not expected.exists()  # no_update fetches nothing
    local = storage.local_filepath("data/table.csv")
    assert local == expected and local.read_bytes() == b"a,b\n1,2\n"
    assert str(local).startswith(str(ln_setup.settings.cache_dir))
    old = time.time() - 3600
    os.utime(local, (old, old))  # a cached copy older than the cloud's is fetched again
    s3.put_object(Bucket=bucket, Key="data/table.csv", Body=b"a,b\n3,4\n")
    assert storage.cloud_to_local(url).read_bytes() == b"a,b\n3,4\n"
    keyed = storage.cloud_to_local(url, cache_key="mine/t.csv")
    assert keyed == ln_setup.settings.cache_dir / "mine/t.csv" and keyed.exists()
    with pytest.raises(ln.errors.InvalidArgument, match="outside the cache"):
        storage.cloud_to_local_no_update(url, cache_key="../../escape.csv")


def test_hub_only_settings_have_no_value_here(instance: dict) -> None:
    settings = ln_setup.settings
    assert settings.instance.api_url is None and settings.instance.ui_url is None
    assert settings.instance.available_spaces is None
    assert settings.instance.is_read_only_connection is False
    with pytest.raises(ValueError, match="keep_artifacts_local"):
        settings.instance.local_storage  # noqa: B018
    user = settings.user
    assert (user.email, user.access_token, user.api_key, user.password) == (None,) * 4
    assert settings.modules_warning is None


def test_registry_methods_query_this_or_another_instance(tmp_path: Path) -> None:
    runtime.reset()
    source = setup_instance.init(str(tmp_path / "source"), name="source")
    ln.ULabel(name="over there").save()
    setup_instance.init(str(tmp_path / "target"), name="target")
    ln.ULabel(name="here").save()
    try:
        assert ln.ULabel.connect(source.slug).to_list("name") == ["over there"]
        assert ln.ULabel.using("source").to_list("name") == ["over there"]
        assert ln.ULabel.connect(None).to_list("name") == ["here"]
        registry = ln.models.Registry
        assert registry.filter(ln.ULabel, name="here").count() == 1
        assert registry.get(ln.ULabel, name="here").name == "here"
        assert registry.search(ln.ULabel, "her").to_list("name")[0] == "here"
        assert registry.lookup(ln.ULabel, return_field="uid").here == ln.ULabel.get(name="here").uid
        assert list(registry.to_dataframe(ln.ULabel)["name"]) == ["here"]
        assert list(registry.df(ln.ULabel, limit=1)["name"]) == ["here"]
        assert "name" in registry.describe(ln.ULabel, return_str=True)
        with pytest.raises(ln.errors.InvalidArgument, match="keep is 'first' or 'last'"):
            registry.lookup(ln.ULabel, keep="middle")
    finally:
        runtime.reset()


def test_lookup_keeps_the_first_or_last_of_shared_values(instance: dict) -> None:
    first = ln.ULabel(name="one", description="shared").save()
    last = ln.ULabel(name="two", description="shared").save()
    lookup = ln.models.Registry.lookup
    labels = ln.ULabel.filter().order_by("id")
    assert lookup(ln.ULabel, field="description", keep="first").shared == first
    assert lookup(ln.ULabel, field="description", keep="last").shared == last
    assert labels.lookup("description").shared == last  # a QuerySet's lookup: the last
    assert lookup(ln.ULabel, field="description", return_field="name").shared == "one"


def test_db_view_narrows_by_module_and_prints_a_dataframe(tmp_path: Path, capsys) -> None:
    runtime.reset()
    source = setup_instance.init(str(tmp_path / "source"), name="source")
    ln.ULabel(name="remote label").save()
    setup_instance.init(str(tmp_path / "target"), name="target")
    try:
        db = ln.DB(source.slug)
        db.view(modules="core")
        out = capsys.readouterr().out
        assert "ULabel" in out and "remote label" in out
        db.view(modules="bionty")  # the source has no bionty: nothing to print
        assert capsys.readouterr().out == ""
        db.view(df=pd.DataFrame({"x": range(10)}), limit=3)
        assert capsys.readouterr().out.strip().splitlines()[-1].split() == ["2", "2"]
        with pytest.raises(ln.errors.InvalidArgument, match="unknown module"):
            db.view(modules="nope")
    finally:
        runtime.reset()
