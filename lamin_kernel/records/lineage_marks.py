"""What the lineage pages add to a graph of ``lineage.lineage_graph``: the "upstream changed"
marks (always, decided for every run of the graph in one ``upstream.upstream_changes`` call)
and, when asked, each run's notebook cells (for expanding a run into its cells).

Run nodes get ``"upstream_changes": [change]`` and artifact and collection nodes made by such
a run ``"upstream_changed": true`` (a collection also when a run that made one of its members
is stale); nodes that are current carry neither key. Cells are
``graph["cells"] = {run uid: [cell]}`` as ``provenance.run_cells`` returns them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .provenance import runs_cells
from .registered import registered
from .run_links import read_rows
from .upstream import member_changes, upstream_changes

MARKED_KINDS = ("artifact", "collection")


def _run_ids(uids: set[str]) -> dict[str, int]:
    """{run uid: id} (one query on the unique uid index)."""
    if not uids:
        return {}
    run = registered.Run
    return {
        row.uid: row.id
        for row in read_rows(select(run.id, run.uid).where(run.uid.in_(sorted(uids))))
    }


def _graph_runs(graph: dict[str, Any]) -> dict[str, int]:
    uids = {n["uid"] for n in graph["nodes"] if n["kind"] == "run"}
    uids |= {n["run"] for n in graph["nodes"] if n["kind"] in MARKED_KINDS and n.get("run")}
    return _run_ids(uids)


def _mark_collections_by_members(graph: dict[str, Any]) -> None:
    """Collections whose members were made from inputs that have a newer version now."""
    pending = {
        n["uid"]: n
        for n in graph["nodes"]
        if n["kind"] == "collection" and not n.get("upstream_changed")
    }
    if not pending:
        return
    model = registered.Collection
    rows = read_rows(select(model.id, model.uid).where(model.uid.in_(sorted(pending))))
    ids = {row.id: row.uid for row in rows}
    for collection_id in member_changes(ids):
        pending[ids[collection_id]]["upstream_changed"] = True


def mark_lineage(graph: dict[str, Any], cells: bool = False) -> dict[str, Any]:
    """The graph with its stale marks and, when ``cells``, the cells of its runs (in place)."""
    run_ids = _graph_runs(graph)
    changes = upstream_changes(run_ids.values())
    stale = {uid: changes[rid] for uid, rid in run_ids.items() if rid in changes}
    for node in graph["nodes"]:
        if node["kind"] == "run" and node["uid"] in stale:
            node["upstream_changes"] = [c.to_json() for c in stale[node["uid"]]]
        elif node["kind"] in MARKED_KINDS and node.get("run") in stale:
            node["upstream_changed"] = True
    _mark_collections_by_members(graph)
    if cells:
        shown = {n["uid"] for n in graph["nodes"] if n["kind"] == "run"}
        ids = {uid: rid for uid, rid in run_ids.items() if uid in shown}
        found = runs_cells(list(ids.values()))
        graph["cells"] = {uid: found.get(rid, []) for uid, rid in ids.items()}
    return graph
