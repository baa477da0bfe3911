"""Ontology registries: terms with a name, an ontology id and parents.

CellType (CL), CellLine (Cellosaurus), Tissue (UBERON), Disease (MONDO), Phenotype (HPO, PATO),
Pathway (user-curated), ExperimentalFactor (EFO), DevelopmentalStage (HsapDv, MmusDv) and
Ethnicity (HANCESTRO).
"""

from typing import TYPE_CHECKING, Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Relationship

from ..models.base import TrackedFields
from .base import BioFields, BioRecord, IdFields, OntologyFields, artifacts_relation
from .base import children_relation as children_of
from .base import parents_relation as parents_of
from .source import Source

if TYPE_CHECKING:
    from ..models.artifact import Artifact


class CellType(BioFields, OntologyFields, IdFields, TrackedFields, BioRecord, table=True):
    """Cell types — Cell Ontology: `bt.CellType.from_source(name="effector T cell")`."""

    __tablename__ = "lkbt_celltype"
    __table_args__ = (UniqueConstraint("name", "ontology_id"),)

    source: Optional["Source"] = Relationship()
    parents: list["CellType"] = parents_of("CellType")
    children: list["CellType"] = children_of("CellType")
    artifacts: list["Artifact"] = artifacts_relation("CellType")


class CellLine(BioFields, OntologyFields, IdFields, TrackedFields, BioRecord, table=True):
    """Cell lines — Cellosaurus: `bt.CellLine.from_source(name="HEK293")`."""

    __tablename__ = "lkbt_cellline"
    __table_args__ = (UniqueConstraint("name", "ontology_id"),)

    source: Optional["Source"] = Relationship()
    parents: list["CellLine"] = parents_of("CellLine")
    children: list["CellLine"] = children_of("CellLine")
    artifacts: list["Artifact"] = artifacts_relation("CellLine")


class Tissue(BioFields, OntologyFields, IdFields, TrackedFields, BioRecord, table=True):
    """Tissues — Uberon: `bt.Tissue.from_source(name="lung")`."""

    __tablename__ = "lkbt_tissue"
    __table_args__ = (UniqueConstraint("name", "ontology_id"),)

    source: Optional["Source"] = Relationship()
    parents: list["Tissue"] = parents_of("Tissue")
    children: list["Tissue"] = children_of("Tissue")
    artifacts: list["Artifact"] = artifacts_relation("Tissue")


class Disease(BioFields, OntologyFields, IdFields, TrackedFields, BioRecord, table=True):
    """Diseases — Mondo: `bt.Disease.from_source(name="asthma")`."""

    __tablename__ = "lkbt_disease"
    __table_args__ = (UniqueConstraint("name", "ontology_id"),)

    source: Optional["Source"] = Relationship()
    parents: list["Disease"] = parents_of("Disease")
    children: list["Disease"] = children_of("Disease")
    artifacts: list["Artifact"] = artifacts_relation("Disease")


class Phenotype(BioFields, OntologyFields, IdFields, TrackedFields, BioRecord, table=True):
    """Phenotypes — HPO (human) or PATO: `bt.Phenotype.from_source(ontology_id="HP:0001250")`."""

    __tablename__ = "lkbt_phenotype"
    __table_args__ = (UniqueConstraint("name", "ontology_id"),)

    source: Optional["Source"] = Relationship()
    parents: list["Phenotype"] = parents_of("Phenotype")
    children: list["Phenotype"] = children_of("Phenotype")
    artifacts: list["Artifact"] = artifacts_relation("Phenotype")


class Pathway(BioFields, OntologyFields, IdFields, TrackedFields, BioRecord, table=True):
    """Pathways — a user-curated registry (GO is not installed offline), or import_obo()."""

    __tablename__ = "lkbt_pathway"
    __table_args__ = (UniqueConstraint("name", "ontology_id"),)

    source: Optional["Source"] = Relationship()
    parents: list["Pathway"] = parents_of("Pathway")
    children: list["Pathway"] = children_of("Pathway")
    artifacts: list["Artifact"] = artifacts_relation("Pathway")


class ExperimentalFactor(BioFields, OntologyFields, IdFields, TrackedFields, BioRecord, table=True):
    """Experimental factors — EFO: `bt.ExperimentalFactor.from_source(ontology_id="EFO:0008913")`."""

    __tablename__ = "lkbt_experimentalfactor"
    __table_args__ = (UniqueConstraint("name", "ontology_id"),)

    source: Optional["Source"] = Relationship()
    parents: list["ExperimentalFactor"] = parents_of("ExperimentalFactor")
    children: list["ExperimentalFactor"] = children_of("ExperimentalFactor")
    artifacts: list["Artifact"] = artifacts_relation("ExperimentalFactor")


class DevelopmentalStage(BioFields, OntologyFields, IdFields, TrackedFields, BioRecord, table=True):
    """Developmental stages — HsapDv (human), MmusDv (mouse)."""

    __tablename__ = "lkbt_developmentalstage"
    __table_args__ = (UniqueConstraint("name", "ontology_id"),)

    source: Optional["Source"] = Relationship()
    parents: list["DevelopmentalStage"] = parents_of("DevelopmentalStage")
    children: list["DevelopmentalStage"] = children_of("DevelopmentalStage")
    artifacts: list["Artifact"] = artifacts_relation("DevelopmentalStage")


class Ethnicity(BioFields, OntologyFields, IdFields, TrackedFields, BioRecord, table=True):
    """Ethnicities — Human Ancestry Ontology (HANCESTRO)."""

    __tablename__ = "lkbt_ethnicity"
    __table_args__ = (UniqueConstraint("name", "ontology_id"),)

    source: Optional["Source"] = Relationship()
    parents: list["Ethnicity"] = parents_of("Ethnicity")
    children: list["Ethnicity"] = children_of("Ethnicity")
    artifacts: list["Artifact"] = artifacts_relation("Ethnicity")
