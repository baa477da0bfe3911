"""Two local instances: ln.DB("other") reads, save(using=...) writes into the other one."""

from __future__ import annotations

from pathlib import Path

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.setup import instance as setup_instance


@pytest.fixture
def two_instances(tmp_path: Path) -> dict:
    """`source` holds a label; `target` is connected."""
    runtime.reset()
    source = setup_instance.init(str(tmp_path / "source"), name="source")
    ln.ULabel(name="from source").save()
    target = setup_instance.init(str(tmp_path / "target"), name="target")
    yield {"source": source.slug, "target": target.slug, "tmp": tmp_path}
    runtime.reset()


def test_db_reads_another_instance_without_touching_the_connected_one(two_instances: dict):
    db = ln.DB(two_instances["source"])
    assert repr(db) == f"DB('{two_instances['source']}')"
    assert db.ULabel.filter().to_list("name") == ["from source"]
    assert db.ULabel.get(name="from source").name == "from source"
    assert list(db.ULabel.filter().to_dataframe()["name"]) == ["from source"]
    assert ln.ULabel.filter().count() == 0
    assert ln.DB("source").ULabel.count() == 1  # by name, as LaminDB takes it
    with pytest.raises(TypeError, match="cannot create records through"):
        db.ULabel(name="no")
    with pytest.raises(AttributeError, match="not found in lamindb core registries"):
        db.NotARegistry  # noqa: B018


def test_ln_save_using_writes_into_the_other_instance(two_instances: dict):
    ln.save([ln.ULabel(name=f"remote {i}") for i in range(3)], using=two_instances["source"])
    db = ln.DB(two_instances["source"])
    assert db.ULabel.filter(name__startswith="remote").count() == 3
    assert ln.ULabel.filter(name__startswith="remote").count() == 0
    db.ULabel.filter(name__startswith="remote").delete(permanent=True)
    assert db.ULabel.filter(name__startswith="remote").count() == 0
    assert db.ULabel.count() == 1


def test_db_of_the_connected_instance_is_the_instance_itself(two_instances: dict):
    ln.ULabel(name="here").save()
    assert ln.DB(two_instances["target"]).ULabel.filter().to_list("name") == ["here"]
