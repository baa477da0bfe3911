"""The lineage drawing without JupyterLab: the project's layered layout, edges that never
pass under a node they do not connect, the SVG and the plotly figure."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from lamin_kernel.records.lineage_drawing import (
    NODE_H,
    NODE_W,
    layout_graph,
    plotly_figure,
    render_svg,
)
from lamin_kernel.records.lineage_mime import lineage_bundle, lineage_html


def node(node_id: str, kind: str = "artifact") -> dict:
    return {"id": node_id, "kind": kind, "uid": node_id, "label": node_id, "registry": "Artifact"}


def graph_of(n: int, edges: list[tuple[int, int]]) -> dict:
    kinds = ("artifact", "run", "transform", "collection")
    return {
        "nodes": [node(f"n{i}", kinds[i % 4]) for i in range(n)],
        "edges": [{"source": f"n{s}", "target": f"n{t}"} for s, t in edges],
    }


def segment_hits_box(a: tuple, b: tuple, box: tuple, steps: int = 40) -> bool:
    """Whether the segment a-b enters the box (x0, y0, x1, y1), sampled finely."""
    x0, y0, x1, y1 = box
    for i in range(steps + 1):
        t = i / steps
        x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        if x0 < x < x1 and y0 < y < y1:
            return True
    return False


def edges_under_unrelated_nodes(graph: dict) -> list[tuple[str, str, str]]:
    drawn = layout_graph(graph)
    hits = []
    for source, target, points in drawn.edges:
        for node_id, (cx, cy) in drawn.centres.items():
            if node_id in (source, target):
                continue
            box = (cx - NODE_W / 2, cy - NODE_H / 2, cx + NODE_W / 2, cy + NODE_H / 2)
            if any(segment_hits_box(a, b, box) for a, b in zip(points, points[1:], strict=False)):
                hits.append((source, target, node_id))
    return hits


def test_a_long_edge_goes_around_the_node_between_its_ends() -> None:
    # input -> run -> output, and the input also feeds a later run directly: the long edge
    # from n0 to n3 must not be drawn under n1 or n2 (the bug the old hand layout had)
    graph = graph_of(4, [(0, 1), (1, 2), (2, 3), (0, 3)])
    assert edges_under_unrelated_nodes(graph) == []
    centres = layout_graph(graph).centres
    assert centres["n0"][0] < centres["n1"][0] < centres["n2"][0] < centres["n3"][0]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=16),
    st.integers(min_value=0, max_value=2**32 - 1),
    st.sampled_from([0.15, 0.25, 0.4]),
    st.booleans(),
)
def test_no_edge_passes_under_an_unrelated_node(
    n: int, seed: int, density: float, with_back_edges: bool
) -> None:
    rng = random.Random(seed)
    pairs = {(s, t) for s in range(n) for t in range(n) if s != t and rng.random() < density}
    if not with_back_edges:
        pairs = {(s, t) for s, t in pairs if s < t}
    graph = graph_of(n, sorted(pairs))
    assert edges_under_unrelated_nodes(graph) == []
    assert layout_graph(graph) == layout_graph(graph)  # deterministic


def test_nodes_of_one_layer_never_overlap() -> None:
    rng = random.Random(7)
    pairs = {(s, t) for s in range(30) for t in range(s + 1, 30) if rng.random() < 0.2}
    centres = list(layout_graph(graph_of(30, sorted(pairs))).centres.values())
    for i, (x, y) in enumerate(centres):
        for x2, y2 in centres[i + 1 :]:
            assert abs(x - x2) >= NODE_W or abs(y - y2) >= NODE_H


def test_a_dense_fourteen_node_graph_keeps_edges_off_unrelated_nodes() -> None:
    # the graph on which igraph's layout drew the edge n2 -> n8 under n9
    rng = random.Random(4404)
    pairs = {(s, t) for s in range(14) for t in range(s + 1, 14) if rng.random() < 0.25}
    assert edges_under_unrelated_nodes(graph_of(14, sorted(pairs))) == []


def test_cycles_and_self_loops_are_drawn() -> None:
    graph = graph_of(3, [(0, 1), (1, 2), (2, 1), (1, 1)])
    drawn = layout_graph(graph)
    assert set(drawn.centres) == {"n0", "n1", "n2"}
    assert {(s, t) for s, t, _ in drawn.edges} == {("n0", "n1"), ("n1", "n2"), ("n2", "n1")}


def test_svg_and_figure_escape_labels_and_show_uid_key_and_run_on_hover() -> None:
    graph = {
        "nodes": [
            {**node("artifact:A1"), "label": "<img src=x onerror=alert(1)>", "run": "RUN1"},
            {**node("run:RUN1", "run"), "registry": "Run"},
        ],
        "edges": [{"source": "run:RUN1", "target": "artifact:A1"}],
    }
    svg = render_svg(graph, focus="artifact:A1")
    assert "<img" not in svg and "&lt;img src=x" in svg
    figure = plotly_figure(graph, focus="artifact:A1")
    artifacts = next(t for t in figure["data"] if t.get("name") == "artifact")
    assert "artifact:A1" in artifacts["hovertext"][0] and "run RUN1" in artifacts["hovertext"][0]
    html = lineage_html(graph, "artifact:A1", embed_plotly=False)
    assert "<img" not in html and "<svg" in html and "Plotly.newPlot" in html


def test_plotly_js_is_embedded_in_the_first_bundle_only() -> None:
    from lamin_kernel.records import lineage_mime

    lineage_mime._plotly_js_embedded = False
    graph = graph_of(2, [(0, 1)])
    first = lineage_bundle(graph, "n0")["text/html"]
    second = lineage_bundle(graph, "n0")["text/html"]
    assert len(first) > 1_000_000 > len(second)
    assert lineage_mime.plotly_js() in first
