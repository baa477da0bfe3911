"""The lineage drawn without JupyterLab (the plotly figure and the SVG of `view_lineage()` in
other frontends): no edge passes under a node it does not connect."""

from __future__ import annotations

import random

from lamin_kernel.records import lineage_drawing
from lamin_kernel.records.lineage_drawing import NODE_H, NODE_W, Point


def _crosses_box(a: Point, b: Point, centre: Point) -> bool:
    """Whether the segment a-b enters the inside of the node box around `centre`
    (Liang-Barsky clipping against the box shrunk by a pixel: touching its side is fine)."""
    left, right = centre[0] - NODE_W / 2 + 1, centre[0] + NODE_W / 2 - 1
    top, bottom = centre[1] - NODE_H / 2 + 1, centre[1] + NODE_H / 2 - 1
    dx, dy = b[0] - a[0], b[1] - a[1]
    low, high = 0.0, 1.0
    for p, q in ((-dx, a[0] - left), (dx, right - a[0]), (-dy, a[1] - top), (dy, bottom - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _random_lineage(rng: random.Random, n: int) -> dict:
    kinds = ["artifact", "run", "transform", "collection"]
    nodes = [
        {
            "id": f"n{i}",
            "kind": rng.choice(kinds),
            "uid": f"u{i}",
            "label": f"node {i}",
            "registry": "Artifact",
        }
        for i in range(n)
    ]
    edges = []
    for target in range(1, n):
        for source in rng.sample(range(target), k=min(target, rng.randint(1, 3))):
            edges.append({"source": f"n{source}", "target": f"n{target}"})
    return {"nodes": nodes, "edges": edges}


def test_edges_never_pass_under_unrelated_nodes() -> None:
    rng = random.Random(15)
    for n in (2, 5, 12, 30, 60):
        graph = _random_lineage(rng, n)
        drawn = lineage_drawing.layout_graph(graph)
        assert len(drawn.edges) == len(graph["edges"])
        for source, target, points in drawn.edges:
            for a, b in zip(points, points[1:], strict=False):
                under = [
                    node_id
                    for node_id, centre in drawn.centres.items()
                    if node_id not in (source, target) and _crosses_box(a, b, centre)
                ]
                assert not under, (n, source, target, under)


def test_the_check_sees_an_edge_under_a_node() -> None:
    # the helper itself: a segment straight through a box is caught, one beside it is not
    assert _crosses_box((0.0, 0.0), (400.0, 0.0), (200.0, 0.0))
    assert not _crosses_box((0.0, NODE_H), (400.0, NODE_H), (200.0, 0.0))


def test_the_plotly_figure_draws_every_edge_and_hovers_uid_key_and_run() -> None:
    graph = {
        "nodes": [
            {
                "id": "a",
                "kind": "artifact",
                "uid": "A1",
                "label": "raw.csv",
                "registry": "Artifact",
            },
            {"id": "r", "kind": "run", "uid": "R1", "label": "run R1", "registry": "Run"},
            {
                "id": "b",
                "kind": "artifact",
                "uid": "B1",
                "label": "out.parquet",
                "registry": "Artifact",
                "run": "R1",
            },
        ],
        "edges": [{"source": "a", "target": "r"}, {"source": "r", "target": "b"}],
    }
    figure = lineage_drawing.plotly_figure(graph, focus="b")
    lines = figure["data"][0]
    assert lines["x"].count(None) == 2  # one polyline per edge
    hovers = " ".join(h for trace in figure["data"][1:] for h in trace["hovertext"])
    assert "Artifact B1" in hovers and "out.parquet" in hovers and "run R1" in hovers
