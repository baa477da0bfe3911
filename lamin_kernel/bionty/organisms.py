"""Organisms of the registries that need one (Gene, Protein, CellMarker), and `bt.settings`.

As in LaminDB: an organism is given as a name or an Organism record; if none is given the
process-wide default `bt.settings.organism` applies; Ensembl gene ids name their organism
by their prefix (ENSG human, ENSMUSG mouse, ...). Where one is needed and none is known,
OrganismNotSet says so.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import DoesNotExist, InvalidArgument, OrganismNotSet, TermNotFound

# Ensembl gene id prefix -> organism name of the shipped organism table
ENSEMBL_PREFIXES = {
    "ENSG": "human",
    "ENSMUSG": "mouse",
    "ENSRNOG": "rat",
    "ENSDARG": "zebrafish",
    "ENSGALG": "chicken",
    "ENSSSCG": "pig",
    "ENSBTAG": "cattle",
    "ENSMMUG": "rhesus monkey",
    "ENSCAFG": "dog",
    "ENSOCUG": "rabbit",
    "ENSXETG": "tropical clawed frog",
}
_PREFIX = re.compile(r"^[A-Za-z]+")


class Settings:
    """`bt.settings`: the default organism of this process (None until set)."""

    def __init__(self) -> None:
        self._organism: Any = None

    @property
    def organism(self) -> Any:
        """The default Organism record, used where an organism is needed and not passed."""
        if isinstance(self._organism, str):
            self._organism = saved_organism(self._organism)
        return self._organism

    @organism.setter
    def organism(self, value: Any) -> None:
        if value is None or isinstance(value, str):
            self._organism = value
            if value is not None:
                self._organism = saved_organism(value)
            return
        if type(value).__name__ != "Organism":
            raise InvalidArgument(f"organism must be a name or a bt.Organism record, got {value!r}")
        self._organism = value

    def __repr__(self) -> str:
        name = getattr(self._organism, "name", self._organism)
        return f"bionty settings: organism={name!r}"


settings = Settings()


def saved_organism(name: str) -> Any:
    """The Organism record of a name (or scientific name), saved from the public source if new."""
    from .molecular import Organism  # molecular imports this module (through base)

    found = Organism.filter(name=name).one_or_none()
    if found is None:
        found = Organism.filter(scientific_name=name).one_or_none()
    if found is not None:
        return found
    try:
        record = Organism.from_source(name=name, mute=True)
    except (DoesNotExist, TermNotFound):
        try:
            record = Organism.from_source(scientific_name=name, mute=True)
        except (DoesNotExist, TermNotFound):
            raise OrganismNotSet(
                f"Organism {name} can't be created from the source, check your spelling or "
                "create it manually."
            ) from None
    if isinstance(record, list):
        record = record[0]
    if record.id is None:
        record.save()
    return record


def organism_from_ensembl_id(value: str) -> Any | None:
    """The Organism an Ensembl gene id belongs to, from its prefix (None if unknown)."""
    match = _PREFIX.match(value)
    name = ENSEMBL_PREFIXES.get(match.group(0)) if match else None
    return saved_organism(name) if name else None


def field_is_unique(model: type, field: str | None) -> bool:
    if field is None:
        return False
    column = model.__table__.columns.get(field)
    return bool(column is not None and column.unique)


def require_organism(model: type, field: str | None = None) -> bool:
    """Whether records of the registry need an organism (for a field: unless it is unique)."""
    return bool(model.__lk_organism_required__) and not field_is_unique(model, field)


def resolve_organism(
    model: type, organism: Any, field: str | None = None, values: Any = ()
) -> Any | None:
    """The Organism record a call works with, or None where the registry needs none.

    Order: the one passed, the organism of Ensembl gene ids, `bt.settings.organism`.
    """
    if not model.__lk_organism_required__:
        return None
    if organism is not None:
        if isinstance(organism, str):
            return saved_organism(organism)
        if type(organism).__name__ != "Organism":
            raise InvalidArgument(
                f"organism must be a name or a bt.Organism record, got {organism!r}"
            )
        if organism.id is None:
            organism.save()
        return organism
    if model.__name__ == "Gene" and field == "ensembl_gene_id":
        sample = next((v for v in values if isinstance(v, str) and v.startswith("ENS")), None)
        if sample is not None:
            return organism_from_ensembl_id(sample)
    return settings.organism
