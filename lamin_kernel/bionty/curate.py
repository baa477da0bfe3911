"""Registry-level validate, inspect and standardize: values against the records in the registry.

Each reads the registry once per call (the values of a field, or of a field and its synonyms)
and matches in memory with hashed lookups, so tens of thousands of values take milliseconds.
Values the registry lacks can still be in the public source; inspect() says so and
from_values() makes records for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect as sa_inspect

from .. import log
from ..errors import FieldValidationError
from ..query.queryset import QuerySet
from ..records.registry import registry_class
from ..setup.session import end_read, get_session
from .public import InspectResult, NoPublicSource, StandardizedList
from .public import curate as public_curate
from .public.results import quoted
from .public_sources import public_field, public_ontology

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

IN_CHUNK = 900  # values per IN (...) query; SQLite allows 32766 parameters, PostgreSQL 65535
WHOLE_COLUMN = 2_000  # from this many values on, read the whole column instead


@dataclass
class StandardizeOptions:
    """How standardize() maps: into which field, case-sensitively or not, also from public."""

    return_field: Any = None
    case_sensitive: bool = False
    organism: Any = None
    public_aware: bool = True


def field_name(model: type, field: Any) -> str:
    """A field given as None (the name field), a name, or a class attribute (bt.Gene.symbol)."""
    if field is None:
        return model.__lk_name_field__ or "name"
    name = getattr(field, "key", field)
    columns = {a.key for a in sa_inspect(model).column_attrs}
    if not isinstance(name, str) or name not in columns:
        raise FieldValidationError(
            f"{model.__name__} has no field {name!r}; fields: {', '.join(sorted(columns))}"
        )
    return name


def unique_values(values: Any) -> list[Any]:
    """The distinct values, in order, without None and NaN."""
    return [v for v in dict.fromkeys(public_curate.as_list(values)) if v is not None and v == v]


def organism_lookup(model: type, organism: Any) -> dict[str, Any]:
    """Filter arguments that keep one organism's records (nothing for other registries)."""
    if organism is None or "organism_id" not in sa_inspect(model).columns:
        return {}
    if not isinstance(organism, str):
        return {"organism_id": organism.id}
    found = registry_class("Organism").filter(name=organism).first()
    return {"organism_id": found.id if found is not None else -1}


def registry_rows(model: type, fields: list[str], organism: Any = None) -> pd.DataFrame:
    """Some columns of every visible record (of one organism), as a DataFrame."""
    import pandas as pd

    qs = QuerySet(model).filter(**organism_lookup(model, organism))
    session = get_session()
    try:
        rows = session.execute(qs.statement(*(getattr(model, f) for f in fields))).all()
    finally:
        end_read(session)
    return pd.DataFrame.from_records(rows, columns=fields)


def registry_values(model: type, field: str, values: list[Any], organism: Any) -> set[Any]:
    """Which of the values are in the field: by IN queries, or one read of the whole column."""
    qs = QuerySet(model).filter(**organism_lookup(model, organism))
    if len(values) >= WHOLE_COLUMN:
        return set(qs.to_list(field))
    found: set[Any] = set()
    for chunk in _chunks(values):
        found.update(qs.filter(**{f"{field}__in": chunk}).to_list(field))
    return found


def existing_records(model: type, field: str, values: list[Any], organism: Any) -> dict[Any, Any]:
    """value -> the registry's record with that value in `field` (the oldest if several).

    Many values: one read of (field, id) for the whole registry, then the records by id, which
    every database finds through its primary key whatever its statistics say.
    """
    qs = QuerySet(model).filter(**organism_lookup(model, organism))
    found: dict[Any, Any] = {}
    if len(values) >= WHOLE_COLUMN:
        wanted = set(values)
        ids: dict[Any, int] = {}
        for value, rid in registry_rows(model, [field, "id"], organism).itertuples(False, None):
            if value in wanted:
                ids.setdefault(value, rid)
        by_id = {}
        for chunk in _chunks(sorted(ids.values())):
            by_id.update({r.id: r for r in _records_by_id(qs, chunk)})
        return {value: by_id[rid] for value, rid in ids.items() if rid in by_id}
    for chunk in _chunks(values):
        for record in qs.filter(**{f"{field}__in": chunk}):
            found.setdefault(getattr(record, field), record)
    return found


def _records_by_id(qs: QuerySet, ids: list[int]) -> list[Any]:
    """Records of sorted ids; a dense run is read as an id range, which plans well even on a
    PostgreSQL table whose statistics predate a bulk insert (a long IN list there does not)."""
    if ids[-1] - ids[0] < 4 * len(ids):
        wanted = set(ids)
        return [r for r in qs.filter(id__gte=ids[0], id__lte=ids[-1]) if r.id in wanted]
    return list(qs.filter(id__in=ids))


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + IN_CHUNK] for i in range(0, len(values), IN_CHUNK)]


def validate(model: type, values: Any, field: Any, organism: Any, mute: bool = False) -> np.ndarray:
    """A bool array, one per value: whether it is in the registry's field."""
    import numpy as np
    import pandas as pd

    field = field_name(model, field)
    items = public_curate.as_list(values)
    known = registry_values(model, field, unique_values(items), organism)
    result = np.asarray(pd.Index(items, dtype=object).isin(list(known)), dtype=bool)
    if not mute:
        _log_not_validated(
            model, field, unique_values(v for v, ok in zip(items, result, strict=True) if not ok)
        )
    return result


def _log_not_validated(model: type, field: str, missing: list[Any]) -> None:
    if missing:
        n = len(missing)
        log.warning(
            f"{n} term{'s' if n != 1 else ''} not validated in {model.__name__}.{field}: "
            f"{quoted(missing)}"
        )


def standard_map(
    model: type, field: str, case_sensitive: bool, organism: Any
) -> tuple[public_curate.StandardMap, pd.DataFrame]:
    """The registry's exact, case-folded and synonym maps for a field, and the rows they use."""
    columns = {a.key for a in sa_inspect(model).column_attrs}
    use_synonyms = field == (model.__lk_name_field__ or "name") and "synonyms" in columns
    rows = registry_rows(model, [field, "synonyms"] if use_synonyms else [field], organism)
    return public_curate.StandardMap.build(rows, field, use_synonyms, case_sensitive), rows


def inspect(
    model: type, values: Any, field: Any, organism: Any, mute: bool = False
) -> InspectResult:
    """Validated values, the others, their standard forms, and which are in the public source."""
    field = field_name(model, field)
    wanted = unique_values(values)
    known = registry_values(model, field, wanted, organism)
    validated = [v for v in wanted if v in known]
    rejected = [v for v in wanted if v not in known]
    mapper, _ = public_curate.mapping(rejected, standard_map(model, field, False, organism)[0])
    in_public: list[Any] = []
    try:
        ontology = public_ontology(model, organism)
        column = public_field(ontology, model, field)
        if column is not None and rejected:
            in_public = [
                v for v, ok in zip(rejected, ontology.validate(rejected, column), strict=True) if ok
            ]
    except NoPublicSource:
        pass
    result = InspectResult(validated, rejected, mapper, field, in_public)
    if not mute and rejected:
        log.warning(result.message)
    return result


def standardize(
    model: type, values: Any, field: Any, options: StandardizeOptions, mute: bool = False
) -> Any:
    """Synonyms and case variants mapped to the field's values: the registry's, then public."""
    field = field_name(model, field)
    return_field = field_name(model, options.return_field) if options.return_field else field
    items = public_curate.as_list(values)
    standard, _ = standard_map(model, field, options.case_sensitive, options.organism)
    found, missing = public_curate.mapping(items, standard)
    if return_field != field:
        rows = registry_rows(model, [field, return_field], options.organism)
        convert = public_curate.first_wins(rows[field], rows[return_field])
        found = {k: convert.get(v, v) for k, v in found.items()}
    if missing and options.public_aware:
        try:
            ontology = public_ontology(model, options.organism)
            column = public_field(ontology, model, field)
            target = public_field(ontology, model, return_field)
            if column is not None and target is not None:
                mapped = ontology.standardize(
                    missing, column, return_field=target, case_sensitive=options.case_sensitive
                )
                found.update(
                    {
                        v: m
                        for v, m in zip(missing, mapped, strict=True)
                        if v not in mapped.non_standardized
                    }
                )
        except NoPublicSource:
            pass
    result = StandardizedList(
        [found.get(v, v) for v in items], [v for v in dict.fromkeys(items) if v not in found]
    )
    if not mute and result.non_standardized:
        log.warning(
            f"{len(result.non_standardized)} values could not be standardized: "
            f"{quoted(result.non_standardized)}"
        )
    return result[0] if isinstance(values, str) else result
