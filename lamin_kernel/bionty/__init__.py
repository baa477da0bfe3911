"""Biological registries backed by offline public ontologies: `import lamin_kernel.bionty as bt`.

    bt.CellType.public()                         the public ontology (search, validate, ...)
    bt.CellType.from_source(name="B cell")       a record from it (unsaved if new)
    record.save()                                saves it with its ancestors, linked as parents
    bt.Gene.from_values(ids, bt.Gene.ensembl_gene_id)   many records at once
    bt.CellType.validate / inspect / standardize values against the registry (and its source)
    bt.Source.filter(entity="bionty.CellType")   the sources; currently_used is the one in use
    bt.settings.organism = "mouse"               the default organism (Gene, Protein, ...)
    record.parents.add(other), record.children, record.view_parents(distance=2)
    artifact.cell_types.add(record)              and ln.Artifact.filter(cell_types=record)

Importing this module defines the registries and adds their relations to Artifact
(artifact.cell_types, .genes, ...) and Schema (schema.genes). Their tables exist in instances
set up with `lamin init --storage ... --modules bionty`; elsewhere queries say how to add them.
"""

from sqlalchemy.orm import configure_mappers

from ..errors import OrganismNotSet
from . import core, guard, models
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
from .organisms import settings
from .public import NoPublicSource, PublicOntology, TermNotFound, import_obo, list_sources
from .registry import REGISTRIES, artifact_link, registry_by_name
from .source import Source

configure_mappers()  # artifact.cell_types and schema.genes exist from here on
guard.install()

__all__ = [
    "CellLine",
    "CellMarker",
    "CellType",
    "DevelopmentalStage",
    "Disease",
    "Ethnicity",
    "ExperimentalFactor",
    "Gene",
    "NoPublicSource",
    "Organism",
    "OrganismNotSet",
    "Pathway",
    "Phenotype",
    "Protein",
    "PublicOntology",
    "REGISTRIES",
    "Source",
    "Tissue",
    "TermNotFound",
    "artifact_link",
    "core",
    "models",
    "import_obo",
    "list_sources",
    "registry_by_name",
    "settings",
]
