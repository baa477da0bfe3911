"""An Artifact page offers "Show in file browser" only for a file the file browser can show."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import lamin_kernel as ln
from tests.server.conftest import Fetch


@pytest.fixture
def storage_in_root(jp_root_dir: Path) -> Iterator[Path]:
    """An instance whose storage is a folder of the Jupyter server's root."""
    from lamin_kernel import runtime
    from lamin_kernel.setup import instance as setup_instance

    runtime.reset()
    storage = jp_root_dir / "lamin-data"
    setup_instance.init(str(storage), name="in-root")
    yield storage
    runtime.reset()


async def test_local_path_of_files_the_file_browser_shows(
    api: Fetch, storage_in_root: Path, tmp_path: Path
) -> None:
    (storage_in_root / "tables").mkdir()
    (storage_in_root / "tables" / "in-place.csv").write_text("a,b\n1,2\n")
    in_place = ln.Artifact(storage_in_root / "tables" / "in-place.csv").save()
    (tmp_path / "outside.csv").write_text("a,b\n3,4\n")
    copied = ln.Artifact(tmp_path / "outside.csv", key="copied/outside.csv").save()

    status, body, _ = await api("registries", "Artifact", "records", in_place.uid)
    assert status == 200
    assert body["local_path"] == "lamin-data/tables/in-place.csv"
    # saved into the storage's hidden .lamindb/ folder: the file browser cannot go there
    status, body, _ = await api("registries", "Artifact", "records", copied.uid)
    assert status == 200 and body["local_path"] is None
