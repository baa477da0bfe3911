"""Artifact previews: the first rows of a table, the start of a text, or an image URL.

Only the start of a file is read: a parquet file's first row group batch, `nrows` of a
CSV, 64 KB of text, an h5ad file's obs; never the whole of a big file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from jupyter_server.utils import url_path_join

from .. import models
from ..errors import DoesNotExist
from .files import open_stored
from .jsonable import jsonable
from .records import get_record

TEXT_LIMIT = 64 * 1024
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp"}
TEXT_SUFFIXES = {
    ".txt", ".md", ".json", ".yaml", ".yml", ".py", ".r", ".sh", ".toml", ".ini", ".cfg",
    ".html", ".htm", ".xml", ".log", ".ipynb", ".fasta", ".fa", ".gtf", ".bed", ".sql",
}  # fmt: skip
READ_ERRORS = (OSError, ValueError, KeyError, EOFError, UnicodeError)


def table(columns: list[Any], rows: list[list[Any]]) -> dict[str, Any]:
    return {"kind": "table", "columns": [str(c) for c in columns], "rows": jsonable(rows)}


def nothing(message: str) -> dict[str, Any]:
    return {"kind": "none", "message": message}


def parquet_head(handle: BinaryIO, rows: int) -> dict[str, Any]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(handle)
    names = parquet.schema_arrow.names
    meta = parquet.schema_arrow.pandas_metadata or {}
    index = [c for c in meta.get("index_columns", []) if isinstance(c, str)]
    order = index + [c for c in names if c not in index]
    data: list[dict[str, Any]] = []
    for batch in parquet.iter_batches(batch_size=rows, columns=order):
        data.extend(batch.to_pylist())
        if len(data) >= rows:
            break
    shown = ["index" if c.startswith("__index_level_") else c for c in order]
    return table(shown, [[row[c] for c in order] for row in data[:rows]])


def _csv_head(handle: BinaryIO, rows: int, sep: str) -> dict[str, Any]:
    import pandas as pd

    frame = pd.read_csv(handle, nrows=rows, sep=sep)
    columns = ["index" if str(c) == "Unnamed: 0" else c for c in frame.columns]
    return table(columns, frame.astype(object).values.tolist())


def text_head(handle: BinaryIO, rows: int) -> dict[str, Any]:
    data = handle.read(TEXT_LIMIT + 1)
    if b"\x00" in data[:8192]:
        return nothing("this file holds binary data; download it to look inside")
    text = data[:TEXT_LIMIT].decode("utf-8", errors="replace")
    if len(data) > TEXT_LIMIT:
        text += "\n… (only the first 64 KB are shown)"
    return {"kind": "text", "text": text}


def _frame_table(frame: Any) -> dict[str, Any]:
    frame = frame.reset_index()
    return {
        "columns": [str(c) for c in frame.columns],
        "rows": jsonable(frame.astype(object).values.tolist()),
    }


def h5ad_summary(handle: BinaryIO, rows: int) -> dict[str, Any]:
    """An AnnData's shape, the first rows of obs and var, and its layers and obsm keys
    (X is never read)."""
    import h5py
    from anndata.io import read_elem

    with h5py.File(handle, "r") as file:
        obs, var = read_elem(file["obs"]), read_elem(file["var"])
        layers = sorted(file["layers"].keys()) if "layers" in file else []
        obsm = sorted(file["obsm"].keys()) if "obsm" in file else []
    return {
        "kind": "anndata",
        "shape": [len(obs), len(var)],
        "obs": _frame_table(obs.head(rows)),
        "var": _frame_table(var.head(rows)),
        "layers": layers,
        "obsm": obsm,
    }


READERS: dict[str, Callable[[BinaryIO, int], dict[str, Any]]] = {
    ".parquet": parquet_head,
    ".csv": lambda handle, rows: _csv_head(handle, rows, ","),
    ".tsv": lambda handle, rows: _csv_head(handle, rows, "\t"),
    ".h5ad": h5ad_summary,
    **dict.fromkeys(TEXT_SUFFIXES, text_head),
}


def artifact_preview(artifact_uid: str, rows: int, base_url: str) -> dict[str, Any]:
    """GET artifacts/<uid>/preview."""
    artifact = get_record(models.Artifact, artifact_uid)
    suffix = (artifact.suffix or "").lower()
    if artifact.n_files is not None:
        return nothing(f"artifact {artifact.uid} is a folder of {artifact.n_files} files")
    if suffix in IMAGE_SUFFIXES:
        url = url_path_join(base_url, "lamin/api/artifacts", artifact.uid, "file")
        return {"kind": "image", "url": url}
    reader = READERS.get(suffix)
    if reader is None:
        return nothing(
            f"no preview for {suffix or 'files without a suffix'}; use .load() or .cache()"
        )
    try:
        stored = open_stored(artifact)
    except DoesNotExist as exc:
        return nothing(str(exc))
    try:
        return reader(stored.handle, rows)
    except READ_ERRORS as exc:
        return nothing(f"could not read the {suffix} file: {type(exc).__name__}: {exc}"[:500])
    finally:
        stored.close()
