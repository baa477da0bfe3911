"""`ln.models.IsVersioned`: what versioned registries share (uid stem, versions, version)."""

from __future__ import annotations

import pandas as pd

import lamin_kernel as ln
from lamin_kernel.models import IsVersioned


def test_versioned_registries_share_stem_versions_and_version(instance: dict) -> None:
    first = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="v/table.parquet").save()
    second = ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="v/table.parquet").save()
    assert isinstance(second, IsVersioned) and second.stem_uid == first.stem_uid
    assert len(second.stem_uid) == 16 and second.version == second.uid[-4:]
    assert [a.id for a in second.versions] == [second.id, first.id]
    transform = ln.Transform(key="v/script.py", kind="script", version="1.0").save()
    assert isinstance(transform, IsVersioned) and len(transform.stem_uid) == 12
    assert transform.version == "1.0"
    collection = ln.Collection([first], key="v/collection").save()
    assert isinstance(collection, IsVersioned) and collection.versions.count() == 1
    assert isinstance(ln.models.Block(key="README.md", content="x", kind="readme"), IsVersioned)
    assert not isinstance(ln.ULabel(name="not versioned"), IsVersioned)
