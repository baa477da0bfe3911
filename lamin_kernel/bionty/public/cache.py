"""The parquet cache of parsed ontology tables under $LAMIN_CACHE_DIR/ontologies.

A table is parsed once per release and read back from parquet afterwards. Each
file records the table format it was written with; a file of another format, or
one older than the source file it came from, is rebuilt.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from lamin_kernel.bionty.public.sources import Source

TABLE_FORMAT = b"2"  # 2: gene tables ordered by ensembl_gene_id
FORMAT_KEY = b"lamin_kernel.ontology_table"


def cache_dir() -> Path:
    """$LAMIN_CACHE_DIR/ontologies (default ~/.cache/lamin_kernel/ontologies)."""
    root = os.environ.get("LAMIN_CACHE_DIR") or Path.home() / ".cache" / "lamin_kernel"
    return Path(root) / "ontologies"


def cache_path(source: Source) -> Path:
    """<entity>__<organism>__<source>__<version>.parquet for a source."""
    parts = (source.entity_name, source.organism, source.name, source.version)
    safe = [re.sub(r"[^\w.\-]+", "-", part) for part in parts]
    return cache_dir() / ("__".join(safe) + ".parquet")


def read_cached(path: Path, origin: Path | None = None) -> pd.DataFrame | None:
    """The cached table, or None if it is missing, of another format or older than origin."""
    if not path.exists():
        return None
    if origin is not None and origin.exists() and origin.stat().st_mtime > path.stat().st_mtime:
        return None
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, ValueError):
        return None  # a damaged file is rebuilt, not fatal
    if (table.schema.metadata or {}).get(FORMAT_KEY) != TABLE_FORMAT:
        return None
    return table.to_pandas()


def write_cached(df: pd.DataFrame, path: Path) -> None:
    """Write a table atomically: to a temporary name beside it, then rename into place."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df)
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), FORMAT_KEY: TABLE_FORMAT}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a cache is not a secret
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
