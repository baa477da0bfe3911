"""add_source() and import_source(): register sources, and fill a registry from one.

`bt.CellType.add_source("cl", version="2025-02-13")` registers an installed release;
`add_source(bt.Source(...), df=table)` registers any table, stored as an artifact that
`public(source=...)` then reads. `import_source()` saves every term of a source as a
record, with the parent links among them.
"""

from __future__ import annotations

from typing import Any

from .. import log
from ..errors import InvalidArgument, NoPublicSource, OrganismNotSet
from ..models.artifact import Artifact
from ..records import persist
from .hierarchy import find_ids, link_parents
from .links import WITH_PARENTS
from .organisms import require_organism, resolve_organism
from .public import PublicOntology
from .public.sources import cxg_versions, display_version, find_source
from .source import Source
from .sources import entity_of, public_ontology, saved_source
from .terms import RecordFactory


def _organism_for(model: type, organism: Any, source: Any) -> str | None:
    if not require_organism(model):
        return organism
    if organism is None:
        if isinstance(source, Source):
            return source.organism
        raise InvalidArgument("organism must be provided for organism-specific entities.")
    return resolve_organism(model, organism).name


def _from_name(
    model: type, name: str, version: str | None, organism: str | None, df: Any
) -> Source:
    """The registry's row of a named source, else one for its installed release (or for df)."""
    lookup: dict[str, Any] = {"name": name, "entity": entity_of(model)}
    if version:
        lookup["version"] = version
    if organism:
        lookup["organism"] = organism
    rows = Source.filter(branch_id__gte=-1, **lookup).to_list()
    if len(rows) > 1:
        raise InvalidArgument(
            f"multiple existing sources found in the database for {lookup}, please specify "
            "`version`."
        )
    if rows:
        return rows[0]
    try:
        spec = find_source(model.__name__, organism, name, version)
        return Source(**spec.to_dict(), currently_used=False, in_db=False)
    except NoPublicSource as error:
        if df is None:
            installed = ", ".join(cxg_versions_of(model, name)) or "none"
            raise NoPublicSource(
                f"{name} {version or ''} is not installed for {entity_of(model)} (installed "
                f"releases: {installed}); pass df= with the terms to register it anyway"
            ) from error
    if not version:
        raise InvalidArgument("pass version= for a source given by name with df=")
    return Source(entity=entity_of(model), name=name, version=version, organism=organism or "all")


def cxg_versions_of(model: type, name: str) -> list[str]:
    """The installed releases of a named source (for messages)."""
    try:
        spec = find_source(model.__name__, None, name)
    except NoPublicSource:
        return []
    if spec.kind != "cxg":
        return [spec.version]
    return [display_version(v) for v in cxg_versions(spec.location.partition("@")[0])]


def add_source(
    model: type, source: Any, *, df: Any = None, version: str | None = None, organism: Any = None
) -> Source:
    """Register a source for a registry (installed, or any table given as df); returns its row."""
    organism = _organism_for(model, organism, source)
    if isinstance(source, str):
        record = _from_name(model, source, version, organism, df)
    elif isinstance(source, PublicOntology):
        record = Source(**source.source_info, currently_used=False, in_db=False)
    elif isinstance(source, Source):
        record = source
    else:
        raise InvalidArgument(
            f"source must be a name, a bt.Source or a PublicOntology, got {source!r}"
        )
    if record.entity != entity_of(model):
        raise InvalidArgument(f"please pass a source of the same entity: {entity_of(model)}")
    record = saved_source(record)
    if df is not None:
        key = "__".join(
            (f"df_{record.organism}", record.name, record.version, model.__name__)
        ).replace(" ", "-")
        artifact = Artifact.from_dataframe(df, key=f"{key}.parquet", description=repr(record))
        artifact.save()
        record.dataframe_artifact_id = artifact.id
        record.save()
    log.success(
        f"Added source '{record.name}' of version '{record.version}' for organism "
        f"'{record.organism}'."
    )
    return record


def import_source(
    model: type, source: Any, update_records: bool, organism: Any, ignore_conflicts: bool
) -> None:
    """Save every term of a source as a record (or, update_records=True, move the registry's
    records of an older release of the same source to this one). Terms already in the
    registry are skipped, so conflicts never arise whatever ignore_conflicts says."""
    if isinstance(source, str):
        raise TypeError("import_source() expects a `bt.Source` object, not a str.")
    if organism is None and isinstance(source, Source) and require_organism(model):
        organism = source.organism
    organism_record = resolve_organism(model, organism)
    if organism_record is None and require_organism(model):
        raise OrganismNotSet(f"`organism` is required to import {model.__name__} records!")
    ontology = public_ontology(model, organism_record, source)
    factory = RecordFactory(model, ontology, organism_record, source)
    if update_records:
        _update_records(model, ontology, factory)
        return
    table = ontology.table
    present = find_ids(model, list(table.index))
    new = factory.build_frame(table[~table.index.isin(list(present))], pending=False)
    persist.save_records(new)
    if model.__name__ in WITH_PARENTS and "parents" in table.columns:
        ids = find_ids(model, list(table.index))
        edges = {
            (ids[child], ids[parent])
            for child, parents in table["parents"].items()
            for parent in parents
            if child in ids and parent in ids
        }
        link_parents(model, edges)
    row = factory.source
    row.in_db = True
    row.save()
    log.success(f"imported {len(new)} {model.__name__} records from {row.name} {row.version}")


def _update_records(model: type, ontology: PublicOntology, factory: RecordFactory) -> None:
    """Records of other releases of the source, updated to the fields of this release."""
    row = factory.source
    id_field = model.__lk_id_field__
    older = model.filter(source__name=row.name).exclude(source_id=row.id)
    table = ontology.table
    changed = []
    for record in older:
        term = getattr(record, id_field)
        if term not in table.index:
            continue
        fresh = factory.build(table.loc[term].to_dict() | {ontology.id_field: term}, pending=False)
        for key in factory.copy.values():
            setattr(record, key, getattr(fresh, key))
        record.source_id = row.id
        changed.append(record)
    persist.save_records(changed)
    row.currently_used = True
    row.save()
    log.success(f"updated {len(changed)} {model.__name__} records to {row.name} {row.version}")
