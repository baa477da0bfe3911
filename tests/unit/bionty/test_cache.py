"""The parquet cache: written once per release, read back afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from lamin_kernel.bionty.public import public
from lamin_kernel.bionty.public.cache import TABLE_FORMAT, cache_path, write_cached
from lamin_kernel.bionty.public.sources import find_source


def test_cache_is_written_then_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAMIN_CACHE_DIR", str(tmp_path))
    source = find_source("DevelopmentalStage", "human")
    path = cache_path(source)
    assert (
        path
        == tmp_path / "ontologies" / f"DevelopmentalStage__human__hsapdv__{source.version}.parquet"
    )
    assert not path.exists()
    first = public("DevelopmentalStage", organism="human")
    n = len(first.to_dataframe())
    assert path.exists()
    # Mark the cached table: a new load must show the mark, so it read the cache.
    table = first.to_dataframe(include_deprecated=True)
    term = first.get(name="adult stage")["ontology_id"]
    table.loc[term, "name"] = "marked in the cache"
    write_cached(table, path)
    second = public("DevelopmentalStage", organism="human")
    assert second.get(ontology_id=term)["name"] == "marked in the cache"
    assert len(second.to_dataframe()) == n
    assert isinstance(second.to_dataframe()["parents"].iloc[0], list)


def test_a_cache_of_another_format_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAMIN_CACHE_DIR", str(tmp_path))
    path = cache_path(find_source("Ethnicity"))
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not parquet")
    assert public("Ethnicity").get(name="European ancestry")["ontology_id"].startswith("HANCESTRO:")
    assert path.read_bytes()[:4] == b"PAR1" and TABLE_FORMAT
