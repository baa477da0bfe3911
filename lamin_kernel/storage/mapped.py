"""A map-style dataset over AnnData files (h5ad, zarr) that reads rows lazily, for data loaders.

`MappedCollection(paths, obs_keys=..., join=...)` concatenates the members virtually: item
`i` is the i-th row over all members, returned as `{"X": row, <obs_key>: code, "_store_idx":
member}`. Nothing but the row pointers (`indptr`) and the encoded labels is held in memory;
rows are read on demand. `__getitems__` reads a whole batch at once (what torch's DataLoader
calls when it exists): per member, the sorted rows of the batch in one pass.

Sparse CSR rows of uncompressed HDF5 datasets are read with `os.pread` at byte offsets taken
from the file's chunk index, which avoids HDF5's per-selection overhead; compressed datasets
and zarr stores go through h5py hyperslab selections and zarr coordinate selections.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import reduce
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InvalidArgument, StorageError

JOINS = ("inner", "outer", None)
READ_THREADS = 8  # concurrent reads keep the disk busy when rows are not in the page cache
PARALLEL_FROM = 64  # ranges per read from which threads pay off
_pools: dict[int, ThreadPoolExecutor] = {}
MISSING = -1  # code of a missing label (NaN, or an obs key a member does not have)


def _read_elem(elem: Any) -> Any:
    try:
        from anndata.io import read_elem
    except ImportError:  # anndata < 0.11
        from anndata.experimental import read_elem
    return read_elem(elem)


# -- reading ranges of a 1-D array ---------------------------------------------------------
class _PreadRanges:
    """Ranges of an uncompressed HDF5 dataset, read straight from the file by byte offset."""

    def __init__(self, path: str, dataset: Any, chunk_len: int | None, offsets: list[int]) -> None:
        self.path = path
        self.dtype = dataset.dtype
        self.itemsize = dataset.dtype.itemsize
        self.chunk_len, self.offsets = chunk_len, offsets
        self._fd: int | None = None
        self._pid = -1

    @classmethod
    def create(cls, path: str, dataset: Any) -> _PreadRanges | None:
        """A reader for an uncompressed, fully written 1-D dataset; None for any other."""
        try:
            if dataset.id.get_create_plist().get_nfilters() != 0 or dataset.ndim != 1:
                return None
            if dataset.chunks is None:
                offset = dataset.id.get_offset()
                return None if offset is None else cls(path, dataset, None, [int(offset)])
            offsets = _chunk_offsets(dataset)
            if len(offsets) * dataset.chunks[0] < dataset.shape[0]:
                return None
            return cls(path, dataset, dataset.chunks[0], offsets)
        except Exception:  # virtual, external or unallocated storage: h5py reads it
            return None

    def _file(self) -> int:
        if self._fd is None or self._pid != os.getpid():
            self._fd, self._pid = os.open(self.path, os.O_RDONLY), os.getpid()
        return self._fd

    def read(self, starts: np.ndarray, lengths: np.ndarray, total: int) -> np.ndarray:
        """The ranges concatenated; many ranges are read by several threads at once."""
        out = np.empty(total, self.dtype)
        buffer = memoryview(out.view(np.uint8))
        fd = self._file()
        if len(starts) < PARALLEL_FROM:
            self._read_into(fd, buffer, 0, starts, lengths)
            return out
        parts = np.array_split(np.arange(len(starts)), READ_THREADS)
        ends = np.cumsum(lengths) * self.itemsize
        jobs = [
            _pool().submit(
                self._read_into,
                fd,
                buffer,
                int(ends[part[0]] - lengths[part[0]] * self.itemsize),
                starts[part],
                lengths[part],
            )
            for part in parts
            if len(part)
        ]
        for job in jobs:
            job.result()
        return out

    def _read_into(
        self, fd: int, buffer: memoryview, position: int, starts: np.ndarray, lengths: np.ndarray
    ) -> None:
        size, chunk_len, offsets = self.itemsize, self.chunk_len, self.offsets
        for start, length in zip(starts.tolist(), lengths.tolist(), strict=True):
            while length:
                if chunk_len is None:
                    chunk, within, take = 0, start, length
                else:
                    chunk, within = divmod(start, chunk_len)
                    take = min(length, chunk_len - within)
                end = position + take * size
                if _pread_into(fd, buffer[position:end], offsets[chunk] + within * size) != (
                    end - position
                ):
                    raise StorageError(f"{self.path} ended early; the file is truncated")
                position, start, length = end, start + take, length - take

    def close(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_fd": None, "_pid": -1}


def _pread_into(fd: int, target: memoryview, offset: int) -> int:
    """Read len(target) bytes at offset into target; the number of bytes read."""
    if hasattr(os, "preadv"):
        return os.preadv(fd, [target], offset)
    data = os.pread(fd, len(target), offset)  # platforms without preadv
    target[: len(data)] = data
    return len(data)


def _pool() -> ThreadPoolExecutor:
    """This process's reader threads (a forked worker makes its own)."""
    pool = _pools.get(os.getpid())
    if pool is None:
        pool = _pools[os.getpid()] = ThreadPoolExecutor(READ_THREADS, "lk-mapped-read")
    return pool


def _chunk_offsets(dataset: Any) -> list[int]:
    """File offsets of a 1-D chunked dataset's chunks, in order."""
    found: dict[int, int] = {}
    if hasattr(dataset.id, "chunk_iter"):
        dataset.id.chunk_iter(
            lambda info: found.__setitem__(info.chunk_offset[0], info.byte_offset)
        )
    else:
        for i in range(dataset.id.get_num_chunks()):
            info = dataset.id.get_chunk_info(i)
            found[info.chunk_offset[0]] = info.byte_offset
    step = dataset.chunks[0]
    return [int(found[i * step]) for i in range(len(found))]


def _hyperslab_read(dataset: Any, starts: np.ndarray, lengths: np.ndarray, total: int) -> Any:
    """Ranges of an h5py dataset in one read: the union of one hyperslab per range."""
    from h5py import h5s

    out = np.empty(total, dataset.dtype)
    if total == 0:
        return out
    space = dataset.id.get_space()
    space.select_none()
    for start, length in zip(starts.tolist(), lengths.tolist(), strict=True):
        if length:
            space.select_hyperslab((start,), (length,), op=h5s.SELECT_OR)
    dataset.id.read(h5s.create_simple((total,)), space, out)
    return out


def _flat_index(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions covered by the ranges, concatenated (a vectorised arange per range)."""
    total = int(lengths.sum())
    shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return np.arange(total, dtype=np.int64) + shift


# -- one member file -----------------------------------------------------------------------
class _Member:
    """One AnnData file: its shape, var names, labels, and a reader for rows of a matrix."""

    def __init__(self, path: str, layer: str) -> None:
        self.path = str(path)
        self.kind = "zarr" if Path(self.path).is_dir() else "h5ad"
        self.layer = layer
        self._handle: Any = None
        self._pid = -1
        self._pread: tuple[_PreadRanges, _PreadRanges] | None = None
        store = self.store()
        matrix = self._matrix(store)
        encoding = _attr(matrix, "encoding-type")
        if encoding == "csc_matrix":
            raise InvalidArgument(
                f"{layer} in {self.path} is a CSC matrix; mapped() reads rows, so store it as "
                "CSR (adata.X = adata.X.tocsr()) or dense"
            )
        self.sparse = encoding == "csr_matrix"
        if self.sparse:
            self.shape = tuple(int(s) for s in _attr(matrix, "shape"))
            self.indptr = np.asarray(matrix["indptr"][:], dtype=np.int64)
            self.dtype = np.dtype(matrix["data"].dtype)
            if self.kind == "h5ad":
                readers = [_PreadRanges.create(self.path, matrix[k]) for k in ("data", "indices")]
                if readers[0] is not None and readers[1] is not None:
                    self._pread = (readers[0], readers[1])
        else:
            self.shape = tuple(int(s) for s in matrix.shape)
            self.indptr = np.empty(0, dtype=np.int64)
            self.dtype = np.dtype(matrix.dtype)
        self.n_obs, self.n_vars = self.shape
        self.var_names = self._var_names(store)
        self.obs_keys = set(store["obs"].keys()) if "obs" in store else set()

    def store(self) -> Any:
        """The open file (h5py.File or zarr group), opened anew in each worker process."""
        if self._handle is None or self._pid != os.getpid():
            try:
                if self.kind == "h5ad":
                    import h5py

                    self._handle = h5py.File(self.path, "r")
                else:
                    import zarr

                    self._handle = zarr.open_group(self.path, mode="r")
            except (OSError, ValueError) as exc:
                raise StorageError(f"cannot open {self.path} as AnnData: {exc}") from exc
            self._pid = os.getpid()
        return self._handle

    def _matrix(self, store: Any) -> Any:
        if self.layer == "X":
            key = "X"
        elif self.layer == "raw.X":
            key = "raw/X"
        else:
            key = f"layers/{self.layer}"
        try:
            return store[key]
        except KeyError:
            raise InvalidArgument(f"{self.path} has no '{self.layer}' matrix") from None

    def _var_names(self, store: Any) -> Any:
        import pandas as pd

        var = store["raw/var" if self.layer == "raw.X" else "var"]
        index_key = _attr(var, "_index") or "_index"
        names = pd.Index([str(name) for name in _read_elem(var[index_key])])
        if len(names) != self.n_vars:
            raise StorageError(f"{self.path}: var has {len(names)} names for {self.n_vars} columns")
        return names

    def labels(self, key: str) -> Any:
        """A column of obs as a pandas Categorical (None when this member lacks it)."""
        import pandas as pd

        if key not in self.obs_keys:
            return None
        values = _read_elem(self.store()["obs"][key])
        return values if isinstance(values, pd.Categorical) else pd.Categorical(values)

    def read_rows(self, rows: np.ndarray, columns: Any, n_vars: int, dtype: Any) -> np.ndarray:
        """Dense rows (sorted, unique local indices) with columns mapped to the joint var."""
        out = np.zeros((len(rows), n_vars), dtype=dtype)
        if len(rows) == 0:
            return out
        if not self.sparse:
            block = self._dense_rows(rows)
            if columns is None:
                out[:] = block
            else:
                keep = columns >= 0
                out[:, columns[keep]] = block[:, keep]
            return out
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        data, indices = self._ranges(starts, lengths, int(lengths.sum()))
        row_ids = np.repeat(np.arange(len(rows)), lengths)
        if columns is not None:
            indices = columns[indices]
            keep = indices >= 0
            row_ids, indices, data = row_ids[keep], indices[keep], data[keep]
        out[row_ids, indices] = data
        return out

    def _ranges(self, starts: np.ndarray, lengths: np.ndarray, total: int) -> tuple[Any, Any]:
        if self._pread is not None:
            return (
                self._pread[0].read(starts, lengths, total),
                self._pread[1].read(starts, lengths, total),
            )
        matrix = self._matrix(self.store())
        if self.kind == "h5ad":
            return (
                _hyperslab_read(matrix["data"], starts, lengths, total),
                _hyperslab_read(matrix["indices"], starts, lengths, total),
            )
        flat = _flat_index(starts, lengths)
        if total == 0:
            return np.empty(0, self.dtype), np.empty(0, np.int64)
        return (
            matrix["data"].get_coordinate_selection(flat),
            matrix["indices"].get_coordinate_selection(flat),
        )

    def _dense_rows(self, rows: np.ndarray) -> np.ndarray:
        matrix = self._matrix(self.store())
        if self.kind == "h5ad":
            return np.asarray(matrix[rows.tolist()])
        return np.asarray(matrix.get_orthogonal_selection((rows, slice(None))))

    def close(self) -> None:
        if self._pread is not None:
            for reader in self._pread:
                reader.close()
        if self._handle is not None and self._pid == os.getpid() and self.kind == "h5ad":
            self._handle.close()
        self._handle = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_handle": None, "_pid": -1}


def _attr(node: Any, name: str) -> Any:
    value = node.attrs.get(name)
    return value.decode() if isinstance(value, bytes) else value


# -- the dataset ---------------------------------------------------------------------------
class MappedCollection:
    """Rows of several AnnData files as one map-style dataset (torch's `Dataset` protocol).

    Args:
        paths: local .h5ad files or .zarr folders, in order.
        obs_keys: obs columns returned with each row, encoded as integers (`encoders`);
            a member without such a column, and missing values, give the code -1.
        join: how members with different var are aligned: "inner" (shared variables),
            "outer" (all variables, zeros where a member lacks one), or None (var must match).
        layer: "X" (default), a key of `.layers`, or "raw.X".
        dtype: dtype of the returned rows (default: the stored one).
    """

    def __init__(
        self,
        paths: Sequence[str | os.PathLike],
        obs_keys: str | Sequence[str] | None = None,
        join: str | None = "inner",
        layer: str | None = None,
        dtype: Any = None,
    ) -> None:
        if join not in JOINS:
            raise InvalidArgument(f"join must be 'inner', 'outer' or None, got {join!r}")
        if not paths:
            raise InvalidArgument("mapped() needs at least one AnnData file")
        self.paths = [str(p) for p in paths]
        self.obs_keys = [obs_keys] if isinstance(obs_keys, str) else list(obs_keys or [])
        self.join = join
        self.members = [_Member(p, layer or "X") for p in self.paths]
        self.n_obs_list = [m.n_obs for m in self.members]
        self._offsets = np.concatenate([[0], np.cumsum(self.n_obs_list)]).astype(np.int64)
        self._offset_list = self._offsets.tolist()
        self.n_obs = int(self._offsets[-1])
        self.var_joint, self._columns = self._join_vars()
        self.n_vars = len(self.var_joint)
        self.dtype = np.dtype(dtype) if dtype is not None else self._stored_dtype()
        self.encoders: dict[str, dict[Any, int]] = {}
        self._codes: dict[str, np.ndarray] = {}
        for key in self.obs_keys:
            self._encode(key)
        self.storage_idx_of = np.repeat(np.arange(len(self.members)), self.n_obs_list)

    # -- set-up ----------------------------------------------------------------------------
    def _stored_dtype(self) -> np.dtype:
        return np.result_type(*[m.dtype for m in self.members])

    def _join_vars(self) -> tuple[Any, list[np.ndarray | None]]:
        names = [m.var_names for m in self.members]
        first = names[0]
        if all(first.equals(other) for other in names[1:]):
            return first, [None] * len(names)
        if self.join is None:
            raise InvalidArgument(
                "the members have different var; pass join='inner' (shared variables) or "
                "join='outer' (all variables)"
            )
        for member, index in zip(self.members, names, strict=True):
            if not index.is_unique:
                raise InvalidArgument(f"{member.path} has duplicate var names; make them unique")
        if self.join == "inner":
            joint = reduce(lambda a, b: a.intersection(b, sort=False), names)
            if len(joint) == 0:
                raise InvalidArgument("the members share no variables; use join='outer'")
        else:
            joint = reduce(lambda a, b: a.union(b, sort=False), names)
        return joint, [np.asarray(joint.get_indexer(index), dtype=np.int64) for index in names]

    def _encode(self, key: str) -> None:
        import pandas as pd

        per_member = [m.labels(key) for m in self.members]
        if all(labels is None for labels in per_member):
            raise InvalidArgument(
                f"obs key '{key}' is in none of the members; their obs columns: "
                f"{sorted(set().union(*[m.obs_keys for m in self.members]) - {'_index'})}"
            )
        categories = _sorted_labels(
            {c for labels in per_member if labels is not None for c in labels.categories}
        )
        encoder = {label: code for code, label in enumerate(categories)}
        index = pd.Index(categories)
        codes = np.full(self.n_obs, MISSING, dtype=np.int64)
        for m, labels in enumerate(per_member):
            if labels is None:
                continue
            lookup = np.append(index.get_indexer(labels.categories), MISSING)
            codes[self._offsets[m] : self._offsets[m + 1]] = lookup[labels.codes]
        self.encoders[key] = encoder
        self._codes[key] = codes

    # -- the dataset protocol --------------------------------------------------------------
    def __len__(self) -> int:
        return self.n_obs

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n_obs, self.n_vars)

    @property
    def original_shapes(self) -> list[tuple[int, int]]:
        return [m.shape for m in self.members]  # type: ignore[misc]

    def __getitem__(self, idx: int) -> dict[str, Any]:
        i = int(idx) + (self.n_obs if idx < 0 else 0)
        if not 0 <= i < self.n_obs:
            raise IndexError(f"index {idx} out of range for a dataset of {self.n_obs} rows")
        m = bisect_right(self._offset_list, i) - 1
        rows = np.array([i - self._offset_list[m]], dtype=np.int64)
        x = self.members[m].read_rows(rows, self._columns[m], self.n_vars, self.dtype)[0]
        return {"X": x, **{k: int(v[i]) for k, v in self._codes.items()}, "_store_idx": m}

    def __getitems__(self, indices: Sequence[int]) -> list[dict[str, Any]]:
        """A batch of rows, read member by member in sorted order (DataLoader calls this)."""
        idx = self._check_indices(indices)
        batch = np.empty((len(idx), self.n_vars), dtype=self.dtype)
        member_of = np.searchsorted(self._offsets, idx, side="right") - 1
        for m in np.unique(member_of).tolist():
            where = np.flatnonzero(member_of == m)
            rows, inverse = np.unique(idx[where] - self._offsets[m], return_inverse=True)
            block = self.members[m].read_rows(rows, self._columns[m], self.n_vars, self.dtype)
            batch[where] = block[inverse]
        labels = {key: self._codes[key][idx].tolist() for key in self.obs_keys}
        stores = member_of.tolist()
        return [
            {"X": batch[i], **{k: v[i] for k, v in labels.items()}, "_store_idx": stores[i]}
            for i in range(len(idx))
        ]

    def _check_indices(self, indices: Sequence[int]) -> np.ndarray:
        idx = np.asarray(indices, dtype=np.int64).reshape(-1)
        idx = np.where(idx < 0, idx + self.n_obs, idx)
        if idx.size and (idx.min() < 0 or idx.max() >= self.n_obs):
            raise IndexError(f"index out of range for a dataset of {self.n_obs} rows")
        return idx

    # -- labels ----------------------------------------------------------------------------
    def get_label_weights(self, obs_keys: str | Sequence[str], scaler: float | None = None) -> Any:
        """A weight per row, inversely proportional to how often its label (combination) occurs.

        Pass them to torch's WeightedRandomSampler to draw labels evenly. With `scaler`,
        weights are `scaler / (count + scaler)`, which flattens less for rare labels.
        """
        keys = [obs_keys] if isinstance(obs_keys, str) else list(obs_keys)
        for key in keys:
            if key not in self._codes:
                raise InvalidArgument(f"'{key}' is not one of obs_keys {self.obs_keys}")
        combined = np.zeros(self.n_obs, dtype=np.int64)
        for key in keys:
            combined = combined * (len(self.encoders[key]) + 1) + (self._codes[key] + 1)
        _, inverse, counts = np.unique(combined, return_inverse=True, return_counts=True)
        per_row = counts[inverse].astype(np.float64)
        return scaler / (per_row + scaler) if scaler is not None else 1.0 / per_row

    def get_merged_categories(self, key: str) -> list[Any]:
        """The labels of an obs key over all members, in code order."""
        return list(self.encoders[key])

    def get_merged_labels(self, key: str) -> np.ndarray:
        """The decoded label of every row (None where missing)."""
        categories = np.array([*self.get_merged_categories(key), None], dtype=object)
        return categories[self._codes[key]]

    # -- lifetime --------------------------------------------------------------------------
    def close(self) -> None:
        for member in self.members:
            member.close()

    def __enter__(self) -> MappedCollection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"MappedCollection({self.n_obs} rows × {self.n_vars} vars from "
            f"{len(self.members)} files, obs_keys={self.obs_keys}, join={self.join!r})"
        )


def _sorted_labels(labels: set[Any]) -> list[Any]:
    try:
        return sorted(labels)
    except TypeError:  # mixed types
        return sorted(labels, key=lambda x: (type(x).__name__, str(x)))
