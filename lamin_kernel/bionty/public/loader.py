"""Load a source's table: from the parquet cache, or parse it once and cache it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from lamin_kernel.bionty.public import cache, cxg, obo, tables
from lamin_kernel.bionty.public.frames import restore_lists

if TYPE_CHECKING:
    import pandas as pd

    from lamin_kernel.bionty.public.sources import Source

logger = logging.getLogger(__name__)


def parse_source(source: Source) -> pd.DataFrame:
    """Parse a source from its raw file, whatever its kind."""
    if source.kind == "cxg" and source.entity_name == "Protein":
        return cxg.protein_table(source.location, source.organism)
    if source.kind == "cxg":
        return cxg.ontology_table(source.location)
    if source.kind == "obo":
        return obo.read_obo(source.location, source.relations)
    if source.kind == "gencode":
        return tables.gene_table(source.location)
    if source.kind == "organisms":
        return tables.organism_table(source.location)
    raise ValueError(f"unknown source kind {source.kind!r}")


def origin_file(source: Source) -> Path | None:
    """The user file a table comes from, whose changes must invalidate the cache."""
    return Path(source.location) if source.kind == "obo" else None


def load_table(source: Source) -> pd.DataFrame:
    """The full table of a source (deprecated terms included), cached as parquet."""
    path = cache.cache_path(source)
    df = cache.read_cached(path, origin_file(source))
    if df is not None:
        return restore_lists(df)
    df = parse_source(source)
    try:
        cache.write_cached(df, path)
    except OSError as error:  # a read-only cache costs speed next time, not correctness
        logger.warning("could not cache %s at %s: %s", source.name, path, error)
    return df
