"""`Registry.from_values(values, field)`: the records for many values, as an SQLRecordList.

Values already in the registry (directly, as a synonym or in another casing) give their
records; with `create=True` every value gives a new record; otherwise, for bionty
registries, the values the public ontology knows give new unsaved records from it. Save
them all with `.save()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import log
from .can_curate import (
    IN_CHUNK,
    SYNONYMS,
    CurationScope,
    flat_values,
    name_field,
    standard_map,
    uses_synonyms,
)
from .inspect_result import quoted, unique_present
from .record_list import SQLRecordList
from .synonyms import grouped

if TYPE_CHECKING:
    from ..query.queryset import QuerySet

# values, field -> (new unsaved records, values the public source does not have)
PublicRecords = Callable[[list[Any], str], tuple[list[Any], list[Any]]]


def from_values(
    scope: CurationScope,
    values: Any,
    field: Any = None,
    *,
    create: bool = False,
    mute: bool = False,
    make: Callable[[dict[str, Any]], Any] | None = None,
    public_records: PublicRecords | None = None,
) -> SQLRecordList:
    """Records for the values: existing ones, then new ones (create=True, or from public)."""
    model = scope.model
    field = name_field(model, field)
    wanted = unique_present(flat_values(values))
    if create:
        build = make or (lambda kwargs: model(**kwargs))
        return SQLRecordList([build({field: value}) for value in wanted])
    found, missing = existing_records(scope, field, wanted, mute)
    new: list[Any] = []
    unmapped = missing
    if missing and public_records is not None:
        new, unmapped = public_records(missing, field)
    if unmapped and not mute:
        s = "" if len(unmapped) == 1 else "s"
        log.info(
            f"did not create {model.__name__} record{s} for {len(unmapped)} non-validated "
            f"{field}{s}: {quoted(unmapped, 20)}"
        )
    records = list({id(r): r for r in [*found, *new]}.values())
    return SQLRecordList(records)


def existing_records(
    scope: CurationScope, field: str, values: list[Any], mute: bool
) -> tuple[list[Any], list[Any]]:
    """The registry's records for the values (synonyms and other casings too), in input
    order, and the values without one.

    One read of the field (and synonyms) with the ids of the records in scope, then the
    matching records by id, which every database finds through its primary key.
    """
    model = scope.model
    synonyms = SYNONYMS if uses_synonyms(model, field) else None
    standard, rows = standard_map(scope, field, synonyms_field=synonyms, extra=("id",))
    first_id = grouped(rows[field], rows["id"], "first") if len(rows) else {}
    wanted: dict[Any, int] = {}
    for value in values:
        target = standard.get(value)
        if target is not None and not isinstance(target, list) and target in first_id:
            wanted[value] = first_id[target]
    by_id = {r.id: r for r in records_by_id(scope.queryset, sorted(set(wanted.values())))}
    found = [by_id[wanted[v]] for v in values if wanted.get(v) in by_id]
    missing = [v for v in values if wanted.get(v) not in by_id]
    if not mute:
        _log_loaded(model.__name__, field, values, wanted, standard)
    return found, missing


def records_by_id(qs: QuerySet, ids: list[int]) -> list[Any]:
    """Records of sorted ids; a dense run is read as an id range, which plans well even on a
    PostgreSQL table whose statistics predate a bulk insert (a long IN list there does not)."""
    if not ids:
        return []
    if ids[-1] - ids[0] < 4 * len(ids):
        wanted = set(ids)
        return [r for r in qs.filter(id__gte=ids[0], id__lte=ids[-1]) if r.id in wanted]
    found: list[Any] = []
    for i in range(0, len(ids), IN_CHUNK):
        found.extend(qs.filter(id__in=ids[i : i + IN_CHUNK]))
    return found


def _log_loaded(
    name: str, field: str, values: list[Any], wanted: dict[Any, int], standard: Any
) -> None:
    direct = [v for v in values if v in wanted and standard.get(v) == v]
    via = [v for v in values if v in wanted and standard.get(v) != v]
    if direct:
        s = "" if len(direct) == 1 else "s"
        log.success(f"loaded {len(direct)} {name} record{s} matching {field}: {quoted(direct, 20)}")
    if via:
        s = "" if len(via) == 1 else "s"
        log.success(f"loaded {len(via)} {name} record{s} matching synonyms: {quoted(via, 20)}")
