"""Records from public sources: from_source(), and from_values() for values the registry lacks.

New records carry their Source row, their organism (Gene, Protein) and, for hierarchies, a
pending step that saves their ancestors and links them when the record is saved
(`hierarchy.PendingAncestors`). A term that is already a record is never made twice.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect

from .. import log
from ..errors import IntegrityError, InvalidArgument, OrganismNotSet, TermNotFound
from ..records.can_curate import name_field
from ..records.inspect_result import quoted
from ..records.orm_internals import fill_new_record, new_blank_record
from ..records.pending import set_pending
from ..setup.long_lived import gc_paused
from ..setup.session import connection
from .hierarchy import PendingAncestors, find_ids
from .links import WITH_PARENTS
from .organisms import require_organism, resolve_organism
from .public import NoPublicSource, PublicOntology, default_source
from .source import Source
from .sources import public_ontology, saved_source

if TYPE_CHECKING:
    import pandas as pd

# public columns that are not record fields, and record fields a public row never sets
NOT_COPIED = {"id", "uid", "parents", "deprecated", "source_id", "organism_id", "score"}


# -- Source rows ------------------------------------------------------------------------------
_source_rows: dict[tuple, int] = {}


def source_row(ontology: PublicOntology) -> Source:
    """The Source row of a loaded ontology (made if missing, e.g. for an older release)."""
    info = ontology.source_info
    lookup = {k: info[k] for k in ("entity", "organism", "name", "version")}
    key = (connection().settings.uid, *lookup.values())
    if key in _source_rows:
        found = Source.filter(branch_id__gte=-1, id=_source_rows[key]).one_or_none()
        if found is not None:
            return found
    found = Source.filter(branch_id__gte=-1, **lookup).one_or_none()
    if found is None:
        found = Source(**info, currently_used=_is_default(info), in_db=False)
        try:
            found.save()
        except IntegrityError:  # another process made it meanwhile
            found = Source.filter(branch_id__gte=-1, **lookup).one()
    _source_rows[key] = found.id
    return found


def _is_default(info: dict[str, str]) -> bool:
    try:
        default = default_source(info["entity"], info["organism"])
    except NoPublicSource:
        return False
    return (default["name"], default["version"]) == (info["name"], info["version"])


def public_field(ontology: PublicOntology, model: type, field: str) -> str | None:
    """The public table's column for a registry field (the id field is the index), if any."""
    if field in (model.__lk_id_field__, ontology.id_field):
        return ontology.id_field
    if field == "description" and "definition" in ontology.table.columns:
        return "definition"
    return field if field in ontology.table.columns else None


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
        self.model = model
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

    def new(
        self, values: dict[str, Any], related: dict[str, Any], made: dict[str, Any] | None = None
    ) -> Any:
        """One record; `made` holds default_factory values computed once for a batch."""
        record = new_blank_record(self.model)
        if made is None:
            made = {name: factory() for name, factory in self.factories.items()}
        # source, organism (related): readable before the record is saved
        filled = {**self.defaults, **made, **values, **related}
        fill_new_record(record, filled, values, pydantic_slots=False)
        return record


class RecordFactory:
    """Builds unsaved records of one registry from rows of one public ontology."""

    def __init__(
        self, model: type, ontology: PublicOntology, organism: Any, source: Source | None = None
    ) -> None:
        self.model = model
        self.builder = TransientBuilder(model)
        self.ontology = ontology
        columns = {a.key for a in sa_inspect(model).column_attrs} - NOT_COPIED
        public_columns = [ontology.id_field, *ontology.table.columns]
        self.copy = {c: c for c in public_columns if c in columns}
        if "definition" in public_columns and "description" in columns:
            self.copy["definition"] = "description"
        self.source = saved_source(source) if source is not None else source_row(ontology)
        self.fixed: dict[str, Any] = {"source_id": self.source.id}
        self.related: dict[str, Any] = {"source": self.source}
        self.organism = organism
        if "organism_id" in columns | {"organism_id"} and "organism_id" in model.model_fields:
            self.fixed["organism_id"] = organism.id if organism is not None else None
            self.related["organism"] = organism
        self.with_parents = model.__name__ in WITH_PARENTS and "parents" in ontology.table

    def build(self, row: dict[str, Any], pending: bool = True) -> Any:
        """One record from a row dict that includes the id field; its ancestors wait for save()."""
        fields = {target: _clean(row.get(key)) for key, target in self.copy.items()}
        record = self.builder.new({**fields, **self.fixed}, self.related)
        term_id = row.get(self.ontology.id_field)
        if pending and self.with_parents and term_id is not None:
            set_pending(record, PendingAncestors(self, term_id))
        return record

    def build_frame(self, frame: pd.DataFrame, pending: bool = True) -> list[Any]:
        """Records for every row of a slice of the public table (one timestamp for all)."""
        frame = frame.reset_index()
        sources = [key for key in self.copy if key in frame.columns]
        values = frame[sources].astype(object)
        values = values.where(values.notna(), None)
        targets = [self.copy[key] for key in sources]
        made = {name: factory() for name, factory in self.builder.factories.items()}
        term_ids = list(frame[self.ontology.id_field])
        with_parents = pending and self.with_parents
        records = []
        with gc_paused():  # thousands of new objects, no cycles: collections would only rescan
            for term_id, row in zip(
                term_ids, values.itertuples(index=False, name=None), strict=True
            ):
                fields = dict(zip(targets, row, strict=True))
                record = self.builder.new({**fields, **self.fixed}, self.related, made)
                if with_parents and term_id is not None:
                    set_pending(record, PendingAncestors(self, term_id))
                records.append(record)
        return records

    def from_values(self, values: list[Any], field: str, mute: bool) -> tuple[list[Any], list[Any]]:
        """Records for the values the ontology has (for the name field: synonyms and other
        casings too), and the values it lacks. A value matching several terms gives all."""
        model, ontology = self.model, self.ontology
        column = public_field(ontology, model, field)
        if column is None:
            return [], values
        mapper: dict[Any, Any] = {}
        if column == ontology.name_field:
            mapper = ontology.synonyms_mapper(values, column)
        standard = {v: mapper.get(v, v) for v in values}
        table = ontology.table
        keys = table.index if column == ontology.id_field else table[column]
        rows = table[keys.isin(list(set(standard.values())))]
        by_id = column == ontology.id_field
        row_keys = list(rows.index if by_id else rows[column])
        # by id: the registry was just asked for these very ids, none of them is a record
        records = self.build_frame(rows) if by_id else self._records_for_terms(rows)
        by_key: dict[Any, list[Any]] = {}
        for key, record in zip(row_keys, records, strict=True):
            by_key.setdefault(key, []).append(record)
        found = [r for v in values for r in by_key.get(standard[v], [])]
        unmapped = [v for v in values if standard[v] not in by_key]
        if not mute:
            self._log_created(values, standard, by_key, field)
        return list({id(r): r for r in found}.values()), unmapped

    def _records_for_terms(self, rows: pd.DataFrame) -> list[Any]:
        """One record per row: the registry's own for a term it has, else a new one."""
        id_field = self.model.__lk_id_field__
        present = find_ids(self.model, list(rows.index))
        saved: dict[Any, Any] = {}
        if present:
            qs = self.model.filter(branch_id__gte=-1, id__in=sorted(present.values()))
            saved = {getattr(r, id_field): r for r in qs}
        missing = rows[~rows.index.isin(list(saved))]
        new = dict(zip(missing.index, self.build_frame(missing), strict=True))
        return [saved[term] if term in saved else new[term] for term in rows.index]

    def _log_created(
        self, values: list[Any], standard: dict[Any, Any], by_key: dict[Any, list[Any]], field: str
    ) -> None:
        name = self.model.__name__
        direct = [v for v in values if standard[v] == v and v in by_key]
        via = [v for v in values if standard[v] != v and standard[v] in by_key]
        if direct:
            s = "" if len(direct) == 1 else "s"
            log.success(
                f"created {len(direct)} {name} record{s} from Bionty matching {field}: "
                f"{quoted(direct, 20)}"
            )
        if via:
            s = "" if len(via) == 1 else "s"
            log.success(
                f"created {len(via)} {name} record{s} from Bionty matching synonyms: "
                f"{quoted(via, 20)}"
            )
        ambiguous = [k for k, found in by_key.items() if len(found) > 1]
        if ambiguous:
            s = "" if len(ambiguous) == 1 else "s"
            log.warning(
                f"ambiguous validation in Bionty for {len(ambiguous)} record{s}: "
                f"{quoted(ambiguous, 20)}"
            )


def factory_for(model: type) -> Any:
    """A function (ontology, organism, source) -> RecordFactory of the registry."""
    return lambda ontology, organism, source: RecordFactory(model, ontology, organism, source)


def records_from_source(model: type, string: str | None, kwargs: dict[str, Any], mute: bool) -> Any:
    """from_source(): the record (or records) for one value, existing or new from the source."""
    organism = kwargs.pop("organism", None)
    source = kwargs.pop("source", None)
    if string is not None:
        field = kwargs.pop("field", None)
        results = model.from_values([string], field, organism=organism, source=source, mute=mute)
        shown = f"'{string}'"
    else:
        if len(kwargs) > 1:
            raise InvalidArgument("Only one field can be passed to generate records from source")
        if not kwargs:
            raise InvalidArgument("No field passed to generate records from source")
        ((field, value),) = kwargs.items()
        name_field(model, field)
        results = model.filter(**{field: value}).to_list()
        if not results:
            results = _new_exact(model, field, value, organism, source)
        shown = f"{field}='{value}'"
    if len(results) == 1:
        return results[0]
    if not results:
        raise TermNotFound(
            f"no {model.__name__} found in source for the given field value: {shown}"
            + _closest_hint(model, string if string is not None else value, organism, source)
        )
    return list(results)


def _new_exact(model: type, field: str, value: Any, organism: Any, source: Any) -> list[Any]:
    """New records for the public terms whose field is exactly value."""
    organism_record = resolve_organism(model, organism, field, [value])
    if organism_record is None and require_organism(model, field):
        raise OrganismNotSet(
            f"`organism` is required to create new {model.__name__} records from source!"
        )
    try:
        ontology = public_ontology(model, organism_record, source)
    except NoPublicSource:
        return []
    column = public_field(ontology, model, field)
    if column is None:
        return []
    table = ontology.table
    keys = table.index if column == ontology.id_field else table[column]
    rows = table[keys == value]
    if not len(rows):
        return []
    return RecordFactory(model, ontology, organism_record, source)._records_for_terms(rows)


def _closest_hint(model: type, value: Any, organism: Any, source: Any) -> str:
    """'. Closest: ...' for a value that matched nothing, when the public source has one."""
    try:
        ontology = public_ontology(model, resolve_organism(model, organism), source)
        best = ontology.search(str(value), limit=3)
        names = [n for n in best[ontology.name_field] if isinstance(n, str)]
    except (NoPublicSource, OrganismNotSet, TermNotFound, ValueError):
        return ""
    return f". Closest: {quoted(names)}" if names else ""
