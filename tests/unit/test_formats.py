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
    """A small frame: pandas' own bytes, byte for byte."""
    df = FRAMES[name]
    df.to_parquet(tmp_path / "pandas.parquet")
    write_parquet(df, tmp_path / "ours.parquet")
    assert (tmp_path / "ours.parquet").read_bytes() == (tmp_path / "pandas.parquet").read_bytes()
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "ours.parquet"), df)


def test_only_columns_whose_values_repeat_are_dictionary_encoded(tmp_path: Path) -> None:
    """In a frame of 3,000 rows (small ones keep pandas' default): repeated values and
    categoricals are dictionary-encoded, distinct ones written plain."""
    import pyarrow.parquet as pq

    n = 3000
    df = pd.DataFrame(
        {
            "x_repeats": [0.25, 0.5] * (n // 2),
            "i_repeats": [1, 2, 3] * (n // 3),
            "s_repeats": ["a", "b"] * (n // 2),
            "c": pd.Categorical(["u", "v", "w"] * (n // 3)),
            "x_distinct": [k / 7 for k in range(n)],
            "i_distinct": list(range(n)),
            "s_distinct": [f"v{k}" for k in range(n)],
        }
    )
    write_parquet(df, tmp_path / "t.parquet")
    row_group = pq.ParquetFile(tmp_path / "t.parquet").metadata.row_group(0)
    dictionary = {
        row_group.column(k).path_in_schema
        for k in range(len(df.columns))
        if any("DICTIONARY" in e for e in row_group.column(k).encodings)
    }
    assert dictionary == {"x_repeats", "i_repeats", "s_repeats", "c"}
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
