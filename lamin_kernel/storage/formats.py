"""File formats: writing in-memory objects and loading or opening stored bytes by suffix."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StorageError, UnsupportedObject

SMALL_OBJECT_CELLS = 1_000_000  # DataFrames up to this many cells are serialised in memory

LOADABLE = (
    ".parquet",
    ".csv",
    ".tsv",
    ".json",
    ".h5ad",
    ".zarr",
    ".txt",
    ".md",
    ".yaml",
    ".yml",
    ".html",
    ".py",
    ".ipynb",
)


def object_type(obj: Any) -> str | None:
    """'DataFrame' or 'AnnData' for objects we can store, without importing pandas or anndata."""
    module = type(obj).__module__
    name = type(obj).__name__
    if name == "DataFrame" and module.startswith("pandas"):
        return "DataFrame"
    if name == "AnnData" and module.startswith("anndata"):
        return "AnnData"
    return None


def default_suffix(otype: str) -> str:
    return {"DataFrame": ".parquet", "AnnData": ".h5ad"}[otype]


def write_object(obj: Any, otype: str, path: Path, suffix: str) -> None:
    """Serialise a DataFrame (parquet, csv) or an AnnData (h5ad, zarr) to a local path."""
    with _unserialisable_refused(otype, suffix):
        if otype == "DataFrame":
            if suffix == ".parquet":
                write_parquet(obj, path)
            elif suffix in (".csv", ".tsv"):
                obj.to_csv(path, sep="," if suffix == ".csv" else "\t")
            else:
                raise UnsupportedObject(
                    f"cannot write a DataFrame as '{suffix}'; use .parquet or .csv"
                )
        elif otype == "AnnData":
            if suffix == ".h5ad":
                obj.write_h5ad(path)
            elif suffix == ".zarr":
                obj.write_zarr(path)
            else:
                raise UnsupportedObject(
                    f"cannot write an AnnData as '{suffix}'; use .h5ad or .zarr"
                )


@contextmanager
def _unserialisable_refused(otype: str, suffix: str) -> Iterator[None]:
    """What the writers raise for an object they cannot store becomes UnsupportedObject."""
    try:
        yield
    except UnsupportedObject:
        raise
    except (TypeError, ValueError) as exc:
        raise UnsupportedObject(f"could not serialise the {otype} as {suffix}: {exc}") from exc


def _parquet_table(df: Any) -> Any:
    """The arrow table ``df.to_parquet`` writes: ``df.attrs`` go into the metadata, and pandas'
    arrow extension types (period, interval) are registered first, as pandas does."""
    import pandas.core.arrays.arrow.extension_types  # noqa: F401
    import pyarrow as pa

    table = pa.Table.from_pandas(df, preserve_index=None)
    if df.attrs:
        metadata = {**(table.schema.metadata or {}), b"PANDAS_ATTRS": json.dumps(df.attrs)}
        table = table.replace_schema_metadata(metadata)
    return table


def write_parquet(df: Any, where: Path | Any) -> None:
    """The bytes ``df.to_parquet(path)`` writes, to a path or an arrow sink, without pandas'
    path and engine dispatch (~15% of a small frame's write)."""
    import pyarrow.parquet as pq

    target = str(where) if isinstance(where, Path) else where
    pq.write_table(_parquet_table(df), target, compression="snappy")


def small_object_bytes(obj: Any, otype: str, suffix: str) -> bytes | None:
    """A small DataFrame's parquet bytes in memory (hashed and written once, never read back);
    None for anything else, which is written to a file directly."""
    if otype != "DataFrame" or suffix != ".parquet":
        return None
    rows, columns = obj.shape
    if rows * max(columns, 1) > SMALL_OBJECT_CELLS:  # memory_usage() costs more than the write
        return None
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with _unserialisable_refused(otype, suffix):
        write_parquet(obj, sink)
    return sink.getvalue().to_pybytes()


def n_observations(obj: Any, otype: str) -> int:
    return int(obj.shape[0]) if otype in ("DataFrame", "AnnData") else 0


def load_local(path: Path, suffix: str, **kwargs: Any) -> Any:
    """Load a local file into memory according to its suffix."""
    try:
        if suffix == ".parquet":
            import pandas as pd

            return pd.read_parquet(path, **kwargs)
        if suffix in (".csv", ".tsv"):
            import pandas as pd

            kwargs.setdefault("sep", "," if suffix == ".csv" else "\t")
            kwargs.setdefault("index_col", 0)
            return pd.read_csv(path, **kwargs)
        if suffix == ".h5ad":
            import anndata

            return anndata.read_h5ad(path, **kwargs)
        if suffix == ".zarr":
            import anndata

            return anndata.read_zarr(path)
        if suffix in (".json", ".ipynb"):
            return json.loads(path.read_text())
        if suffix in (".txt", ".md", ".yaml", ".yml", ".html", ".py"):
            return path.read_text()
    except FileNotFoundError as exc:
        raise StorageError(f"the stored file {path} is missing; run `lamin check`") from exc
    except (OSError, ValueError, KeyError) as exc:
        raise StorageError(f"could not load {path.name} as {suffix}: {exc}") from exc
    raise UnsupportedObject(
        f"load() does not know suffix '{suffix or '(none)'}'; use .cache() for a local path "
        f"(loadable: {', '.join(LOADABLE)})"
    )


def open_local_or_remote(path: str, suffix: str, fs: Any, inner: str, **kwargs: Any) -> Any:
    """A streaming handle: a pyarrow dataset for parquet, backed AnnData for h5ad."""
    try:
        if suffix == ".parquet" or suffix == "":
            import pyarrow.dataset as ds

            return ds.dataset(inner, filesystem=fs, format="parquet", **kwargs)
        if suffix == ".h5ad":
            import anndata

            return anndata.read_h5ad(path, backed="r", **kwargs)
    except (OSError, ValueError) as exc:
        raise StorageError(f"could not open {path}: {exc}") from exc
    raise UnsupportedObject(
        f"open() supports .parquet and .h5ad, not '{suffix or '(none)'}'; use load() or cache()"
    )
