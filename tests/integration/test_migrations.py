"""An instance made by the first schema version opens with the current code, without loss."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.db.migrate import HEAD_REVISION, current_revision
from lamin_kernel.setup import instance

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_instance_from_schema_0001_opens_and_migrates(tmp_path: Path) -> None:
    root = tmp_path / "instance_0001"
    shutil.copytree(FIXTURES / "instance_0001", root)
    runtime.reset()
    instance.init(str(root))
    engine = runtime.connection().engine
    assert current_revision(engine) == HEAD_REVISION
    artifacts = ln.Artifact.filter(key="fixture/table.parquet").order_by("id").to_list()
    assert len(artifacts) == 2 and artifacts[1].is_latest and not artifacts[0].is_latest
    assert artifacts[0].description == "made at schema 0001"
    assert artifacts[0].load()["value"].tolist() == [1.5, 2.5]
    assert artifacts[1].ulabels.all().one().name == "fixture label"
    assert artifacts[0].transform.key == "make_fixture.py"
    new = ln.Artifact.from_dataframe(pd.DataFrame({"v": [9]}), key="after/upgrade.parquet").save()
    assert new.storage.root == str(root)
    runtime.reset()
