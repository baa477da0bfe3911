"""Find bionty registries by name, for dtypes such as `cat[bionty.CellType]`."""

from __future__ import annotations

from ..errors import InvalidArgument
from .links import ARTIFACT_LINKS, record_column
from .molecular import CellMarker, Gene, Organism, Protein
from .ontologies import (
    CellLine,
    CellType,
    DevelopmentalStage,
    Disease,
    Ethnicity,
    ExperimentalFactor,
    Pathway,
    Phenotype,
    Tissue,
)
from .source import Source

REGISTRIES: dict[str, type] = {
    model.__name__: model
    for model in (
        Organism,
        Gene,
        Protein,
        CellMarker,
        Tissue,
        CellType,
        Disease,
        CellLine,
        Phenotype,
        Pathway,
        ExperimentalFactor,
        DevelopmentalStage,
        Ethnicity,
        Source,
    )
}
PREFIXES = ("bionty.", "bt.")


def registry_by_name(name: str) -> type:
    """The registry class for "CellType" or "bionty.CellType" (as in `cat[bionty.CellType]`)."""
    short = name
    for prefix in PREFIXES:
        short = short.removeprefix(prefix)
    if short not in REGISTRIES:
        known = ", ".join(f"bionty.{n}" for n in REGISTRIES)
        raise InvalidArgument(f"no bionty registry named {name!r}; known: {known}")
    return REGISTRIES[short]


def artifact_link(registry: str | type) -> tuple[type, str]:
    """The artifact link table of a registry and its column for the record (celltype_id).

    Curators write feature annotations as rows (artifact_id, <column>, feature_id) of it.
    """
    name = registry if isinstance(registry, str) else registry.__name__
    name = registry_by_name(name).__name__
    if name not in ARTIFACT_LINKS:
        raise InvalidArgument(f"bionty.{name} records are not linked to artifacts")
    return ARTIFACT_LINKS[name], record_column(name)
