"""Organisms and molecules: Organism, Gene, Protein, CellMarker."""

from typing import TYPE_CHECKING, ClassVar, Optional

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import backref
from sqlmodel import Field, Relationship

from ..models._fields import bigint_field, fk, str_field, text_field
from ..models.base import TrackedFields
from ..models.features import Schema
from ..records.related import linked
from .base import BioFields, BioRecord, IdFields, OntologyFields, artifacts_relation
from .base import children_relation as children_of
from .base import parents_relation as parents_of
from .links import SchemaGene
from .source import Source

if TYPE_CHECKING:
    from ..models.artifact import Artifact


class Organism(BioFields, OntologyFields, IdFields, TrackedFields, BioRecord, table=True):
    """Organisms — NCBI Taxonomy: `bt.Organism.from_source(name="human")`."""

    __tablename__ = "lkbt_organism"
    __table_args__ = (UniqueConstraint("name", "ontology_id"),)
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("name", "scientific_name", "ontology_id")

    scientific_name: str | None = Field(default=None, unique=True, index=True, max_length=128)

    source: Optional["Source"] = Relationship()
    parents: list["Organism"] = parents_of("Organism")
    children: list["Organism"] = children_of("Organism")
    artifacts: list["Artifact"] = artifacts_relation("Organism")


class Gene(BioFields, IdFields, TrackedFields, BioRecord, table=True):
    """Genes — GENCODE/Ensembl: `bt.Gene.from_source(ensembl_gene_id="ENSG00000153563")`."""

    __tablename__ = "lkbt_gene"
    __lk_name_field__: ClassVar[str | None] = "symbol"
    __lk_id_field__: ClassVar[str] = "ensembl_gene_id"
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("symbol", "ensembl_gene_id", "description")
    __lk_organism_required__: ClassVar[bool] = True

    symbol: str | None = str_field(64, index=True)
    stable_id: str | None = Field(default=None, unique=True, index=True, max_length=64)
    ensembl_gene_id: str | None = Field(default=None, unique=True, index=True, max_length=64)
    ncbi_gene_ids: str | None = text_field()
    biotype: str | None = str_field(64, index=True)
    organism_id: int | None = fk("lkbt_organism.id")

    source: Optional["Source"] = Relationship()
    organism: Optional["Organism"] = Relationship()
    artifacts: list["Artifact"] = artifacts_relation("Gene")
    schemas: list["Schema"] = Relationship(
        link_model=SchemaGene,
        sa_relationship_kwargs={
            **linked(),
            "passive_deletes": True,
            "backref": backref("genes", **linked(passive_deletes=True)),
        },
    )


class Protein(BioFields, IdFields, TrackedFields, BioRecord, table=True):
    """Proteins — UniProt Swiss-Prot: `bt.Protein.from_source(uniprotkb_id="P01732")`."""

    __tablename__ = "lkbt_protein"
    __lk_id_field__: ClassVar[str] = "uniprotkb_id"
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("name", "uniprotkb_id", "gene_symbol")
    __lk_organism_required__: ClassVar[bool] = True

    name: str | None = str_field(256, index=True)
    uniprotkb_id: str | None = Field(default=None, unique=True, index=True, max_length=16)
    length: int | None = bigint_field()
    gene_symbol: str | None = str_field(64, index=True)
    ensembl_gene_ids: str | None = text_field()
    organism_id: int | None = fk("lkbt_organism.id")

    source: Optional["Source"] = Relationship()
    organism: Optional["Organism"] = Relationship()
    artifacts: list["Artifact"] = artifacts_relation("Protein")


class CellMarker(BioFields, IdFields, TrackedFields, BioRecord, table=True):
    """Cell markers — a user-curated registry (there is no offline public source)."""

    __tablename__ = "lkbt_cellmarker"
    __table_args__ = (UniqueConstraint("name", "organism_id"),)
    __lk_id_field__: ClassVar[str] = "name"
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("name", "gene_symbol", "description")

    name: str = Field(index=True, max_length=64)
    gene_symbol: str | None = str_field(64, index=True)
    ncbi_gene_id: str | None = str_field(32, index=True)
    uniprotkb_id: str | None = str_field(16, index=True)
    organism_id: int | None = fk("lkbt_organism.id")

    source: Optional["Source"] = Relationship()
    organism: Optional["Organism"] = Relationship()
    artifacts: list["Artifact"] = artifacts_relation("CellMarker")
