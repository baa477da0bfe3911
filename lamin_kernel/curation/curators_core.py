"""`ln.curators.core`: what the curators are built from, under LaminDB's names.

`Curator` validates a dataset against a schema slot by slot (`curator.slots`), each slot by a
`ComponentCurator`; `DataFrameCatManager` (`curator.cat`) manages the categorical values of a
slot (`add_new_from`, `standardize`, `lookup`), and `CatLookup` is its `lookup()`.
"""

from __future__ import annotations

from .cat_lookup import CatLookup
from .curators import (
    AnnDataCurator,
    CatManager,
    ComponentCurator,
    Curator,
    DataFrameCurator,
    MuDataCurator,
    SpatialDataCurator,
    TiledbsomaExperimentCurator,
)

DataFrameCatManager = CatManager

__all__ = [
    "AnnDataCurator",
    "CatLookup",
    "ComponentCurator",
    "Curator",
    "DataFrameCatManager",
    "DataFrameCurator",
    "MuDataCurator",
    "SpatialDataCurator",
    "TiledbsomaExperimentCurator",
]
