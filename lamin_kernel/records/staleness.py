"""Stale outputs: a run's outputs are "upstream changed" when one of its inputs has a newer
version on the current branch (main and the branch in use).

A few grouped queries per call: the runs' input links, then the latest visible version of
every input's uid stem. ``downstream_plan`` orders the runs to redo after an artifact changed,
for ``lamin rerun --stale``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from sqlalchemy import or_, select

from ..setup.session import visible_branch_ids
from .registry import registry_class
from .run_links import link_model, read_rows

Kind = Literal["artifact", "collection"]
KINDS: tuple[Kind, ...] = ("artifact", "collection")
REGISTRY = {"artifact": "Artifact", "collection": "Collection"}
STEM_LENGTH = 16
STEMS_PER_QUERY = 200


@dataclass(frozen=True)
class NewerInput:
    """An input of a run that has a newer version now."""

    run_id: int
    kind: Kind
    uid: str
    label: str
    newer_uid: str
    newer_version_tag: str | None

    def to_json(self) -> dict[str, Any]:
        values = asdict(self)
        values.pop("run_id")
        return values


def _label(row: Any) -> str:
    return str(row.key or row.description or row.uid)


def latest_versions(kind: Kind, stems: Iterable[str]) -> dict[str, Any]:
    """{uid stem: (id, uid, version_tag)} of the latest visible version of each stem."""
    model = registry_class(REGISTRY[kind])
    stems = sorted(set(stems))
    found: dict[str, Any] = {}
    for start in range(0, len(stems), STEMS_PER_QUERY):
        chunk = stems[start : start + STEMS_PER_QUERY]
        statement = select(model.id, model.uid, model.version_tag).where(
            model.is_latest.is_(True),
            model.branch_id.in_(visible_branch_ids()),
            or_(*(model.uid.startswith(stem, autoescape=True) for stem in chunk)),
        )
        for row in read_rows(statement):
            stem = row.uid[:STEM_LENGTH]
            if stem not in found or row.id > found[stem].id:
                found[stem] = row
    return found


def newer_inputs(run_ids: Sequence[int]) -> dict[int, list[NewerInput]]:
    """{run id: its inputs that have a newer version}; runs without such inputs are left out."""
    result: dict[int, list[NewerInput]] = defaultdict(list)
    if not run_ids:
        return {}
    for kind in KINDS:
        link = link_model(kind, "input")
        model = registry_class(REGISTRY[kind])
        statement = (
            select(link.run_id, model.id, model.uid, model.key, model.description)
            .join(model, model.id == getattr(link, f"{kind}_id"))
            .where(link.run_id.in_(sorted(set(run_ids))))
        )
        inputs = read_rows(statement)
        if not inputs:
            continue
        latest = latest_versions(kind, (row.uid[:STEM_LENGTH] for row in inputs))
        for row in inputs:
            newest = latest.get(row.uid[:STEM_LENGTH])
            if newest is not None and newest.id != row.id and newest.id > row.id:
                result[row.run_id].append(
                    NewerInput(
                        row.run_id, kind, row.uid, _label(row), newest.uid, newest.version_tag
                    )
                )
    return dict(result)


def upstream_changes(record: Any) -> list[NewerInput]:
    """For an artifact or collection: the inputs of the run that made it that changed since."""
    run_id = getattr(record, "run_id", None)
    if run_id is None or type(record).__name__ not in REGISTRY.values():
        return []
    return newer_inputs([run_id]).get(run_id, [])


MAX_STALE_RUNS = 500


def _runs_loading(artifact_ids: set[int]) -> set[int]:
    link = link_model("artifact", "input")
    if not artifact_ids:
        return set()
    rows = read_rows(select(link.run_id).where(link.artifact_id.in_(sorted(artifact_ids))))
    return {row.run_id for row in rows}


def _outputs_of(run_ids: set[int]) -> set[int]:
    model = registry_class("Artifact")
    link = link_model("artifact", "output")
    made = read_rows(select(model.id).where(model.run_id.in_(sorted(run_ids))))
    linked = read_rows(select(link.artifact_id).where(link.run_id.in_(sorted(run_ids))))
    return {row[0] for row in made} | {row[0] for row in linked}


def downstream_plan(artifact: Any) -> list[Any]:
    """The runs to redo after ``artifact`` got a newer version, in dependency order: the runs
    that loaded an older version of it, then, transitively, those that loaded what they made;
    the newest run of each transform only. Ordered by id, which is a dependency order (a run
    loads only what exists when it runs)."""
    model = registry_class("Artifact")
    stem = artifact.uid[:STEM_LENGTH]
    latest = latest_versions("artifact", [stem]).get(stem)
    older = read_rows(
        select(model.id).where(
            model.uid.startswith(stem, autoescape=True),
            model.id != (latest.id if latest is not None else -1),
        )
    )
    stale = _runs_loading({row.id for row in older})
    frontier = set(stale)
    while frontier and len(stale) < MAX_STALE_RUNS:
        frontier = _runs_loading(_outputs_of(frontier)) - stale
        stale |= frontier
    run_model = registry_class("Run")
    runs = run_model.filter(id__in=sorted(stale)).order_by("id").to_list() if stale else []
    first: dict[int, int] = {}
    newest: dict[int, Any] = {}
    for run in runs:
        first.setdefault(run.transform_id, run.id)
        newest[run.transform_id] = run
    return sorted(newest.values(), key=lambda r: first[r.transform_id])
