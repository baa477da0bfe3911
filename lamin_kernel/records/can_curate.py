"""Registry-level validate, inspect and standardize: values against the records of a registry.

They work on any registry (ULabel, Record, Feature, User, the bionty registries): a
`CurationScope` says which rows count (a QuerySet: one organism's genes, one source's terms
with `strict_source=True`) and, for bionty registries, which public ontology to consult when
the registry lacks a value (`PublicReference`, provided by `lamin_kernel.bionty`).

Each call reads the registry once (the values of a field, or of a field and its synonyms)
and matches in memory with hashed lookups, so tens of thousands of values take milliseconds.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Float, Integer, Numeric, String, Text
from sqlalchemy import inspect as sa_inspect

from .. import log
from ..errors import FieldValidationError
from ..setup.session import read_session
from .inspect_result import InspectResult, log_validation, quoted, unique_present
from .synonyms import Keep, StandardMap, conversion, is_missing, standardize_with

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ..query.queryset import QuerySet

IN_CHUNK = 900  # values per IN (...) query; SQLite allows 32766 parameters, PostgreSQL 65535
WHOLE_COLUMN = 2_000  # from this many values on, read the whole column instead
SYNONYMS = "synonyms"


class PublicReference(Protocol):
    """A public ontology behind a registry, consulted for values the registry lacks."""

    def validated(self, values: list[Any], field: str) -> list[Any]:
        """The values that are exactly in the field of the public table."""
        ...

    def synonyms_mapper(self, values: list[Any], field: str) -> dict[Any, Any]:
        """Values that are synonyms or case variants of the field's values -> those values."""
        ...

    def standardize_mapper(
        self,
        values: list[Any],
        field: str,
        return_field: str,
        case_sensitive: bool,
        keep: Keep,
        synonyms_field: str | None,
    ) -> dict[Any, Any]:
        """Value -> standardized value (in return_field) for the values the table maps."""
        ...


@dataclass
class CurationScope:
    """The records a registry-level call considers, and the public source behind them."""

    queryset: QuerySet
    public: Callable[[], PublicReference | None] | None = None

    @property
    def model(self) -> type:
        return self.queryset.model


def scope_of(
    model: type,
    base: QuerySet,
    values: Any = None,
    field: Any = None,
    organism: Any = None,
    source: Any = None,
    strict_source: bool = False,
) -> CurationScope:
    """The scope of a call on a QuerySet: its records, narrowed as the registry narrows them
    (one organism, one source) where the registry is curatable."""
    make = getattr(model, "_curation_scope", None)
    if make is None:
        return CurationScope(base)
    return make(values, field, organism, source, strict_source, base=base)


# -- fields and values ---------------------------------------------------------------------
def columns_of(model: type) -> dict[str, Any]:
    """Attribute name -> Column of a registry."""
    return {a.key: a.columns[0] for a in sa_inspect(model).column_attrs}


def name_field(model: type, field: Any = None) -> str:
    """The field a call is about: given as None (the registry's name field), a name, or an
    attribute such as `bt.Gene.symbol`."""
    columns = columns_of(model)
    if field is None:
        default = getattr(model, "__lk_name_field__", None)
        if default in columns:
            return default
        if "name" in columns:
            return "name"
        for key, col in columns.items():
            if "id" not in key and column_kind(col) == "str/categorical":
                return key
        raise FieldValidationError(f"{model.__name__} has no name field; pass field=")
    name = field if isinstance(field, str) else getattr(field, "key", None)
    if not isinstance(name, str) or isinstance(field, type):
        raise TypeError("please pass a SQLRecord string field, e.g., `CellType.name`!")
    if name not in columns:
        raise FieldValidationError(
            f"{model.__name__} has no field '{name}'; fields: {', '.join(sorted(columns))}"
        )
    return name


def flat_values(values: Any) -> list[Any]:
    """A list from a str, list, tuple, set, Series, Index or array; lists of lists are joined."""
    if isinstance(values, str):
        return [values]
    items = list(values)
    if items and isinstance(items[0], list):
        return [v for sub in items if isinstance(sub, list) for v in sub]
    return items


def _kind(value: Any) -> str:
    if isinstance(value, numbers.Number):
        return "numeric"
    if isinstance(value, str):
        return "str/categorical"
    return "unknown"


def column_kind(column: Any) -> str:
    """'str/categorical' for text columns, 'numeric' for numbers, else 'unknown'."""
    sql_type = getattr(column.type, "impl_instance", column.type)
    if isinstance(column.type, String | Text) or isinstance(sql_type, String | Text):
        return "str/categorical"
    if isinstance(sql_type, Integer | Float | Numeric):
        return "numeric"
    return "unknown"


def check_types(model: type, field: str, values: list[Any]) -> None:
    """TypeError when the values are numbers and the field holds text, or the other way round."""
    sample = next((v for v in values if not is_missing(v)), None)
    if sample is None:
        return
    field_kind = column_kind(columns_of(model)[field])
    value_kind = _kind(sample)
    if "unknown" not in (field_kind, value_kind) and field_kind != value_kind:
        raise TypeError(
            f"Type mismatch: identifiers are '{value_kind}' but field_values are '{field_kind}'."
        )


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i : i + IN_CHUNK] for i in range(0, len(values), IN_CHUNK)]


def registry_values(qs: QuerySet, field: str, values: list[Any]) -> set[Any]:
    """Which values are in the field: by IN queries, or one read of the whole column."""
    if len(values) >= WHOLE_COLUMN:
        return set(qs.to_list(field))
    found: set[Any] = set()
    for chunk in _chunks(values):
        found.update(qs.filter(**{f"{field}__in": chunk}).to_list(field))
    return found


def registry_rows(qs: QuerySet, fields: list[str]) -> pd.DataFrame:
    """Some columns of the records in scope, as a DataFrame."""
    import pandas as pd

    model = qs.model
    fields = list(dict.fromkeys(fields))
    with read_session() as session:
        rows = session.execute(qs.statement(*(getattr(model, f) for f in fields))).all()
    return pd.DataFrame.from_records(rows, columns=fields)


def matches(scope: CurationScope, values: list[Any], field: str) -> list[bool]:
    """One bool per value: whether it is exactly in the field of the records in scope."""
    import pandas as pd

    check_types(scope.model, field, values)
    wanted = unique_present(values)
    known = registry_values(scope.queryset, field, wanted) if wanted else set()
    known.discard(None)  # an empty field validates nothing
    return pd.Index(values, dtype=object).isin(list(known)).tolist()


# -- validate --------------------------------------------------------------------------------
def validate(
    scope: CurationScope, values: Any, field: Any = None, mute: bool = False
) -> np.ndarray | bool:
    """A bool array, one per value: whether it is in the field (a bool for one str value)."""
    import numpy as np

    single = isinstance(values, str)
    items = flat_values(values)
    field = name_field(scope.model, field)
    found = matches(scope, items, field)
    if not any(found) and not scope.queryset.exists():
        if not mute:
            message = (
                f"Your {scope.model.__name__} registry is empty, consider populating it first!"
            )
            if "source_id" in columns_of(scope.model):
                message += (
                    "\n   → use `.import_source()` to import records from a source, "
                    "e.g. a public ontology"
                )
            log.warning(message)
        return np.zeros(len(items), dtype=bool) if not single else False
    result = np.asarray(found, dtype=bool)
    if not mute:
        log_validation(InspectResult(items, found), field)
    return bool(result[0]) if single and len(result) == 1 else result


# -- inspect ---------------------------------------------------------------------------------
def uses_synonyms(model: type, field: str) -> bool:
    """Synonyms (and case variants) map only onto the name field of a registry that has them."""
    return field == name_field(model) and SYNONYMS in columns_of(model)


def standard_map(
    scope: CurationScope,
    field: str,
    case_sensitive: bool = False,
    keep: Keep = "first",
    synonyms_field: str | None = SYNONYMS,
    extra: tuple[str, ...] = (),
) -> tuple[StandardMap, pd.DataFrame]:
    """The registry's maps of a field, and the rows behind them: exact values, and with a
    synonyms column also other casings and synonyms (without one, LaminDB maps nothing)."""
    columns = columns_of(scope.model)
    use = synonyms_field if synonyms_field in columns else None
    rows = registry_rows(scope.queryset, [field, *([use] if use else []), *extra])
    exact_only = case_sensitive or use is None
    return StandardMap.build(rows, field, use, exact_only, keep), rows


def inspect(
    scope: CurationScope,
    values: Any,
    field: Any = None,
    mute: bool = False,
    from_source: bool = True,
) -> InspectResult:
    """Which values validate; `synonyms_mapper` maps others that are synonyms or other casings."""
    items = flat_values(values)
    field = name_field(scope.model, field)
    result = InspectResult(items, matches(scope, items, field))
    if result.non_validated and uses_synonyms(scope.model, field):
        standard, _ = standard_map(scope, field)
        _, mapper, _ = standardize_with(result.non_validated, standard)
        result._synonyms_mapper = mapper
    if not mute:
        log_validation(result, field)
        if result.synonyms_mapper:
            n = len(result.synonyms_mapper)
            log.plain(
                f"   detected {n} unique term{'' if n == 1 else 's'} with synonym"
                f"{'' if n == 1 else 's'}: {quoted(result.synonyms_mapper)}"
            )
            log.plain("→  standardize terms via .standardize()")
    left = [v for v in result.non_validated if v not in result.synonyms_mapper]
    if from_source and left and scope.public is not None:
        _hint_public(scope, left, field, mute)
    return result


def _hint_public(scope: CurationScope, values: list[Any], field: str, mute: bool) -> None:
    """Say which of the registry's missing values the public source has."""
    public = scope.public() if scope.public is not None else None
    if public is None:
        if not mute:
            log.warning("no public source found, skipping source validation")
        return
    found = public.validated(values, field)
    mapper = public.synonyms_mapper([v for v in values if v not in found], field)
    name = scope.model.__name__
    if not mute:
        if found:
            log.plain(
                f"   detected {len(found)} {name} term{'' if len(found) == 1 else 's'} in public "
                f"source for {field}: {quoted(found)}"
            )
        if mapper:
            log.plain(
                f"   detected {len(mapper)} {name} term{'' if len(mapper) == 1 else 's'} in public"
                f" source as synonym{'' if len(mapper) == 1 else 's'}: {quoted(mapper)}"
            )
        if found or mapper:
            log.plain(
                f"→  add records from public source to your {name} registry via .from_values()"
            )
        rest = [v for v in values if v not in found and v not in mapper]
        if rest:
            s = "" if len(rest) == 1 else "s"
            log.plain(f"   couldn't validate {len(rest)} term{s}: {quoted(rest)}")
            log.plain(
                f"→  if you are sure, create new record{s} via {name}() and save to your registry"
            )


# -- standardize -----------------------------------------------------------------------------
@dataclass
class StandardizeOptions:
    """How standardize() maps (LaminDB's keyword arguments)."""

    return_field: Any = None
    return_mapper: bool = False
    case_sensitive: bool = False
    mute: bool = False
    from_source: bool = True
    keep: Keep = "first"
    synonyms_field: str | None = SYNONYMS


def standardize(scope: CurationScope, values: Any, field: Any, options: StandardizeOptions) -> Any:
    """Synonyms and case variants mapped to the field's (or return_field's) standard values:
    the registry's first, then the public source's for values the registry lacks."""
    single = isinstance(values, str)
    items = flat_values(values)
    model = scope.model
    field = name_field(model, field)
    return_field = name_field(model, options.return_field) if options.return_field else field
    synonyms_field = options.synonyms_field if field == name_field(model) else None
    if synonyms_field is not None and synonyms_field not in columns_of(model):
        result, mapper = list(items), {}  # nothing to map with, as in LaminDB
    else:
        extra = (return_field,) if return_field != field else ()
        standard, rows = standard_map(
            scope, field, options.case_sensitive, options.keep, synonyms_field, extra
        )
        table = conversion(rows, field, return_field, options.keep) if extra else None
        result, mapper, _ = standardize_with(items, standard, table)
    if options.from_source and scope.public is not None:
        result, mapper = _standardize_public(
            scope, items, result, mapper, field, return_field, options
        )
    if options.return_mapper:
        return mapper
    return result[0] if single and len(result) == 1 else result


def _standardize_public(
    scope: CurationScope,
    items: list[Any],
    result: list[Any],
    mapper: dict[Any, Any],
    field: str,
    return_field: str,
    options: StandardizeOptions,
) -> tuple[list[Any], dict[Any, Any]]:
    """Map what the registry could not through the public source."""
    done = {v for v, r in zip(items, result, strict=True) if v in mapper or r != v}
    pending = [v for v in unique_present(items) if v not in done]
    if pending:
        known = registry_values(scope.queryset, field, pending)
        pending = [v for v in pending if v not in known]
    public = scope.public() if pending and scope.public is not None else None
    if public is None:
        return result, mapper
    found = public.standardize_mapper(
        pending,
        field,
        return_field,
        options.case_sensitive,
        options.keep,
        options.synonyms_field if field == name_field(scope.model) else None,
    )
    if found and not options.mute:
        shown = list(found)[:10] + (["..."] if len(found) > 10 else [])
        what = "synonym" if field == return_field else field
        log.warning(
            f"found {len(found)} {what}{'' if len(found) == 1 else 's'} in public source: "
            f"{shown}\n  please add corresponding {scope.model.__name__} records via: "
            f"`.from_values({shown})`"
        )
    merged = {**mapper, **found}
    return [
        found.get(v, r) if not is_missing(v) else r for v, r in zip(items, result, strict=True)
    ], merged
