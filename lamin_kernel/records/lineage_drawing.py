"""Drawing a lineage graph without JupyterLab: the project's layered layout
(`layered_layout`, the idea of the labextension's `lineage/layered.ts`), as a standalone SVG
and as a plotly figure.

Edges spanning several layers go through the dummy vertices the layout adds, and cross
each layer's column horizontally at their dummy's height, so no edge ever passes under a
node it does not connect (`edge_points` is what the tests check). Data flows left to right.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from .layered_layout import layered_layout

NODE_W, NODE_H, LAYER_GAP, ROW_GAP, PAD = 200.0, 46.0, 64.0, 18.0, 16.0
LABEL_CHARS = 30
# kind -> (fill, stroke, corner radius); the JupyterLab component uses theme colours instead
NODE_STYLE = {
    "artifact": ("#e8f0fe", "#1a73e8", 6),
    "collection": ("#e6f4ea", "#188038", 6),
    "run": ("#f1f3f4", "#5f6368", 23),
    "transform": ("#fef7e0", "#b06000", 0),
}

Point = tuple[float, float]


@dataclass
class GraphLayout:
    """Node centres and each edge's polyline, in pixels; `width`/`height` of the drawing."""

    centres: dict[str, Point]
    edges: list[tuple[str, str, list[Point]]]
    width: float
    height: float


def layout_graph(graph: dict[str, Any]) -> GraphLayout:
    """Lay the graph out in layers (`layered_layout`; cycles are broken there)."""
    ids = [n["id"] for n in graph["nodes"]]
    if not ids:
        return GraphLayout({}, [], 2 * PAD, 2 * PAD)
    index = {node_id: i for i, node_id in enumerate(ids)}
    pairs = [
        (index[e["source"]], index[e["target"]])
        for e in graph["edges"]
        if e["source"] in index and e["target"] in index
    ]
    placed = layered_layout(len(ids), pairs)
    step_x, step_y = NODE_W + LAYER_GAP, NODE_H + ROW_GAP

    def pixel(vertex: int) -> Point:
        return (
            PAD + NODE_W / 2 + placed.layer[vertex] * step_x,
            PAD + NODE_H / 2 + placed.position[vertex] * step_y,
        )

    centres = {node_id: pixel(i) for i, node_id in enumerate(ids)}
    edges = [
        (ids[s], ids[t], edge_points([pixel(v) for v in chain]))
        for (s, t), chain in zip(placed.edges, placed.chains, strict=True)
    ]
    corners = [pixel(v) for v in range(len(placed.layer))]
    width = max(x for x, _ in corners) + NODE_W / 2 + PAD
    return GraphLayout(centres, edges, width, max(y for _, y in corners) + NODE_H / 2 + PAD)


def edge_points(points: list[Point]) -> list[Point]:
    """A polyline leaving the source's side, crossing each dummy's layer column flat at the
    dummy's height, entering the target's side (direction of layers, either way)."""
    forward = points[-1][0] >= points[0][0]
    half = NODE_W / 2 if forward else -NODE_W / 2
    line = [(points[0][0] + half, points[0][1])]
    for x, y in points[1:-1]:
        line += [(x - half, y), (x + half, y)]
    line.append((points[-1][0] - half, points[-1][1]))
    return line


def short_label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def hover_text(node: dict[str, Any]) -> str:
    """What hovering a node shows: registry, uid, key or name, and the run that made it."""
    lines = [f"{node['registry']} {node['uid']}", str(node.get("label") or "")]
    if node.get("run"):
        lines.append(f"run {node['run']}")
    return "\n".join(line for line in lines if line)


def render_svg(graph: dict[str, Any], focus: str | None = None) -> str:
    """A standalone SVG of the graph (a `<title>` per node is its hover text); labels escaped."""
    esc = html.escape
    drawn = layout_graph(graph)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{drawn.width:.0f}" '
        f'height="{drawn.height:.0f}" viewBox="0 0 {drawn.width:.0f} {drawn.height:.0f}" '
        'font-family="sans-serif" font-size="12">',
        '<defs><marker id="lk-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#80868b"/></marker></defs>',
    ]
    for source, target, points in drawn.edges:
        d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))
        parts.append(
            f'<path class="lk-edge" data-source="{esc(source)}" data-target="{esc(target)}" '
            f'd="{d}" fill="none" stroke="#80868b" stroke-width="1.2" '
            'stroke-linejoin="round" marker-end="url(#lk-arrow)"/>'
        )
    for node in graph["nodes"]:
        cx, cy = drawn.centres[node["id"]]
        x, y = cx - NODE_W / 2, cy - NODE_H / 2
        fill, stroke, radius = NODE_STYLE.get(node["kind"], ("#ffffff", "#5f6368", 4))
        width_px = 3 if node["id"] == focus else 1.2
        parts.append(
            f'<g class="lk-node lk-{esc(node["kind"])}" data-node-id="{esc(node["id"])}">'
            f"<title>{esc(hover_text(node))}</title>"
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{NODE_W:.0f}" height="{NODE_H:.0f}" '
            f'rx="{radius}" fill="{fill}" stroke="{stroke}" stroke-width="{width_px}"/>'
            f'<text x="{x + 10:.0f}" y="{y + 16:.0f}" font-size="10" fill="{stroke}">'
            f"{esc(node['kind'])}</text>"
            f'<text x="{x + 10:.0f}" y="{y + 34:.0f}" fill="#202124">'
            f"{esc(short_label(str(node['label'])))}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def plotly_figure(graph: dict[str, Any], focus: str | None = None) -> dict[str, Any]:
    """The graph as a plotly figure (plain JSON): one line trace for the edges, one marker
    trace per kind whose hover shows uid, key and run; y grows downwards like the SVG."""
    drawn = layout_graph(graph)
    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for _, _, points in drawn.edges:
        edge_x += [p[0] for p in points] + [None]
        edge_y += [p[1] for p in points] + [None]
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": edge_x,
            "y": edge_y,
            "line": {"color": "#80868b", "width": 1.2},
            "hoverinfo": "skip",
            "showlegend": False,
        }
    ]
    for kind, (fill, stroke, _) in NODE_STYLE.items():
        nodes = [n for n in graph["nodes"] if n["kind"] == kind]
        if not nodes:
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": kind,
                "x": [drawn.centres[n["id"]][0] for n in nodes],
                "y": [drawn.centres[n["id"]][1] for n in nodes],
                "text": [short_label(str(n["label"])) for n in nodes],
                "textposition": "middle center",
                "hovertext": [hover_text(n).replace("\n", "<br>") for n in nodes],
                "hoverinfo": "text",
                "marker": {
                    "symbol": "square" if kind != "run" else "circle",
                    "size": 34,
                    "color": fill,
                    "line": {
                        "color": stroke,
                        "width": [3 if n["id"] == focus else 1.2 for n in nodes],
                    },
                },
                "customdata": [n["uid"] for n in nodes],
            }
        )
    return {
        "data": data,
        "layout": {
            "showlegend": True,
            "hovermode": "closest",
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "xaxis": {"visible": False},
            "yaxis": {"visible": False, "autorange": "reversed"},
            "height": max(240, min(900, drawn.height + 40)),
            "plot_bgcolor": "rgba(0,0,0,0)",
            "paper_bgcolor": "rgba(0,0,0,0)",
        },
    }
