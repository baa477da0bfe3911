"""`artifact.open()`: streaming access without loading everything, by suffix.

Tables (parquet, csv, ...; a folder of them) open as a pyarrow dataset, h5ad as AnnData in
backed mode, zarr stores as a `ZarrAccessor` (its group in `.storage`; for an AnnData store
also obs, var and `add_column`). Only a zarr store opens for writing (`mode="r+"`), as in
LaminDB.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .paths import filesystem

TABLE_SUFFIXES = (".parquet", ".csv", ".tsv", ".json", ".ndjson", ".ipc", ".arrow", ".feather")
H5_SUFFIXES = tuple(s + gz for s in (".h5", ".hdf5", ".h5ad") for gz in ("", ".gz", ".tar.gz"))
ZARR_SUFFIXES = (".zarr", ".anndata.zarr")
OPENABLE = ("", *ZARR_SUFFIXES, ".tiledbsoma", *H5_SUFFIXES, *TABLE_SUFFIXES)
ENGINES = ("pyarrow", "polars")


def check_openable(suffix: str, mode: str) -> None:
    """LaminDB's rules: which suffixes open, and only zarr stores for writing."""
    if suffix not in OPENABLE:
        raise ValueError(
            "Artifact should have a zarr, h5, tiledbsoma object or a compatible "
            "`pyarrow.dataset.dataset` directory as the underlying data, please use one of the "
            f"following suffixes for the object name: {', '.join(OPENABLE[1:])}. Or no suffix "
            f"for a folder with {', '.join(TABLE_SUFFIXES)} files (no mixing allowed)."
        )
    if mode != "r" and not (suffix in ZARR_SUFFIXES and mode == "r+"):
        raise ValueError(
            f"It is not allowed to open a {suffix} object with `mode='{mode}'`. You can open "
            "all supported formats with `mode='r'`, AnnData or other zarr stores with "
            "`mode='r+'`."
        )


def open_location(
    location: str,
    suffix: str,
    mode: str = "r",
    engine: str = "pyarrow",
    on_close: Callable[[], None] | None = None,
    **kwargs: Any,
) -> Any:
    """A streaming handle on a local path or URL (checked with check_openable first)."""
    if engine not in ENGINES:
        raise ValueError(f"Unknown engine: {engine}. It should be one of {', '.join(ENGINES)}.")
    if suffix in ZARR_SUFFIXES:
        return ZarrAccessor(location, mode, on_close)
    if suffix in H5_SUFFIXES:
        import anndata

        return anndata.read_h5ad(location, backed="r", **kwargs)
    if engine == "polars":
        try:
            import polars  # noqa: F401
        except ImportError:
            raise ImportError("Please install polars: pip install polars") from None
        raise NotImplementedError("opening with engine='polars' is not available here")
    import pyarrow.dataset as ds

    fs, inner = filesystem(location)
    table_format = {".tsv": "csv", ".ndjson": "json", ".arrow": "ipc", ".feather": "ipc"}
    fmt = table_format.get(suffix, suffix.lstrip(".") or _folder_format(fs, inner))
    if suffix == ".tsv":
        import pyarrow.csv as pacsv

        fmt = ds.CsvFileFormat(parse_options=pacsv.ParseOptions(delimiter="\t"))
    return ds.dataset(inner, filesystem=fs, format=fmt, **kwargs)


def _folder_format(fs: Any, inner: str) -> str:
    """The one table format of the files in a folder (no mixing), parquet by default."""
    suffixes = {
        name.rsplit(".", 1)[-1]
        for name in fs.find(inner)
        if "." in name.rsplit("/", 1)[-1] and not name.rsplit("/", 1)[-1].startswith(".")
    }
    suffixes &= {s.lstrip(".") for s in TABLE_SUFFIXES}
    if len(suffixes) > 1:
        raise ValueError(f"the folder mixes table formats: {sorted(suffixes)}")
    return suffixes.pop() if suffixes else "parquet"


class ZarrAccessor:
    """A zarr store opened in place: `.storage` is its root group; for an AnnData store,
    `obs`, `var`, `shape` and `add_column(...)` (writable with mode="r+"); `to_memory()`."""

    def __init__(self, location: str, mode: str, on_close: Callable[[], None] | None) -> None:
        import zarr

        self.mode = mode
        # written in place: consolidated metadata is read past and rebuilt on close
        self.storage = zarr.open(
            location, mode=mode, use_consolidated=False if mode != "r" else None
        )
        self._location = location
        self._on_close = on_close
        self.closed = False

    @property
    def is_anndata(self) -> bool:
        return self.storage.attrs.get("encoding-type") == "anndata"

    def _elem(self, name: str) -> Any:
        from anndata.io import read_elem

        return read_elem(self.storage[name])

    @property
    def obs(self) -> Any:
        return self._elem("obs")

    @property
    def var(self) -> Any:
        return self._elem("var")

    @property
    def obs_names(self) -> Any:
        return self.obs.index

    @property
    def var_names(self) -> Any:
        return self.var.index

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.obs_names), len(self.var_names))

    def add_column(self, where: str, col_name: str, col: Any) -> None:
        """Add a column to obs or var of an AnnData store opened with mode="r+"."""
        from anndata.io import write_elem

        if self.mode == "r":
            raise ValueError("You can only add columns to a store opened with mode='r+'.")
        if where not in ("obs", "var"):
            raise ValueError(f"add_column takes 'obs' or 'var', not {where!r}")
        frame = self._elem(where)
        frame[col_name] = col
        write_elem(self.storage, where, frame)

    def to_memory(self) -> Any:
        """The whole store in memory: an AnnData for an AnnData store."""
        import anndata

        return anndata.read_zarr(self._location) if self.is_anndata else self.storage

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.mode == "r":
            return
        import zarr

        zarr.consolidate_metadata(self._location)
        if self._on_close is not None:
            self._on_close()

    def __enter__(self) -> ZarrAccessor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        kind = "AnnData zarr store" if self.is_anndata else "zarr store"
        return f"ZarrAccessor({kind} at {self._location}, mode='{self.mode}')"
