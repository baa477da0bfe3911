"""Records from public sources: from_source(), from_values(), the Source rows they point to.

A registry's public ontology is loaded once per process (then kept). New records carry their
source's id, their organism (Gene, Protein) and, for hierarchies, a pending step that saves
their ancestors and links them when the record is saved (`hierarchy.PendingAncestors`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect

from .. import log
from ..errors import IntegrityError, InvalidArgument
from ..records.pending import set_pending
from ..records.registry import registry_class
from ..setup.session import connection
from . import curate, guard
from .hierarchy import PendingAncestors
from .links import WITH_PARENTS
from .public import NoPublicSource, PublicOntology, TermNotFound, default_source
from .public_sources import default_organism, public_field, public_ontology

if TYPE_CHECKING:
    import pandas as pd

# public columns that are not record fields, and record fields a public row never sets
NOT_COPIED = {"id", "uid", "parents", "deprecated", "source_id", "organism_id", "score"}


# -- Source rows ------------------------------------------------------------------------------
_source_ids: dict[tuple, int] = {}


def source_id(ontology: PublicOntology) -> int:
    """The id of the Source row for a loaded ontology, made on first use."""
    info = ontology.source_info
    key = (
        connection().settings.uid,
        info["entity"],
        info["organism"],
        info["name"],
        info["version"],
    )
    if key in _source_ids:
        return _source_ids[key]
    source_model = registry_class("Source")
    lookup = {k: info[k] for k in ("entity", "organism", "name", "version")}
    found = source_model.filter(branch_id__gte=-1, **lookup).first()
    if found is None:
        found = source_model(**info, currently_used=_is_default(info), in_db=False)
        try:
            found.save()
        except IntegrityError:  # another process made it meanwhile
            found = source_model.filter(branch_id__gte=-1, **lookup).one()
    _source_ids[key] = found.id
    return found.id


def _is_default(info: dict[str, str]) -> bool:
    try:
        default = default_source(info["entity"], info["organism"])
    except NoPublicSource:
        return False
    return (default["name"], default["version"]) == (info["name"], info["version"])


# -- organisms --------------------------------------------------------------------------------
def organism_record(organism: Any) -> Any:
    """The saved Organism record for a name (made from the public source if new) or record."""
    if organism is None or not isinstance(organism, str):
        if organism is not None and organism.id is None:
            organism.save()
        return organism
    organism_model = registry_class("Organism")
    found = organism_model.filter(name=organism).first()
    if found is None:
        found = organism_model.from_source(name=organism)
        found.save()
    return found


# -- terms ------------------------------------------------------------------------------------
def find_term(ontology: PublicOntology, model: type, field: str, value: Any) -> dict[str, Any]:
    """One public term by a field's value: id, exact or case-folded name, a synonym, any column."""
    column = public_field(ontology, model, field)
    if column is None:
        raise InvalidArgument(f"{model.__name__}.from_source() cannot look up by '{field}'")
    if column == ontology.id_field:
        return ontology.get(ontology_id=value)
    if column == ontology.name_field:
        try:
            return ontology.get(name=value)
        except TermNotFound:
            standard = ontology.standardize([value], field=column)
            if standard.non_standardized:
                raise
            return ontology.get(name=standard[0])
    table = ontology.table
    hits = table.index[table[column] == value]
    if len(hits) == 0:
        raise TermNotFound(f"{value!r} is not a {column} in {model.__name__} ({ontology.source})")
    return ontology.get(ontology_id=hits[0])


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


class TransientBuilder:
    """Makes unsaved records from trusted field values, ~20x faster than calling the class.

    A record made this way is what `Model(**fields)` makes: SQLAlchemy's instance state, the
    field defaults and the values in `__dict__`, where inserts read them. It skips pydantic's
    per-field work and the argument checks, which is fine for values read from a public
    table into known columns (from_values() of 20,000 genes).
    """

    def __init__(self, model: type) -> None:
        self.manager = model._sa_class_manager
        relations = set(sa_inspect(model).relationships.keys())
        self.defaults: dict[str, Any] = {}
        self.factories: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            if name in relations or info.is_required():
                continue
            if info.default_factory is not None:
                self.factories[name] = info.default_factory
            else:
                self.defaults[name] = info.default

    def new(self, values: dict[str, Any]) -> Any:
        record = self.manager.new_instance()
        state = record.__dict__
        state.update(self.defaults)
        state.update({name: factory() for name, factory in self.factories.items()})
        state.update(values)
        object.__setattr__(record, "__pydantic_fields_set__", set(values))
        return record


class RecordFactory:
    """Builds unsaved records of one registry from rows of one public ontology."""

    def __init__(self, model: type, ontology: PublicOntology, organism: Any) -> None:
        self.model = model
        self.builder = TransientBuilder(model)
        self.ontology = ontology
        columns = {a.key for a in sa_inspect(model).column_attrs} - NOT_COPIED
        public_columns = [ontology.id_field, *ontology.table.columns]
        self.copy = {c: c for c in public_columns if c in columns}
        if "definition" in public_columns and "description" in columns:
            self.copy["definition"] = "description"
        self.fixed = {"source_id": source_id(ontology)}
        self.organism = None
        if "organism_id" in columns or model.__lk_organism_required__:
            self.organism = organism_record(organism or default_organism(model))
            self.fixed["organism_id"] = self.organism.id if self.organism is not None else None
        self.with_parents = model.__name__ in WITH_PARENTS and "parents" in ontology.table

    def build(self, row: dict[str, Any], pending: bool = True) -> Any:
        """One record from a row dict that includes the id field; its ancestors wait for save()."""
        fields = {target: _clean(row.get(key)) for key, target in self.copy.items()}
        record = self.builder.new({**fields, **self.fixed})
        term_id = row.get(self.ontology.id_field)
        if pending and self.with_parents and term_id is not None:
            set_pending(record, PendingAncestors(self, term_id))
        return record

    def build_frame(self, frame: pd.DataFrame, pending: bool = True) -> list[Any]:
        """Records for every row of a slice of the public table."""
        frame = frame.reset_index()
        names = list(frame.columns)
        return [
            self.build(dict(zip(names, row, strict=True)), pending)
            for row in frame.itertuples(index=False, name=None)
        ]


def _existing(model: type, field: str, value: Any) -> Any | None:
    found = model.filter(branch_id__gte=-1, **{field: value}).first()
    if found is not None and found.branch_id == -1:
        log.warning(f"{model.__name__} '{value}' is in the trash; bring it back with .restore()")
    return found


def record_from_source(model: type, fields: dict[str, Any], organism: Any, source: Any) -> Any:
    """from_source(): the registry's record for a term, else a new unsaved one."""
    if len(fields) != 1:
        raise InvalidArgument(
            f"{model.__name__}.from_source() takes one field, e.g. name=... or "
            f"{model.__lk_id_field__}=..., got {sorted(fields) or 'none'}"
        )
    guard.require_module()
    ((field, value),) = fields.items()
    organism = organism or default_organism(model, [value])
    ontology = public_ontology(model, organism, source)
    term = find_term(ontology, model, field, value)
    existing = _existing(model, model.__lk_id_field__, term[ontology.id_field])
    if existing is not None:
        log.info(f"returning existing {model.__name__} record: {value}")
        return existing
    factory = RecordFactory(model, ontology, organism)
    record = factory.build(term)
    record.source = registry_class("Source").get(factory.fixed["source_id"])
    if factory.organism is not None:
        record.organism = factory.organism
    return record


def records_from_values(
    model: type, values: Any, field: Any, organism: Any, source: Any, mute: bool = False
) -> list[Any]:
    """from_values(): registry records for the values, and new ones from the public source."""
    guard.require_module()
    field = curate.field_name(model, field)
    wanted = curate.unique_values(values)
    organism = organism or default_organism(model, wanted)
    found = curate.existing_records(model, field, wanted, organism)
    missing = [v for v in wanted if v not in found]
    new: dict[Any, Any] = {}
    if missing:
        new = _new_from_public(model, field, missing, organism, source, mute)
    records = {id(r): r for v in wanted for r in [found.get(v) or new.get(v)] if r is not None}
    unmatched = [v for v in missing if v not in new]
    if unmatched and not mute:
        shown = ", ".join(repr(v) for v in unmatched[:10])
        log.warning(
            f"did not create {model.__name__} records for {len(unmatched)} "
            f"non-validated {field}s: {shown}{', ...' if len(unmatched) > 10 else ''}"
        )
    return list(records.values())


def _new_from_public(
    model: type, field: str, values: list[Any], organism: Any, source: Any, mute: bool
) -> dict[Any, Any]:
    """value -> new unsaved record, for the values the public source knows (synonyms too)."""
    try:
        ontology = public_ontology(model, organism, source)
    except NoPublicSource:
        return {}
    column = public_field(ontology, model, field)
    if column is None:
        return {}
    import pandas as pd

    table = ontology.table
    by_id = column == ontology.id_field
    standard = dict(zip(values, values, strict=True))
    if column == ontology.name_field:
        standard = dict(zip(values, ontology.standardize(values, field=column), strict=True))
    rows = table[(table.index if by_id else table[column]).isin(list(set(standard.values())))]
    keys = pd.Index(rows.index if by_id else rows[column])
    first = ~keys.duplicated()
    rows, keys = rows[first], keys[first]
    term_of = dict(zip(keys, rows.index, strict=True))
    present = (  # values given as ids were looked up already; synonyms may name a known term
        {}
        if by_id
        else curate.existing_records(model, model.__lk_id_field__, list(rows.index), None)
    )
    create = rows[~rows.index.isin(list(present))]
    factory = RecordFactory(model, ontology, organism)
    by_term = {**present, **dict(zip(create.index, factory.build_frame(create), strict=True))}
    if len(create) and not mute:
        log.info(
            f"created {len(create)} {model.__name__} records from {ontology.source} "
            f"{ontology.version} matching {field}"
        )
    return {v: by_term[term_of[s]] for v, s in standard.items() if s in term_of}
