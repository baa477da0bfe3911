"""The `ln.curators` namespace: the curators by data structure, and `ln.curators.core` with
the classes they are built from (LaminDB's layout)."""

from __future__ import annotations

from . import curators_core as core
from .curators import (
    AnnDataCurator,
    DataFrameCurator,
    MuDataCurator,
    SpatialDataCurator,
    TiledbsomaExperimentCurator,
)

__all__ = [
    "AnnDataCurator",
    "DataFrameCurator",
    "MuDataCurator",
    "SpatialDataCurator",
    "TiledbsomaExperimentCurator",
    "core",
]
