"""BioRecord: what every bionty registry shares — columns, relations and the methods users call.

The methods are thin: public sources and records from them live in `terms.py`, registry-level
validation in `curate.py`, the hierarchy in `hierarchy.py`.
"""

from typing import TYPE_CHECKING, Any, ClassVar, Self

from sqlalchemy.orm import backref
from sqlmodel import Field, Relationship, SQLModel

from ..models._fields import fk, str_field, text_field, uid_field, updated_at_field
from ..models.base import SQLRecord
from ..records.related import RelatedList
from . import curate, guard, hierarchy, terms
from .links import ARTIFACT_LINKS, ARTIFACT_RELATIONS, PARENT_LINKS

if TYPE_CHECKING:
    import numpy as np

    from .public import InspectResult, PublicOntology


class IdFields(SQLModel):
    """The id and uid of a bionty record (first, so tables and DataFrames start with them)."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str | None = uid_field(14)


class OntologyFields(SQLModel):
    """Columns of the registries whose terms have a name and an ontology id."""

    name: str = Field(index=True, max_length=256)
    ontology_id: str | None = str_field(32, index=True)


class BioFields(SQLModel):
    """Columns of every bionty record besides its own and the tracked ones."""

    abbr: str | None = Field(default=None, max_length=32, unique=True, index=True)
    synonyms: str | None = text_field(index=False)
    description: str | None = text_field()
    source_id: int | None = fk("lkbt_source.id")
    updated_at: Any = updated_at_field()


def parents_relation(registry: str) -> Any:
    """record.parents: the records this one is a kind or part of."""
    return _hierarchy_relation(registry, "children", own="child_id", other="parent_id")


def children_relation(registry: str) -> Any:
    """record.children: the records that name this one as a parent."""
    return _hierarchy_relation(registry, "parents", own="parent_id", other="child_id")


def _hierarchy_relation(registry: str, back_populates: str, own: str, other: str) -> Any:
    """One side of the parent/child link table: this record in `own`, the related in `other`."""
    link = PARENT_LINKS[registry].__name__
    return Relationship(
        back_populates=back_populates,
        link_model=PARENT_LINKS[registry],
        sa_relationship_kwargs={
            "primaryjoin": f"{registry}.id == {link}.{own}",
            "secondaryjoin": f"{registry}.id == {link}.{other}",
            "collection_class": RelatedList,
            "passive_deletes": True,
        },
    )


def artifacts_relation(registry: str) -> Any:
    """record.artifacts, and the reverse artifact.<plural> (artifact.cell_types)."""
    plural = ARTIFACT_RELATIONS[registry]
    return Relationship(
        link_model=ARTIFACT_LINKS[registry],
        sa_relationship_kwargs={
            "collection_class": RelatedList,
            "passive_deletes": True,
            "backref": backref(plural, collection_class=RelatedList, passive_deletes=True),
        },
    )


class BioRecord(SQLRecord):
    """A record of a bionty registry: ontology-coupled, validatable, with a public source."""

    __lk_module__: ClassVar[str] = "bionty"
    __lk_is_label__: ClassVar[bool] = True
    __lk_uid_length__: ClassVar[int] = 14
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("name", "ontology_id", "abbr", "description")
    # the field that identifies a term in the public source (Gene: ensembl_gene_id)
    __lk_id_field__: ClassVar[str] = "ontology_id"
    # registries that need an organism to find their public source (Gene, Protein, ...)
    __lk_organism_required__: ClassVar[bool] = False

    def save(self, *args: Any, **kwargs: Any) -> Self:
        """Save the record; one made from a public source also saves its ancestors and links them."""
        guard.require_module()
        return super().save(*args, **kwargs)

    # -- public sources ------------------------------------------------------------------
    @classmethod
    def public(cls, organism: Any = None, source: Any = None) -> "PublicOntology":
        """The public ontology of this registry (organism: a name or an Organism record)."""
        return terms.public_ontology(cls, organism, source)

    @classmethod
    def from_source(cls, *, organism: Any = None, source: Any = None, **field: Any) -> Self:
        """A record from the public source, e.g. from_source(name="B cell"); unsaved if new.

        A record already in the registry is returned as it is.
        """
        return terms.record_from_source(cls, field, organism, source)

    @classmethod
    def from_values(
        cls,
        values: Any,
        field: Any = None,
        organism: Any = None,
        source: Any = None,
        mute: bool = False,
    ) -> list[Self]:
        """Records for many values: those in the registry, else new ones from the public source."""
        return terms.records_from_values(cls, values, field, organism, source, mute=mute)

    # -- validation against the registry -------------------------------------------------
    @classmethod
    def validate(
        cls, values: Any, field: Any = None, organism: Any = None, mute: bool = False
    ) -> "np.ndarray":
        """A bool array: which values are in the registry's field (default: the name field)."""
        return curate.validate(cls, values, field, organism, mute=mute)

    @classmethod
    def inspect(
        cls, values: Any, field: Any = None, organism: Any = None, mute: bool = False
    ) -> "InspectResult":
        """Which values validate; which others are synonyms, and which are in the public source."""
        return curate.inspect(cls, values, field, organism, mute=mute)

    @classmethod
    def standardize(
        cls,
        values: Any,
        field: Any = None,
        return_field: Any = None,
        case_sensitive: bool = False,
        organism: Any = None,
        public_aware: bool = True,
        mute: bool = False,
    ) -> Any:
        """Map synonyms and case variants to standard values (registry first, then public)."""
        options = curate.StandardizeOptions(return_field, case_sensitive, organism, public_aware)
        return curate.standardize(cls, values, field, options, mute=mute)

    # -- hierarchy ---------------------------------------------------------------------------
    def view_parents(
        self, field: Any = None, distance: int = 5, with_children: bool = False
    ) -> hierarchy.HierarchyView:
        """The ancestors up to `distance` (and optionally the children) as a drawable graph."""
        return hierarchy.view_parents(self, field, distance, with_children)

    def query_parents(self) -> Any:
        """Every ancestor in the registry, as a QuerySet."""
        return hierarchy.query_relatives(self, "parents")

    def query_children(self) -> Any:
        """Every descendant in the registry, as a QuerySet."""
        return hierarchy.query_relatives(self, "children")
