"""Link tables of the bionty registries: parents (self links), artifact links, schema–gene links.

The link tables carry no behaviour, so they are made by two small factories rather than
written out thirty times. Every name follows one rule, so code can find a link by registry:

    CellTypeParent     lkbt_celltype_parent     child_id, parent_id
    ArtifactCellType   lkbt_artifact_celltype   artifact_id, celltype_id, feature_id
    RecordCellType     lkbt_record_celltype     record_id, celltype_id, feature_id
    SchemaGene         lkbt_schema_gene         schema_id, gene_id

Artifact and record links hold the values of categorical features, and are registered
with `curation.value_links` as such.
"""

from __future__ import annotations

import types
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from ..curation.value_links import ValueLink, register_link
from ..models._fields import created_at_field, fk
from ..models.base import LinkQueries

# registry -> the plural its artifacts use (artifact.cell_types), in the tutorial's order
ARTIFACT_RELATIONS = {
    "Organism": "organisms",
    "Gene": "genes",
    "Protein": "proteins",
    "CellMarker": "cell_markers",
    "Tissue": "tissues",
    "CellType": "cell_types",
    "Disease": "diseases",
    "CellLine": "cell_lines",
    "Phenotype": "phenotypes",
    "Pathway": "pathways",
    "ExperimentalFactor": "experimental_factors",
    "DevelopmentalStage": "developmental_stages",
    "Ethnicity": "ethnicities",
}
# registries whose records form a hierarchy (record.parents, record.children)
WITH_PARENTS = (
    "Organism",
    "Tissue",
    "CellType",
    "Disease",
    "CellLine",
    "Phenotype",
    "Pathway",
    "ExperimentalFactor",
    "DevelopmentalStage",
    "Ethnicity",
)


def table_name(registry: str) -> str:
    """lkbt_celltype for CellType."""
    return f"lkbt_{registry.lower()}"


def record_column(registry: str) -> str:
    """The column of a link table that points at the registry: celltype_id for CellType."""
    return f"{registry.lower()}_id"


def _table_class(name: str, namespace: dict[str, Any], annotations: dict[str, Any]) -> type:
    namespace = {"__annotations__": annotations, "__module__": __name__, **namespace}
    return types.new_class(
        name, (LinkQueries, SQLModel), {"table": True}, lambda ns: ns.update(namespace)
    )


def _parent_link(registry: str) -> type:
    target = f"{table_name(registry)}.id"
    return _table_class(
        f"{registry}Parent",
        {
            "__tablename__": f"{table_name(registry)}_parent",
            "__table_args__": (UniqueConstraint("child_id", "parent_id"),),
            "id": Field(default=None, primary_key=True),
            "child_id": fk(target, nullable=False, ondelete="CASCADE"),
            "parent_id": fk(target, nullable=False, ondelete="CASCADE"),
        },
        {"id": int | None, "child_id": int, "parent_id": int},
    )


def _value_link(owner: str, registry: str) -> type:
    """`lkbt_<owner>_<registry>` (owner_id, <registry>_id, feature_id): feature values."""
    column = record_column(registry)
    owner_column = f"{owner.lower()}_id"
    cls = _table_class(
        f"{owner}{registry}",
        {
            "__tablename__": f"lkbt_{owner.lower()}_{registry.lower()}",
            "__table_args__": (UniqueConstraint(owner_column, column, "feature_id"),),
            "id": Field(default=None, primary_key=True),
            owner_column: fk(f"lk_{owner.lower()}.id", nullable=False, ondelete="CASCADE"),
            column: fk(f"{table_name(registry)}.id", nullable=False, ondelete="CASCADE"),
            "feature_id": fk("lk_feature.id", ondelete="CASCADE"),
            "created_at": created_at_field(),
            "created_by_id": fk("lk_user.id", index=False),
            "run_id": fk("lk_run.id", index=False),
        },
        {
            "id": int | None,
            owner_column: int,
            column: int,
            "feature_id": int | None,
            "created_at": Any,
            "created_by_id": int | None,
            "run_id": int | None,
        },
    )
    register_link(
        ValueLink(owner, f"bionty.{registry}", cls.__table__, owner_column, column, model=cls)
    )
    return cls


def _artifact_link(registry: str) -> type:
    return _value_link("Artifact", registry)


PARENT_LINKS: dict[str, type] = {name: _parent_link(name) for name in WITH_PARENTS}
ARTIFACT_LINKS: dict[str, type] = {name: _artifact_link(name) for name in ARTIFACT_RELATIONS}
RECORD_LINKS: dict[str, type] = {name: _value_link("Record", name) for name in ARTIFACT_RELATIONS}


class SchemaGene(LinkQueries, SQLModel, table=True):
    """A gene that is a member of a schema (Schema(itype=bt.Gene.ensembl_gene_id))."""

    __tablename__ = "lkbt_schema_gene"
    __table_args__ = (UniqueConstraint("schema_id", "gene_id"),)
    id: int | None = Field(default=None, primary_key=True)
    schema_id: int = fk("lk_schema.id", nullable=False, ondelete="CASCADE")
    gene_id: int = fk("lkbt_gene.id", nullable=False, ondelete="CASCADE")
