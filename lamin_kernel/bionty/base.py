"""BioRecord: what every bionty registry shares — columns, relations and the methods users call.

The methods are thin: validation is CanCurate's (lamin_kernel.records.can_curate) scoped by
`curate.py`; public sources and records from them live in `sources.py`, `source_admin.py` and
`terms.py`, organisms in `organisms.py`, the hierarchy in `hierarchy.py`.
"""

from typing import TYPE_CHECKING, Any, ClassVar, Self

from sqlalchemy.orm import backref
from sqlmodel import Field, Relationship, SQLModel

from ..errors import OrganismNotSet
from ..models._fields import fk, str_field, text_field, uid_field, updated_at_field
from ..models.base import SQLRecord
from ..models.can_curate import CanCurate, HasAbbr, HasSynonyms
from ..models.has_type import HasParents
from ..records.can_curate import CurationScope
from ..records.related import linked
from . import curate, guard, organisms, source_admin, sources, terms
from .links import ARTIFACT_LINKS, ARTIFACT_RELATIONS, PARENT_LINKS
from .organisms import settings

if TYPE_CHECKING:
    from .public import PublicOntology
    from .source import Source


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
            **linked(),
            "passive_deletes": True,
        },
    )


def artifacts_relation(registry: str) -> Any:
    """record.artifacts, and the reverse artifact.<plural> (artifact.cell_types)."""
    plural = ARTIFACT_RELATIONS[registry]
    return Relationship(
        link_model=ARTIFACT_LINKS[registry],
        sa_relationship_kwargs={
            **linked(),
            "passive_deletes": True,
            "backref": backref(plural, **linked(passive_deletes=True)),
        },
    )


class BioRecord(CanCurate, HasSynonyms, HasAbbr, HasParents, SQLRecord):
    """A record of a bionty registry: ontology-coupled, validatable, with a public source."""

    __lk_module__: ClassVar[str] = "bionty"
    __lk_is_label__: ClassVar[bool] = True
    __lk_uid_length__: ClassVar[int] = 14
    __lk_search_fields__: ClassVar[tuple[str, ...]] = ("name", "ontology_id", "abbr", "description")
    # the field that identifies a term in the public source (Gene: ensembl_gene_id)
    __lk_id_field__: ClassVar[str] = "ontology_id"
    # registries whose records belong to an organism (Gene, Protein, CellMarker)
    __lk_organism_required__: ClassVar[bool] = False

    def __init__(self, **kwargs: Any) -> None:
        organism = kwargs.get("organism")
        if self.__lk_organism_required__ and organism is None and kwargs.get("organism_id") is None:
            if settings.organism is None:
                raise OrganismNotSet(
                    f"`organism` is required to create new {type(self).__name__} records!"
                )
            kwargs["organism"] = settings.organism
        elif organism is not None and type(organism).__name__ != "Organism":
            raise TypeError("organism must be a `bionty.Organism` record.")
        super().__init__(**kwargs)

    def save(self, *args: Any, **kwargs: Any) -> Self:
        """Save the record; one made from a public source also saves its ancestors and links them."""
        guard.require_module()
        return super().save(*args, **kwargs)

    @classmethod
    def require_organism(cls, field: Any = None) -> bool:
        """Whether records need an organism (for a field: unless the field is unique)."""
        name = None if field is None else curate.name_field(cls, field)
        return organisms.require_organism(cls, name)

    # -- public sources ------------------------------------------------------------------
    @classmethod
    def public(cls, organism: Any = None, source: Any = None) -> "PublicOntology":
        """The public ontology of this registry: the source passed, else the currently used
        Source of the registry (for an organism: a name or an Organism record)."""
        return sources.public_ontology(cls, organism, source)

    @classmethod
    def from_source(cls, string: str | None = None, *, mute: bool = False, **kwargs: Any) -> Any:
        """A record from the public source for one field value, e.g. from_source(name="B cell");
        unsaved if new, the registry's own if it has it, a list if several terms match.

        `from_source("B-cell")` also accepts synonyms; organism= and source= choose the source.
        """
        guard.require_module()
        return terms.records_from_source(cls, string, kwargs, mute)

    @classmethod
    def add_source(
        cls, source: Any, *, df: Any = None, version: str | None = None, organism: str | None = None
    ) -> "Source":
        """Register a source for this registry: an installed release, or any table (df=)."""
        return source_admin.add_source(cls, source, df=df, version=version, organism=organism)

    @classmethod
    def import_source(
        cls,
        source: Any = None,
        update_records: bool = False,
        *,
        organism: Any = None,
        ignore_conflicts: bool = True,
    ) -> None:
        """Save every term of a source (default: the currently used one) as a record."""
        source_admin.import_source(cls, source, update_records, organism, ignore_conflicts)

    # -- validation: CanCurate's methods, scoped to an organism and backed by the source -------
    @classmethod
    def _curation_scope(
        cls,
        values: Any,
        field: Any,
        organism: Any,
        source: Any,
        strict_source: bool,
        base: Any = None,
    ) -> CurationScope:
        return curate.curation_scope(cls, values, field, organism, source, strict_source, base)

    @classmethod
    def _public_records(cls, scope: CurationScope, organism: Any, source: Any, mute: bool) -> Any:
        guard.require_module()
        return curate.public_records(cls, organism, source, mute, terms.factory_for(cls))

    @classmethod
    def _new_for_value(cls, kwargs: dict[str, Any], organism: Any) -> Any:
        if cls.__lk_organism_required__:
            kwargs["organism"] = organisms.resolve_organism(cls, organism)
        return cls(**kwargs)
