"""Bytes: paths through fsspec, hashing, atomic transfers, the cache and file formats."""
