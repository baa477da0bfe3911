"""Artifact previews: a page of a table's rows, the start of a text, or an image URL.

A big file is never read whole: a parquet page reads only the row groups that hold its
rows (found from the row-group metadata, which also gives the total), a CSV page skips
the lines before it and stops after it, a text shows its first 64 KB, an h5ad file its obs.
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


def table_page(
    columns: list[Any], rows: list[list[Any]], offset: int, total: int | None, more: bool
) -> dict[str, Any]:
    """One page of a table: its rows from `offset`, the total row count when the file's
    metadata says it (None for CSV), and whether rows follow."""
    return {**table(columns, rows), "offset": offset, "total": total, "more": more}


def covering_row_groups(metadata: Any, offset: int, rows: int) -> tuple[list[int], int]:
    """The row groups holding rows [offset, offset + rows) of a parquet file, and how many
    rows of the first of them come before `offset` (from the row-group metadata alone)."""
    groups: list[int] = []
    skip, start = 0, 0
    for index in range(metadata.num_row_groups):
        end = start + metadata.row_group(index).num_rows
        if end > offset and start < offset + rows:
            if not groups:
                skip = offset - start
            groups.append(index)
        start = end
    return groups, skip


def parquet_page(handle: BinaryIO, offset: int, rows: int) -> dict[str, Any]:
    """Rows [offset, offset + rows) of a parquet file: only the row groups that hold them are read."""
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(handle)
    names = parquet.schema_arrow.names
    meta = parquet.schema_arrow.pandas_metadata or {}
    index = [c for c in meta.get("index_columns", []) if isinstance(c, str)]
    order = index + [c for c in names if c not in index]
    total = parquet.metadata.num_rows
    groups, skip = covering_row_groups(parquet.metadata, offset, rows)
    data: list[dict[str, Any]] = []
    batches = parquet.iter_batches(batch_size=4096, row_groups=groups, columns=order)
    for batch in batches if groups else ():
        if skip >= batch.num_rows:
            skip -= batch.num_rows
            continue
        data.extend(batch.slice(skip, rows - len(data)).to_pylist())
        skip = 0
        if len(data) >= rows:
            break
    shown = ["index" if c.startswith("__index_level_") else c for c in order]
    values = [[row[c] for c in order] for row in data]
    return table_page(shown, values, offset, total, offset + len(values) < total)


def _csv_page(handle: BinaryIO, offset: int, rows: int, sep: str) -> dict[str, Any]:
    """Rows [offset, offset + rows) of a CSV: the lines before are skipped, not kept, and
    one row more is read to know whether rows follow; the total is unknown."""
    import pandas as pd

    frame = pd.read_csv(handle, sep=sep, skiprows=lambda line: 0 < line <= offset, nrows=rows + 1)
    columns = ["index" if str(c) == "Unnamed: 0" else c for c in frame.columns]
    values = frame.head(rows).astype(object).values.tolist()
    return table_page(columns, values, offset, None, len(frame) > rows)


def text_head(handle: BinaryIO, offset: int, rows: int) -> dict[str, Any]:
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


def h5ad_summary(handle: BinaryIO, offset: int, rows: int) -> dict[str, Any]:
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


READERS: dict[str, Callable[[BinaryIO, int, int], dict[str, Any]]] = {
    ".parquet": parquet_page,
    ".csv": lambda handle, offset, rows: _csv_page(handle, offset, rows, ","),
    ".tsv": lambda handle, offset, rows: _csv_page(handle, offset, rows, "\t"),
    ".h5ad": h5ad_summary,
    **dict.fromkeys(TEXT_SUFFIXES, text_head),
}


def artifact_preview(artifact_uid: str, offset: int, rows: int, base_url: str) -> dict[str, Any]:
    """GET artifacts/<uid>/preview: `rows` rows of a table from `offset`; the others ignore it."""
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
        return reader(stored.handle, offset, rows)
    except READ_ERRORS as exc:
        return nothing(f"could not read the {suffix} file: {type(exc).__name__}: {exc}"[:500])
    finally:
        stored.close()
