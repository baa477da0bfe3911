"""Stale outputs, downstream: ``downstream_plan`` orders the runs to redo after an artifact or
a collection got a newer version, for ``lamin rerun --stale``. Which runs' outputs are "upstream changed" is
decided in ``records.upstream``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from sqlalchemy import or_, select

from ..db.prefix_indexes import starts_with
from ..setup.session import visible_branch_ids
from .registered import registered
from .registry_protocols import ArtifactProtocol, CollectionProtocol
from .run_links import link_model, read_rows

Kind = Literal["artifact", "collection"]
KINDS: tuple[Kind, ...] = ("artifact", "collection")
REGISTRY = {"artifact": "Artifact", "collection": "Collection"}
STEM_LENGTH = 16
STEMS_PER_QUERY = 200


def kind_of(record: object) -> Kind | None:
    """The kind of a versioned run input or output this record is, or None for another."""
    if isinstance(record, registered.Artifact):
        return "artifact"
    if isinstance(record, registered.Collection):
        return "collection"
    return None


def record_class(kind: Kind) -> type[ArtifactProtocol] | type[CollectionProtocol]:
    """The registry class of a kind of versioned run input or output."""
    return registered.Artifact if kind == "artifact" else registered.Collection


def version_family_rows(model: type, stems: Sequence[str]) -> Any:
    """The SELECT of (id, uid, version_tag, is_latest, branch_id) of every version of these uid
    stems. Only the uid prefixes are in SQL, each a range of the uid index: with is_latest or
    branch_id there too, SQLite walks that low-selectivity index instead (every row)."""
    columns = (model.id, model.uid, model.version_tag, model.is_latest, model.branch_id)
    return select(*columns).where(or_(*(starts_with(model.uid, stem) for stem in stems)))


def latest_versions(kind: Kind, stems: Iterable[str]) -> dict[str, Any]:
    """{uid stem: (id, uid, version_tag)} of the latest visible version of each stem."""
    model = record_class(kind)
    stems = sorted(set(stems))
    found: dict[str, Any] = {}
    visible = set(visible_branch_ids())
    for start in range(0, len(stems), STEMS_PER_QUERY):
        chunk = stems[start : start + STEMS_PER_QUERY]
        for row in read_rows(version_family_rows(model, chunk)):
            if not row.is_latest or row.branch_id not in visible:
                continue
            stem = row.uid[:STEM_LENGTH]
            if stem not in found or row.id > found[stem].id:
                found[stem] = row
    return found


MAX_STALE_RUNS = 500


def _runs_loading(ids: dict[Kind, set[int]]) -> set[int]:
    """The runs that loaded any of these artifacts or collections."""
    found: set[int] = set()
    for kind, record_ids in ids.items():
        if not record_ids:
            continue
        link = link_model(kind, "input")
        column = getattr(link, f"{kind}_id")
        rows = read_rows(select(link.run_id).where(column.in_(sorted(record_ids))))
        found |= {row.run_id for row in rows}
    return found


def _outputs_of(run_ids: set[int]) -> dict[Kind, set[int]]:
    """The artifacts and collections these runs made (their run, or an output link)."""
    outputs: dict[Kind, set[int]] = {}
    for kind in KINDS:
        model = record_class(kind)
        link = link_model(kind, "output")
        made = read_rows(select(model.id).where(model.run_id.in_(sorted(run_ids))))
        column = getattr(link, f"{kind}_id")
        linked = read_rows(select(column).where(link.run_id.in_(sorted(run_ids))))
        outputs[kind] = {row[0] for row in made} | {row[0] for row in linked}
    return outputs


def record_kind(record: Any) -> Kind:
    """ "artifact" or "collection", from the record's registry."""
    return "collection" if isinstance(record, registered.Collection) else "artifact"


def downstream_plan(record: Any) -> list[Any]:
    """The runs to redo after an artifact or collection got a newer version, in dependency
    order: the runs that loaded an older version of it, then, transitively, those that loaded
    what they made; the newest run of each transform only. Ordered by id, which is a
    dependency order (a run loads only what exists when it runs)."""
    kind = record_kind(record)
    model = record_class(kind)
    stem = record.uid[:STEM_LENGTH]
    latest = latest_versions(kind, [stem]).get(stem)
    older = read_rows(
        select(model.id).where(
            starts_with(model.uid, stem),
            model.id != (latest.id if latest is not None else -1),
        )
    )
    stale = _runs_loading({kind: {row.id for row in older}})
    frontier = set(stale)
    while frontier and len(stale) < MAX_STALE_RUNS:
        frontier = _runs_loading(_outputs_of(frontier)) - stale
        stale |= frontier
    run_model = registered.Run
    runs = run_model.filter(id__in=sorted(stale)).order_by("id").to_list() if stale else []
    first: dict[int, int] = {}
    newest: dict[int, Any] = {}
    for run in runs:
        first.setdefault(run.transform_id, run.id)
        newest[run.transform_id] = run
    return sorted(newest.values(), key=lambda r: first[r.transform_id])
