""" "Upstream changed": which runs' outputs were made from inputs that have a newer version now.

A run is stale when one of its inputs (an artifact or a collection) has a newer version on the
current branch (main and the branch in use), or, transitively, when one of its inputs was made
by a stale run ("upstream of upstream changed"). An input that itself has a newer version is
reported directly and not again through the run that made it: rerunning with its newest
version is what to do.

``upstream_changes(run_ids)`` decides it for a set of runs (a page of artifacts, a lineage
graph) with a few grouped queries: per level of the walk up, the runs' input links joined to
the inputs (2 queries); then the visible versions of every input's uid stem (one query per
200 stems). The walk stops after ``MAX_LEVELS`` levels or ``MAX_RUNS`` runs.
"""

from __future__ import annotations

import shlex
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

from ..db.hints import unindexed
from ..db.prefix_indexes import starts_with
from ..setup.session import block_memo, visible_branch_ids
from .registered import registered
from .run_links import link_model, read_rows
from .staleness import KINDS, REGISTRY, STEM_LENGTH, Kind, record_class

MAX_LEVELS = 10
MAX_RUNS = 2000
MAX_CHANGES_PER_RUN = 20
STEMS_PER_QUERY = 200


@dataclass(frozen=True)
class VersionRef:
    """One version of an artifact or collection, as shown to people."""

    kind: Kind
    uid: str
    label: str
    version_tag: str | None
    key: str | None = None

    @property
    def version(self) -> str:
        """``v2`` from a version tag, else the uid's version counter (``#0001``)."""
        return f"v{self.version_tag}" if self.version_tag else f"#{self.uid[STEM_LENGTH:]}"

    def to_json(self) -> dict[str, Any]:
        return {
            "registry": REGISTRY[self.kind],
            "uid": self.uid,
            "label": self.label,
            "version_tag": self.version_tag,
            "version": self.version,
        }


@dataclass(frozen=True)
class UpstreamChange:
    """Why a run's outputs are "upstream changed": ``changed`` (an input of this run, or of a
    run further up when ``via`` is set) has the newer version ``newer``; ``via`` is this run's
    input that was made from it."""

    changed: VersionRef
    newer: VersionRef
    via: VersionRef | None = None

    @property
    def rerun_target(self) -> str:
        """What ``lamin rerun --stale`` takes to redo what is downstream of the change: the
        changed artifact's or collection's key, else its uid."""
        return self.changed.key or self.changed.uid

    @property
    def rerun_command(self) -> str:
        """``lamin rerun --stale <key>``: reruns every run downstream of the changed artifact
        or collection."""
        return f"lamin rerun --stale {shlex.quote(self.rerun_target)}"

    def describe_text(self) -> str:
        """One line for describe(): what changed, from which version to which, what to run."""
        change = (
            f"'{self.changed.label}' {self.changed.version} ({self.changed.uid}) -> "
            f"{self.newer.version} ({self.newer.uid})"
        )
        text = (
            f"input {change}"
            if self.via is None
            else f"input '{self.via.label}' ({self.via.uid}) was made from {change}"
        )
        return f"{text}; run `{self.rerun_command}`"

    def to_json(self) -> dict[str, Any]:
        return {
            "changed": self.changed.to_json(),
            "newer": self.newer.to_json(),
            "via": self.via.to_json() if self.via is not None else None,
            "direct": self.via is None,
            "rerun_command": self.rerun_command,
            "rerun_target": self.rerun_target,
        }


@dataclass(frozen=True)
class _Input:
    run_id: int
    record_id: int
    ref: VersionRef
    made_by: int | None


def _ref(kind: Kind, row: Any) -> VersionRef:
    label = str(row.key or row.description or row.uid)
    return VersionRef(kind, row.uid, label, row.version_tag, row.key)


def inputs_statement(kind: Kind, run_ids: set[int]) -> Any:
    """The input links of the runs joined to their records (with the run that made each)."""
    link = link_model(kind, "input")
    model = record_class(kind)
    return (
        select(
            link.run_id,
            model.id,
            model.uid,
            model.key,
            model.description,
            model.version_tag,
            model.run_id.label("made_by"),
        )
        .join(model, model.id == getattr(link, f"{kind}_id"))
        .where(link.run_id.in_(sorted(run_ids)))
    )


def _inputs_of(run_ids: set[int]) -> list[_Input]:
    return [
        _Input(row.run_id, row.id, _ref(kind, row), row.made_by)
        for kind in KINDS
        for row in read_rows(inputs_statement(kind, run_ids))
    ]


def newest_versions_statement(kind: Kind, stems: list[str]) -> Any:
    """The visible versions of some uid stems: one prefix condition per stem (an index range on
    the uid), the branch filter kept off its index (``db.hints.unindexed``)."""
    model = record_class(kind)
    return select(model.id, model.uid, model.key, model.description, model.version_tag).where(
        or_(*(starts_with(model.uid, stem) for stem in stems)),
        unindexed(model.branch_id).in_(visible_branch_ids()),
    )


def newest_versions(kind: Kind, stems: Iterable[str]) -> dict[str, Any]:
    """{uid stem: row (id, uid, key, description, version_tag)} of the newest visible version
    of each stem (the highest id: versions are created in order)."""
    ordered = sorted(set(stems))
    newest: dict[str, Any] = {}
    for start in range(0, len(ordered), STEMS_PER_QUERY):
        statement = newest_versions_statement(kind, ordered[start : start + STEMS_PER_QUERY])
        for row in read_rows(statement):
            stem = row.uid[:STEM_LENGTH]
            if stem not in newest or row.id > newest[stem].id:
                newest[stem] = row
    return newest


def _walk_up(run_ids: set[int]) -> dict[int, list[_Input]]:
    """{run id: its inputs} for the runs and, level by level, the runs that made their inputs."""
    inputs: dict[int, list[_Input]] = defaultdict(list)
    frontier, seen = set(run_ids), set(run_ids)
    for _ in range(MAX_LEVELS):
        if not frontier or len(seen) > MAX_RUNS:
            break
        found = _inputs_of(frontier)
        for row in found:
            inputs[row.run_id].append(row)
        frontier = {r.made_by for r in found if r.made_by is not None} - seen
        seen |= frontier
    return inputs


class _Resolver:
    """Changes per run from the walked inputs and the newest versions (memoised)."""

    def __init__(self, inputs: dict[int, list[_Input]]) -> None:
        self.inputs = inputs
        self.newest = {
            kind: newest_versions(
                kind,
                (
                    i.ref.uid[:STEM_LENGTH]
                    for rows in inputs.values()
                    for i in rows
                    if i.ref.kind == kind
                ),
            )
            for kind in KINDS
        }
        self.memo: dict[int, list[UpstreamChange]] = {}

    def changes(self, run_id: int, visiting: frozenset[int] = frozenset()) -> list[UpstreamChange]:
        if run_id in self.memo:
            return self.memo[run_id]
        found: dict[tuple[str, str | None], UpstreamChange] = {}
        for row in self.inputs.get(run_id, []):
            newest = self.newest[row.ref.kind].get(row.ref.uid[:STEM_LENGTH])
            if newest is not None and newest.id > row.record_id:
                found.setdefault(
                    (row.ref.uid, None), UpstreamChange(row.ref, _ref(row.ref.kind, newest))
                )
            elif row.made_by is not None and row.made_by not in visiting | {run_id}:
                for root in self.changes(row.made_by, visiting | {run_id}):
                    change = UpstreamChange(root.changed, root.newer, via=row.ref)
                    found.setdefault((root.changed.uid, row.ref.uid), change)
        result = list(found.values())[:MAX_CHANGES_PER_RUN]
        self.memo[run_id] = result
        return result


def upstream_changes(run_ids: Iterable[int | None]) -> dict[int, list[UpstreamChange]]:
    """{run id: why its outputs are "upstream changed"} for the given runs (see the module);
    runs whose inputs are all current are left out."""
    wanted = {i for i in run_ids if i is not None}
    if not wanted:
        return {}
    resolver = _Resolver(_walk_up(wanted))
    result = {run_id: resolver.changes(run_id) for run_id in sorted(wanted)}
    return {run_id: changes for run_id, changes in result.items() if changes}


def _members_statement(collection_ids: set[int]) -> Any:
    """The member artifacts of the collections with the run that made each."""
    link = registered.CollectionArtifact
    model = registered.Artifact
    return (
        select(
            link.collection_id,
            model.uid,
            model.key,
            model.description,
            model.version_tag,
            model.run_id.label("made_by"),
        )
        .join(model, model.id == link.artifact_id)
        .where(link.collection_id.in_(sorted(collection_ids)), model.run_id.is_not(None))
    )


def member_changes(collection_ids: Iterable[int]) -> dict[int, list[UpstreamChange]]:
    """{collection id: the changes upstream of the runs that made its members, each through
    the member (``via``)}; collections whose members are all current are left out."""
    wanted = set(collection_ids)
    if not wanted:
        return {}
    members = read_rows(_members_statement(wanted))
    changes = upstream_changes({row.made_by for row in members})
    found: dict[int, dict[tuple[str, str], UpstreamChange]] = defaultdict(dict)
    for row in members:
        member = _ref("artifact", row)
        for root in changes.get(row.made_by, []):
            change = UpstreamChange(root.changed, root.newer, via=member)
            found[row.collection_id].setdefault((root.changed.uid, member.uid), change)
    return {cid: list(c.values())[:MAX_CHANGES_PER_RUN] for cid, c in found.items()}


def record_upstream_changes(record: Any) -> list[UpstreamChange]:
    """For an artifact, the changes upstream of the run that made it; for a collection, also
    those upstream of the runs that made its members; for a run, those of its own inputs."""
    name = type(record).__name__
    if name == "Collection" and record.id is not None:
        own = _run_changes(record.run_id)
        members = member_changes([record.id]).get(record.id, [])
        return own + [c for c in members if c not in own][: MAX_CHANGES_PER_RUN - len(own)]
    if name == "Run":
        run_id = record.id
    elif name in REGISTRY.values():
        run_id = getattr(record, "run_id", None)
    else:
        return []
    return _run_changes(run_id)


def _run_changes(run_id: int | None) -> list[UpstreamChange]:
    if run_id is None:
        return []
    # a record page asks twice (its describe() tree and its banner): once per read block
    known: dict[int, list[UpstreamChange]] = block_memo().setdefault("upstream_changes", {})
    if run_id not in known:
        known[run_id] = upstream_changes([run_id]).get(run_id, [])
    return known[run_id]
