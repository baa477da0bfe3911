"""Which public ontology a registry uses: its default source, a named one, or a Source record.

Loaded ontologies are kept for the life of the process (parsing is cached on disk anyway).
"""

from __future__ import annotations

import functools
from typing import Any

from ..errors import InvalidArgument
from .public import PublicOntology, import_obo
from .public import public as load_public

ENSEMBL_MOUSE_PREFIX = "ENSMUS"


@functools.lru_cache(maxsize=32)
def _load(
    entity: str, organism: str | None, name: str | None, version: str | None
) -> PublicOntology:
    return load_public(entity, organism=organism, source=name, version=version)


def organism_name(organism: Any) -> str | None:
    """A name for an organism given as a name or an Organism record."""
    if organism is None or isinstance(organism, str):
        return organism
    name = getattr(organism, "name", None)
    if name is None:
        raise InvalidArgument(f"organism must be a name or a bt.Organism record, got {organism!r}")
    return name


def default_organism(model: type, values: Any = ()) -> str | None:
    """human for registries that need an organism, mouse when the values are mouse Ensembl ids."""
    if not model.__lk_organism_required__:
        return None
    sample = next((v for v in values if isinstance(v, str)), "")
    return "mouse" if sample.startswith(ENSEMBL_MOUSE_PREFIX) else "human"


def public_ontology(model: type, organism: Any = None, source: Any = None) -> PublicOntology:
    """The public ontology of a registry: the default source, or a named one or a Source record."""
    entity = model.__name__
    if source is None or isinstance(source, str):
        return _load(entity, organism_name(organism) or default_organism(model), source, None)
    if type(source).__name__ != "Source" or not hasattr(source, "version"):
        raise InvalidArgument(f"source must be a name or a bt.Source record, got {source!r}")
    if (source.url or "").startswith("file://") and source.url.endswith(".obo"):
        path = source.url[len("file://") :]
        return _load_obo(path, entity, source.name, source.version, source.organism)
    return _load(entity, organism_name(organism) or source.organism, source.name, source.version)


@functools.lru_cache(maxsize=8)
def _load_obo(path: str, entity: str, name: str, version: str, organism: str) -> PublicOntology:
    return import_obo(path, entity, name, version, organism)


def public_field(ontology: PublicOntology, model: type, field: str) -> str | None:
    """The public table's column for a registry field (the id field is the index), if any."""
    if field in (model.__lk_id_field__, ontology.id_field):
        return ontology.id_field
    return field if field in ontology.table.columns else None
