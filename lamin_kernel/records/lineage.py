"""Lineage: the graph of artifacts, collections, runs and transforms around a record, and its SVG.

Edges follow the data: input artifact/collection -> run -> output artifact/collection,
transform -> run, initiating run -> run. The graph is walked one level at a time with a
few queries per level (never one per node); `depth` counts hops between artifacts,
collections and runs, and every run in the graph is shown with its transform.
"""

from __future__ import annotations

import html
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .. import log
from ..errors import InvalidArgument
from ..query.queryset import QuerySet
from ..setup.session import read_session
from .lineage_drawing import render_svg
from .lineage_marks import mark_lineage
from .lineage_mime import lineage_bundle
from .registered import registered
from .registry_protocols import BranchedRecord

DIRECTIONS = ("upstream", "downstream", "both")
MAX_DEPTH = 10
MAX_NODES = 1000
# kind -> (registry, columns fetched for a node)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "artifact": ("Artifact", ("id", "uid", "key", "description", "run_id", "kind")),
    "collection": ("Collection", ("id", "uid", "key", "description", "run_id")),
    "run": ("Run", ("id", "uid", "name", "started_at", "transform_id", "initiated_by_run_id")),
    "transform": ("Transform", ("id", "uid", "key", "description", "version_tag")),
}
KIND_OF_REGISTRY = {registry: kind for kind, (registry, _) in KINDS.items()}
CLASS_OF_KIND: dict[str, Callable[[], type[BranchedRecord]]] = {
    "artifact": lambda: registered.Artifact,
    "collection": lambda: registered.Collection,
    "run": lambda: registered.Run,
    "transform": lambda: registered.Transform,
}
HIDDEN_ARTIFACT_KINDS = ("__lamindb_run__",)  # reports and environments of runs

Node = tuple[str, int]  # (kind, database id)


class LineageGraph(dict):
    """{"nodes": [...], "edges": [...]} with a short repr (it is returned into notebooks)."""

    def __repr__(self) -> str:
        return f"LineageGraph({len(self['nodes'])} nodes, {len(self['edges'])} edges)"


def _select(kind: str, **lookups: Any) -> list[Any]:
    """Rows (named tuples of KINDS columns) of one kind matching the lookups."""
    columns = KINDS[kind][1]
    model = CLASS_OF_KIND[kind]()
    qs = QuerySet(model).filter(**lookups)
    return _execute(qs.statement(*(getattr(model, c) for c in columns)))


def _link_pairs(kind: str, column: str, ids: Iterable[int]) -> list[tuple[int, int]]:
    """(run_id, artifact or collection id) pairs of the run-input links of a kind
    ("artifact" or "collection"), selected by `column` in ids."""
    is_artifact = kind == "artifact"
    model = registered.RunInputArtifact if is_artifact else registered.RunInputCollection
    other = "artifact_id" if is_artifact else "collection_id"
    qs = QuerySet(model).filter(**{f"{column}__in": sorted(ids)})
    return [tuple(r) for r in _execute(qs.statement(model.run_id, getattr(model, other)))]


def _execute(statement: Any) -> list[Any]:
    with read_session() as session:
        return list(session.execute(statement).all())


class _Walker:
    """Collects rows and edges level by level."""

    def __init__(self) -> None:
        self.rows: dict[Node, Any] = {}
        self.order: list[Node] = []
        self.edges: set[tuple[Node, Node]] = set()
        self.truncated = False

    def keep(self, kind: str, rows: Iterable[Any]) -> None:
        for row in rows:
            if kind == "artifact" and row.kind in HIDDEN_ARTIFACT_KINDS:
                continue
            node = (kind, row.id)
            if node not in self.rows:
                self.rows[node] = row
                self.order.append(node)

    def fetch(self, nodes: Iterable[Node]) -> None:
        """Load the rows of nodes not loaded yet (one query per kind)."""
        missing: dict[str, set[int]] = defaultdict(set)
        for kind, rid in nodes:
            if (kind, rid) not in self.rows:
                missing[kind].add(rid)
        for kind, ids in missing.items():
            self.keep(kind, _select(kind, id__in=sorted(ids)))

    def walk(self, start: Node, depth: int, upstream: bool) -> None:
        frontier, seen = {start}, {start}
        for _ in range(depth):
            found = self.step(frontier, upstream)
            self.fetch(found)
            frontier = {n for n in found if n in self.rows and n not in seen}
            seen |= frontier
            if not frontier:
                return
            if len(self.rows) > MAX_NODES:
                self.truncated = True
                return

    def step(self, frontier: set[Node], upstream: bool) -> set[Node]:
        by_kind: dict[str, set[int]] = defaultdict(set)
        for kind, rid in frontier:
            by_kind[kind].add(rid)
        return self.step_up(by_kind) if upstream else self.step_down(by_kind)

    def link(self, source: Node, target: Node) -> None:
        self.edges.add((source, target))

    def step_up(self, ids: dict[str, set[int]]) -> set[Node]:
        found: set[Node] = set()
        for kind in ("artifact", "collection"):
            for rid in ids[kind]:
                run_id = self.rows[(kind, rid)].run_id
                if run_id is not None:
                    self.link(("run", run_id), (kind, rid))
                    found.add(("run", run_id))
        if ids["run"]:
            for kind in ("artifact", "collection"):
                for run_id, other in _link_pairs(kind, "run_id", ids["run"]):
                    self.link((kind, other), ("run", run_id))
                    found.add((kind, other))
            for rid in ids["run"]:
                parent = self.rows[("run", rid)].initiated_by_run_id
                if parent is not None:
                    self.link(("run", parent), ("run", rid))
                    found.add(("run", parent))
        return found

    def step_down(self, ids: dict[str, set[int]]) -> set[Node]:
        found: set[Node] = set()
        for kind, column in (("artifact", "artifact_id"), ("collection", "collection_id")):
            if ids[kind]:
                for run_id, other in _link_pairs(kind, column, ids[kind]):
                    self.link((kind, other), ("run", run_id))
                    found.add(("run", run_id))
        if ids["transform"]:
            rows = _select("run", transform_id__in=sorted(ids["transform"]))
            self.keep("run", rows)
            for row in rows:
                self.link(("transform", row.transform_id), ("run", row.id))
                found.add(("run", row.id))
        if ids["run"]:
            runs = sorted(ids["run"])
            for kind, column in (
                ("artifact", "run_id"),
                ("collection", "run_id"),
                ("run", "initiated_by_run_id"),
            ):
                rows = _select(kind, **{f"{column}__in": runs})
                self.keep(kind, rows)
                for row in rows:
                    self.link(("run", getattr(row, column)), (kind, row.id))
                    found.add((kind, row.id))
        return found

    def add_transforms(self) -> None:
        """Every run is shown with its transform."""
        runs = [self.rows[n] for n in self.order if n[0] == "run"]
        self.fetch(("transform", r.transform_id) for r in runs)
        for run in runs:
            self.link(("transform", run.transform_id), ("run", run.id))


def _label(kind: str, row: Any) -> str:
    if kind == "run":
        if row.name:
            return str(row.name)
        when = f" {row.started_at:%Y-%m-%d %H:%M}" if row.started_at is not None else ""
        return f"run {row.uid[:7]}{when}"
    text = row.key or row.description or row.uid
    if kind == "transform" and row.version_tag:
        text = f"{text} (v{row.version_tag})"
    return str(text)


def _run_uids(run_ids: Iterable[int | None]) -> dict[int, str]:
    """{run id: uid} of the runs that made the graph's artifacts and collections."""
    ids = sorted({i for i in run_ids if i is not None})
    return {row.id: row.uid for row in _select("run", id__in=ids)} if ids else {}


def _node_id(node: Node, rows: dict[Node, Any]) -> str:
    return f"{node[0]}:{rows[node].uid}"


def lineage_graph(record: Any, direction: str = "both", depth: int = 3) -> LineageGraph:
    """The lineage around an artifact, collection, run or transform as nodes and edges."""
    kind = KIND_OF_REGISTRY.get(type(record).__name__)
    if kind is None:
        raise InvalidArgument(
            f"lineage is drawn for Artifact, Collection, Run and Transform, "
            f"not {type(record).__name__}"
        )
    if direction not in DIRECTIONS:
        raise InvalidArgument(
            f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}"
        )
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= MAX_DEPTH:
        raise InvalidArgument(f"depth must be an integer from 1 to {MAX_DEPTH}, got {depth!r}")
    if getattr(record, "id", None) is None:
        raise InvalidArgument(f"save the {type(record).__name__} before drawing its lineage")
    walker = _Walker()
    start: Node = (kind, record.id)
    walker.keep(kind, _select(kind, id=record.id, branch_id__in=[-1, 0, 1]) or [])
    if start not in walker.rows:  # a hidden artifact kind or a record on another branch
        walker.rows[start] = record
        walker.order.insert(0, start)
    if direction in ("upstream", "both"):
        walker.walk(start, depth, upstream=True)
    if direction in ("downstream", "both"):
        walker.walk(start, depth, upstream=False)
    walker.add_transforms()
    if walker.truncated:
        log.warning(f"the lineage graph has more than {MAX_NODES} nodes; showing part of it")
    rows = walker.rows
    made_by = _run_uids(rows[n].run_id for n in walker.order if n[0] in ("artifact", "collection"))
    nodes = [
        {
            "id": _node_id(node, rows),
            "kind": node[0],
            "uid": rows[node].uid,
            "label": _label(node[0], rows[node]),
            "registry": KINDS[node[0]][0],
            "run": made_by.get(getattr(rows[node], "run_id", None) or 0)
            if node[0] in ("artifact", "collection")
            else None,
        }
        for node in walker.order
    ]
    edges = sorted(
        {(_node_id(s, rows), _node_id(t, rows)) for s, t in walker.edges if s in rows and t in rows}
    )
    return LineageGraph(nodes=nodes, edges=[{"source": s, "target": t} for s, t in edges])


def _notebook_shell() -> Any | None:
    """The IPython kernel shell when running in one (IPython is never imported here)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell if shell is not None and getattr(shell, "kernel", None) is not None else None


def default_filename(record: Any) -> str:
    """`<key or uid>_lineage.svg`, with characters unsafe in file names replaced."""
    stem = getattr(record, "key", None) or record.uid
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(stem)).strip("._") + "_lineage.svg"


def view_lineage(
    record: Any, depth: int = 3, direction: str = "upstream", filename: str | None = None
) -> LineageGraph:
    """Draw the lineage: in a notebook, JupyterLab's interactive graph (MIME
    `application/vnd.lamin.lineage+json`) with a plotly figure for other front ends and the
    HTML report; else a file (`filename`, .svg or .html)."""
    graph = lineage_graph(record, direction=direction, depth=depth)
    focus = f"{KIND_OF_REGISTRY[type(record).__name__]}:{record.uid}"
    shell = _notebook_shell()
    if shell is not None and filename is None:
        marked = mark_lineage({"nodes": [dict(n) for n in graph["nodes"]], "edges": graph["edges"]})
        bundle = lineage_bundle(marked, focus, direction=direction, depth=depth)
        shell.display_pub.publish(data={**bundle, "text/plain": repr(graph)})
        return graph
    svg = render_svg(graph, focus=focus)
    path = Path(filename) if filename is not None else Path.cwd() / default_filename(record)
    if path.suffix.lower() in (".html", ".htm"):
        title = html.escape(f"Lineage of {type(record).__name__} {record.uid}")
        text = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>{svg}</body></html>"
    else:
        text = svg
    path.write_text(text, encoding="utf-8")
    print(f"lineage graph written to {path}")
    return graph
