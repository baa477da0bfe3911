"""The Source registry decides which public ontology a bionty registry uses, as in LaminDB.

An instance with the bionty module holds one Source row per installed public source (made
by its migration; `sync_public_sources()` adds the ones a newer package brings). For a
registry, the source is the one passed, else the `currently_used` row of its entity (and
organism). A row whose release is no longer installed gives way to the installed release of
the same source, which becomes the currently used one. A row made with
`add_source(..., df=...)` reads its terms from that DataFrame's artifact.

Loaded ontologies are kept for the life of the process (parsing is cached on disk anyway).
"""

from __future__ import annotations

import functools
from typing import Any

from .. import log
from ..errors import IntegrityError, InvalidArgument, NoPublicSource
from ..models.artifact import Artifact
from .public import PublicOntology, import_obo, list_sources
from .public import public as load_public
from .public.sources import NO_SOURCE, find_source, no_source_message
from .source import Source

UNIQUE = ("entity", "organism", "name", "version")


def entity_of(model: type) -> str:
    """'bionty.CellType' for bt.CellType."""
    return f"bionty.{model.__name__}"


def organism_name(organism: Any) -> str | None:
    """A name for an organism given as a name or an Organism record."""
    if organism is None or isinstance(organism, str):
        return organism
    name = getattr(organism, "name", None)
    if name is None:
        raise InvalidArgument(f"organism must be a name or a bt.Organism record, got {organism!r}")
    return name


# -- the rows ----------------------------------------------------------------------------------
def sync_public_sources(update_currently_used: bool = False) -> list[Source]:
    """Add a Source row for every installed public source the registry lacks.

    A new row is currently used when its source (entity, organism, name) has no currently
    used row yet, or when update_currently_used is True. Returns the rows it added.
    """
    added = []
    for info in list_sources():
        lookup = {k: info[k] for k in UNIQUE}
        if Source.filter(branch_id__gte=-1, **lookup).exists():
            continue
        same = Source.filter(**{k: info[k] for k in ("entity", "organism", "name")})
        current = update_currently_used or not same.filter(currently_used=True).exists()
        row = Source(**info, currently_used=current, in_db=False)
        try:
            row.save()
        except IntegrityError:  # another process added it meanwhile
            continue
        added.append(row)
    return added


def _choose(rows: list[Source], organism: str | None, entity: str) -> Source:
    """LaminDB's choice among several rows: the currently used one, preferring organism 'all'."""
    if len(rows) == 1:
        return rows[0]
    current = [r for r in rows if r.currently_used]
    if len(current) == 1:
        return current[0]
    pool = current or rows
    if organism is None:
        if entity == "bionty.Organism":
            vertebrates = [r for r in pool if r.organism == "vertebrates"]
            if vertebrates:
                return vertebrates[0]
        for_all = [r for r in pool if r.organism == "all"]
        if for_all:
            return for_all[0]
    return pool[0]


def source_record(model: type, organism: Any = None) -> Source | None:
    """The Source row a registry uses by default (for an organism), or None if it has none."""
    entity = entity_of(model)
    name = organism_name(organism)
    rows = Source.filter(entity=entity).order_by("id").to_list()
    if not rows and not Source.filter(branch_id__gte=-1).exists():
        sync_public_sources()  # an instance whose rows were never made
        rows = Source.filter(entity=entity).order_by("id").to_list()
    if name is not None:
        matching = [r for r in rows if r.organism in (name, name.lower())]
        rows = matching or [r for r in rows if r.organism == "all"]
    return _choose(rows, name, entity) if rows else None


def saved_source(source: Source) -> Source:
    """A Source passed by a user, saved: the registry's row with its fields, or it, inserted."""
    if source.id is not None:
        return source
    lookup = {k: getattr(source, k) for k in UNIQUE}
    found = Source.filter(branch_id__gte=-1, **lookup).one_or_none()
    if found is not None:
        return found
    return source.save()


# -- the ontology of a row ---------------------------------------------------------------------
@functools.lru_cache(maxsize=32)
def _installed(entity: str, organism: str, name: str, version: str) -> PublicOntology:
    return load_public(entity, organism=organism, source=name, version=version)


@functools.lru_cache(maxsize=8)
def _from_obo(path: str, entity: str, name: str, version: str, organism: str) -> PublicOntology:
    return import_obo(path, entity, name, version, organism)


@functools.lru_cache(maxsize=8)
def _from_artifact(artifact_id: int, entity: str, name: str, version: str, organism: str) -> Any:
    artifact = Artifact.get(id=artifact_id)
    frame = artifact.load()
    return PublicOntology.from_frame(entity, frame, name=name, version=version, organism=organism)


def ontology_of(source: Source) -> PublicOntology:
    """The public ontology a Source row stands for (its DataFrame, OBO file or installed data)."""
    entity = source.entity.rpartition(".")[2]
    key = (entity, source.name, source.version, source.organism)
    if getattr(source, "dataframe_artifact_id", None) is not None:
        return _from_artifact(source.dataframe_artifact_id, *key)
    url = source.url or ""
    if url.startswith("file://") and url.endswith(".obo"):
        return _from_obo(url[len("file://") :], *key)
    try:
        return _installed(entity, source.organism, source.name, source.version)
    except NoPublicSource:
        if source.id is None or not source.currently_used:
            raise
        return _installed_instead(source)


def _installed_instead(source: Source) -> PublicOntology:
    """The installed release of a currently used source whose own release is gone."""
    entity = source.entity.rpartition(".")[2]
    spec = find_source(entity, source.organism, source.name)  # NoPublicSource if none
    info = spec.to_dict()
    lookup = {k: info[k] for k in UNIQUE}
    row = Source.filter(branch_id__gte=-1, **lookup).one_or_none()
    if row is None:
        row = Source(**info, in_db=False, currently_used=True)
    row.currently_used = True
    row.save()
    log.info(
        f"{source.name} {source.version} is not installed; using the installed release "
        f"{row.version}, now the currently used {source.entity} source"
    )
    return _installed(entity, spec.organism, spec.name, spec.version)


def public_ontology(model: type, organism: Any = None, source: Any = None) -> PublicOntology:
    """The public ontology of a registry: the source passed, else the one its rows name."""
    if source is not None:
        if not isinstance(source, Source):
            raise InvalidArgument(f"source must be a bt.Source record, got {source!r}")
        return ontology_of(source)
    row = source_record(model, organism)
    if row is None:
        raise NoPublicSource(_no_row_message(model, organism))
    return ontology_of(row)


def _no_row_message(model: type, organism: Any) -> str:
    name = model.__name__
    if name in NO_SOURCE:
        return (
            no_source_message(name) + f" Or register a table with bt.{name}.add_source(..., df=)."
        )
    which = f" and organism {organism_name(organism)!r}" if organism is not None else ""
    return (
        f"no bt.Source record for {entity_of(model)}{which}; add one with "
        f"bt.{name}.add_source(...) (bt.core.sync_public_sources() adds the installed ones)"
    )


def public_or_none(model: type, organism: Any = None, source: Any = None) -> PublicOntology | None:
    """public_ontology(), or None where there is no public source."""
    try:
        return public_ontology(model, organism, source)
    except NoPublicSource:
        return None
