"""How the bionty registries adapt registry-level validation (lamin_kernel.records.can_curate).

The records a call considers are those of one organism (Gene, Protein, CellMarker), and
with `strict_source=True` those of one Source; the public ontology behind them is the
source passed or the registry's currently used Source. The matching itself is generic.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument, OrganismNotSet
from ..query.queryset import QuerySet
from ..records.can_curate import CurationScope, flat_values, name_field
from ..records.from_values import PublicRecords
from .organisms import require_organism, resolve_organism
from .source import Source
from .sources import public_or_none


def checked_source(source: Any) -> Source | None:
    """A source argument: None or a bt.Source record."""
    if source is None or isinstance(source, Source):
        return source
    raise InvalidArgument(f"source must be a bt.Source record, got {source!r}")


def curation_scope(
    model: type,
    values: Any,
    field: Any,
    organism: Any,
    source: Any,
    strict_source: bool,
    base: QuerySet | None = None,
) -> CurationScope:
    """The registry's records (of `base`) for one organism (and source), and its public
    ontology."""
    source = checked_source(source)
    field_name = name_field(model, field)
    values = [] if values is None else flat_values(values)
    organism_record = resolve_organism(model, organism, field_name, values)
    qs = base if base is not None else QuerySet(model)
    if organism_record is not None and "organism_id" in model.model_fields:
        qs = qs.filter(organism_id=organism_record.id)
    if strict_source and source is not None:
        qs = qs.filter(source_id=source.id) if source.id is not None else qs.filter(id__in=[])
    return CurationScope(qs, lambda: public_or_none(model, organism_record, source))


def public_records(
    model: type, organism: Any, source: Any, mute: bool, factory_for: Any
) -> PublicRecords:
    """from_values()'s way to make records for values the registry lacks: from the public
    ontology of the source (or the registry's currently used one)."""
    source = checked_source(source)

    def create(values: list[Any], field: str) -> tuple[list[Any], list[Any]]:
        organism_record = resolve_organism(model, organism, field, values)
        if organism_record is None and require_organism(model, field):
            raise OrganismNotSet(
                f"`organism` is required to create new {model.__name__} records from source!"
            )
        ontology = public_or_none(model, organism_record, source)
        if ontology is None:
            return [], values
        return factory_for(ontology, organism_record, source).from_values(values, field, mute)

    return create
