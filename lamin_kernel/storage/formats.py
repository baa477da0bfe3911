"""File formats: writing in-memory objects and loading stored bytes by suffix.

Loaders follow LaminDB's table of suffixes; a suffix without one raises NotImplementedError
("use .cache() to get the path"), a loader whose package is missing raises ImportError
naming the package. Streaming access (`open()`) is in `storage.backed`.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import InvalidArgument, StorageError, UnsupportedObject

SMALL_OBJECT_CELLS = 1_000_000  # DataFrames up to this many cells are serialised in memory

# otype -> (module the class lives in, class name)
OBJECT_TYPES = {
    "DataFrame": ("pandas", "DataFrame"),
    "AnnData": ("anndata", "AnnData"),
    "MuData": ("mudata", "MuData"),
    "SpatialData": ("spatialdata", "SpatialData"),
}
# otype -> suffixes it is stored as, the default first
OBJECT_SUFFIXES = {
    "DataFrame": (".parquet", ".csv", ".tsv"),
    "AnnData": (".h5ad", ".zarr", ".anndata.zarr"),
    "MuData": (".h5mu",),
    "SpatialData": (".zarr", ".spatialdata.zarr"),
}
ANNDATA_FORMATS = ("h5ad", "zarr", "anndata.zarr")


def object_type(obj: Any) -> str | None:
    """The otype of an object we can store, without importing its package."""
    module = type(obj).__module__
    name = type(obj).__name__
    for otype, (package, class_name) in OBJECT_TYPES.items():
        if name == class_name and module.split(".", 1)[0] == package:
            return otype
    return None


def default_suffix(otype: str) -> str:
    return OBJECT_SUFFIXES[otype][0]


def suffix_for_format(otype: str, fmt: str | None) -> str | None:
    """The suffix `format=` asks for (None: not given); LaminDB's error for unknown ones."""
    if fmt is None:
        return None
    name = str(fmt).lstrip(".")
    if otype == "AnnData" and name not in ANNDATA_FORMATS:
        raise InvalidArgument(
            "Error when specifying AnnData storage format, it should be 'h5ad', 'zarr', not "
            f"'{fmt}'. Check 'format' or the suffix of 'key'."
        )
    suffix = f".{name}"
    if suffix not in OBJECT_SUFFIXES[otype]:
        raise InvalidArgument(
            f"a {otype} is stored as {', '.join(OBJECT_SUFFIXES[otype])}, not format '{fmt}'"
        )
    return suffix


def write_object(
    obj: Any, otype: str, path: Path, suffix: str, kwargs: dict[str, Any] | None = None
) -> None:
    """Serialise an object to a local path (a file, or a folder for zarr)."""
    kwargs = dict(kwargs or {})
    with _unserialisable_refused(otype, suffix):
        if otype == "DataFrame":
            if suffix == ".parquet":
                if kwargs:
                    obj.to_parquet(path, **kwargs)
                else:
                    write_parquet(obj, path)
            elif suffix in (".csv", ".tsv"):
                kwargs.setdefault("sep", "," if suffix == ".csv" else "\t")
                # a plain 0..n-1 index is left out: load() then gives the same frame back
                kwargs.setdefault("index", not _has_default_index(obj))
                obj.to_csv(path, **kwargs)
            else:
                raise UnsupportedObject(f"cannot write a DataFrame as '{suffix}'")
        elif otype == "AnnData":
            if suffix == ".h5ad":
                obj.write_h5ad(path, **kwargs)
            elif suffix.endswith(".zarr"):
                obj.write_zarr(path, **kwargs)
            else:
                raise UnsupportedObject(f"cannot write an AnnData as '{suffix}'")
        elif otype == "MuData":
            obj.write(path, **kwargs)
        elif otype == "SpatialData":
            obj.write(path, overwrite=True, **kwargs)


def _has_default_index(df: Any) -> bool:
    index = df.index
    return (
        type(index).__name__ == "RangeIndex"
        and index.name is None
        and index.start == 0
        and index.step == 1
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
    table = _parquet_table(df)
    pq.write_table(table, target, compression="snappy", use_dictionary=_dictionary_columns(table))


DICTIONARY_SAMPLE_ROWS = 1000  # the first rows of a column, looked at for repeated values
DICTIONARY_CHECK_ROWS = 2000  # smaller tables: pyarrow's default (every column), as pandas


def _dictionary_columns(table: Any) -> bool | list[str]:
    """The columns worth dictionary-encoding: categoricals, and columns whose first
    DICTIONARY_SAMPLE_ROWS values repeat (at most half of them distinct). pyarrow's default
    tries every column and gives up only once a dictionary page is full: for a frame of
    100,000 mostly distinct numbers or strings that was half to two thirds of the write, for
    a larger file. A column that looks distinct at first and repeats later is written plain.
    A table under DICTIONARY_CHECK_ROWS rows keeps the default (the check would cost more
    than it saves): pandas' exact bytes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if table.num_rows < DICTIONARY_CHECK_ROWS:
        return True
    chosen = []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_dictionary(field.type):
            chosen.append(field.name)
            continue
        head = column.slice(0, DICTIONARY_SAMPLE_ROWS)
        if isinstance(field.type, pa.ExtensionType):  # pandas' period, interval: their storage
            head = pa.chunked_array([c.storage for c in head.chunks], field.type.storage_type)
        try:
            distinct = pc.count_distinct(head).as_py()
        except pa.ArrowNotImplementedError:  # nested values (lists, structs): written plain
            continue
        if len(head) and distinct * 2 <= len(head):
            chosen.append(field.name)
    return chosen


def small_object_bytes(obj: Any, otype: str, suffix: str) -> memoryview | None:
    """A small DataFrame's parquet bytes in memory (hashed and written once, never read back;
    a view of arrow's buffer, not a copy); None for anything else, which is written to a file
    directly."""
    if otype != "DataFrame" or suffix != ".parquet":
        return None
    rows, columns = obj.shape
    if rows * max(columns, 1) > SMALL_OBJECT_CELLS:  # memory_usage() costs more than the write
        return None
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with _unserialisable_refused(otype, suffix):
        write_parquet(obj, sink)
    return memoryview(sink.getvalue()).cast("B")


def n_observations(obj: Any, otype: str) -> int | None:
    if otype in ("DataFrame", "AnnData"):
        return int(obj.shape[0])
    if otype == "MuData":
        return int(obj.n_obs)
    return None


# -- loading -------------------------------------------------------------------------------
def _in_ipython() -> bool:
    return bool(getattr(builtins, "__IPYTHON__", False))


def _load_table(sep: str) -> Callable[..., Any]:
    def load(path: Path, index_col: Any = None, **kwargs: Any) -> Any:
        import pandas as pd

        if index_col is not None:
            kwargs["index_col"] = index_col
        return pd.read_csv(path, sep=sep, **kwargs)

    return load


def _load_parquet(path: Path, **kwargs: Any) -> Any:
    import pandas as pd

    return pd.read_parquet(path, **kwargs)


def _load_h5ad(path: Path, **kwargs: Any) -> Any:
    import anndata

    if str(path).endswith(".gz"):
        import gzip

        with gzip.open(path, "rb") as fh:
            return anndata.read_h5ad(fh, **kwargs)
    return anndata.read_h5ad(path, **kwargs)


def _load_zarr(path: Path, **kwargs: Any) -> Any:
    """An AnnData store as AnnData; any other zarr store as its zarr group."""
    import zarr

    group = zarr.open(str(path), mode="r")
    if group.attrs.get("encoding-type") == "anndata":
        import anndata

        return anndata.read_zarr(str(path), **kwargs)
    return group


def _load_h5mu(path: Path, **kwargs: Any) -> Any:
    try:
        import mudata
    except ImportError:
        raise ImportError("Please install mudata: pip install mudata") from None
    return mudata.read_h5mu(path, **kwargs)


def _load_fcs(path: Path, **kwargs: Any) -> Any:
    try:
        import readfcs
    except ImportError:
        raise ImportError("Please install readfcs: pip install readfcs") from None
    return readfcs.read(str(path), **kwargs)


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _load_yaml(path: Path) -> Any:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _load_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _shown(kind: str) -> Callable[[Path], Any]:
    """HTML and images: shown in a notebook (returning None), their path elsewhere."""

    def load(path: Path) -> Any:
        if not _in_ipython():
            return path
        from IPython.display import HTML, SVG, Image, display

        if kind == "html":
            display(HTML(data=path.read_text(encoding="utf-8")))
        elif kind == "svg":
            display(SVG(filename=str(path)))
        else:
            display(Image(filename=str(path)))
        return None

    return load


LOADERS: dict[str, Callable[..., Any]] = {
    ".parquet": _load_parquet,
    ".csv": _load_table(","),
    ".csv.gz": _load_table(","),
    ".tsv": _load_table("\t"),
    ".tsv.gz": _load_table("\t"),
    ".h5ad": _load_h5ad,
    ".h5ad.gz": _load_h5ad,
    ".zarr": _load_zarr,
    ".anndata.zarr": _load_zarr,
    ".h5mu": _load_h5mu,
    ".fcs": _load_fcs,
    ".json": _load_json,
    ".vitessce.json": _load_json,
    ".yaml": _load_yaml,
    ".yml": _load_yaml,
    ".html": _shown("html"),
    ".svg": _shown("svg"),
    ".png": _shown("image"),
    ".jpg": _shown("image"),
    ".jpeg": _shown("image"),
    ".gif": _shown("image"),
    ".txt": _load_text,
    ".fasta": _load_text,
    # beyond LaminDB's table: text files a notebook keeps next to its data
    ".md": _load_text,
    ".py": _load_text,
    ".ipynb": _load_json,
}
LOADABLE = tuple(LOADERS)


def load_local(path: Path, suffix: str, **kwargs: Any) -> Any:
    """Load a local file into memory according to its suffix."""
    loader = LOADERS.get(suffix)
    if loader is None:
        raise NotImplementedError(
            f"There is no loader for {suffix or 'suffix-less'} files. Use .cache() to get the path."
        )
    try:
        return loader(path, **kwargs)
    except FileNotFoundError as exc:
        raise StorageError(f"the stored file {path} is missing; run `lamin check`") from exc
    except ImportError:
        raise
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as exc:
        raise StorageError(f"could not load {path.name} as {suffix}: {exc}") from exc
