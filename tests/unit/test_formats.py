"""Serialising DataFrames: the parquet bytes are pandas' own, on disk or in memory."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lamin_kernel.errors import UnsupportedObject
from lamin_kernel.storage import formats, transfer
from lamin_kernel.storage.formats import small_object_bytes, write_object, write_parquet
from lamin_kernel.storage.hashing import hash_file

FRAMES = {
    "range index": pd.DataFrame({"i": [1, 2, 3], "s": ["a", "b", "c"]}),
    "named index": pd.DataFrame({"x": [0.5, 1.5]}, index=pd.Index(["r1", "r2"], name="obs")),
    "int labels": pd.DataFrame({0: [1], 1: [2]}),
    "categorical and period": pd.DataFrame(
        {
            "c": pd.Categorical(["u", "v"]),
            "p": pd.period_range("2020", periods=2, freq="Y"),
        }
    ),
}


@pytest.mark.parametrize("name", FRAMES)
def test_write_parquet_writes_the_bytes_pandas_writes(name: str, tmp_path: Path) -> None:
    """pandas' bytes, with dictionary encoding for all but floating-point columns."""
    df = FRAMES[name]
    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    others = [str(c) for c in df.columns if c not in floats] + list(_index_columns(df))
    df.to_parquet(tmp_path / "pandas.parquet", use_dictionary=others if floats else True)
    write_parquet(df, tmp_path / "ours.parquet")
    assert (tmp_path / "ours.parquet").read_bytes() == (tmp_path / "pandas.parquet").read_bytes()
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "ours.parquet"), df)


def _index_columns(df: pd.DataFrame) -> list[str]:
    if isinstance(df.index, pd.RangeIndex) and df.index.name is None:
        return []
    return [str(df.index.name) if df.index.name is not None else "__index_level_0__"]


def test_floating_point_columns_are_not_dictionary_encoded(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    df = pd.DataFrame({"x": [0.25, 0.5] * 50, "i": [1, 2] * 50, "s": ["a", "b"] * 50})
    write_parquet(df, tmp_path / "t.parquet")
    row_group = pq.ParquetFile(tmp_path / "t.parquet").metadata.row_group(0)
    encodings = {
        row_group.column(k).path_in_schema: row_group.column(k).encodings for k in range(3)
    }
    assert not any("DICTIONARY" in e for e in encodings["x"])
    assert any("DICTIONARY" in e for e in encodings["i"])
    assert any("DICTIONARY" in e for e in encodings["s"])
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "t.parquet"), df)


def test_write_parquet_keeps_attrs(tmp_path: Path) -> None:
    df = pd.DataFrame({"a": [1]})
    df.attrs = {"source": "plate 3"}
    write_parquet(df, tmp_path / "a.parquet")
    assert pd.read_parquet(tmp_path / "a.parquet").attrs == {"source": "plate 3"}


def test_unserialisable_frame_is_refused_by_name(tmp_path: Path) -> None:
    df = pd.DataFrame({"o": [object()]})
    with pytest.raises(UnsupportedObject, match="could not serialise the DataFrame as .parquet"):
        write_object(df, "DataFrame", tmp_path / "o.parquet", ".parquet")


@pytest.mark.parametrize("name", FRAMES)
def test_small_frames_serialise_in_memory_to_the_same_bytes(name: str, tmp_path: Path) -> None:
    df = FRAMES[name]
    write_parquet(df, tmp_path / "file.parquet")
    assert (
        small_object_bytes(df, "DataFrame", ".parquet") == (tmp_path / "file.parquet").read_bytes()
    )


def test_large_frames_and_other_formats_are_written_to_files(monkeypatch) -> None:
    df = FRAMES["range index"]
    assert small_object_bytes(df, "DataFrame", ".csv") is None
    monkeypatch.setattr(formats, "SMALL_OBJECT_CELLS", 2)
    assert small_object_bytes(df, "DataFrame", ".parquet") is None


def test_staged_bytes_carry_the_hash_of_the_file(tmp_path: Path) -> None:
    data = small_object_bytes(FRAMES["named index"], "DataFrame", ".parquet")
    staged, file_hash, size = transfer.stage_bytes(str(tmp_path), ".parquet", data)
    try:
        assert (file_hash, size) == hash_file(staged.temp_path)
        assert Path(staged.temp_path).read_bytes() == data
    finally:
        staged.discard()
    assert not Path(staged.temp_path).exists()


@pytest.mark.parametrize("staging", ["bytes", "written"])
def test_staged_objects_are_fsynced_only_when_asked(
    staging: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    df = FRAMES["range index"]
    synced: list[int] = []
    monkeypatch.setattr(transfer.os, "fsync", synced.append)

    def stage() -> None:
        if staging == "bytes":
            data = small_object_bytes(df, "DataFrame", ".parquet")
            staged = transfer.stage_bytes(str(tmp_path), ".parquet", data)[0]
        else:
            write = lambda path: write_object(df, "DataFrame", path, ".parquet")  # noqa: E731
            staged = transfer.stage_written(str(tmp_path), ".parquet", write)[0]
        staged.discard()

    monkeypatch.delenv("LAMIN_FSYNC", raising=False)
    stage()
    assert synced == []
    monkeypatch.setenv("LAMIN_FSYNC", "1")
    stage()
    assert len(synced) == 1
