"""HierarchyView: a record's parents (and children) as text in a terminal, SVG in a notebook.

The SVG is laid out in rows, one per distance from the record: ancestors above, the record
highlighted, children below; arrows point from parent to child. Every label is escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

ROW_HEIGHT = 70
BOX_HEIGHT = 28
CHAR_WIDTH = 7
GAP = 16
MAX_LABEL = 48


def short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


@dataclass
class HierarchyView:
    """The record `root`, the labels of the records around it and the (child, parent) links."""

    root: int
    labels: dict[int, str]
    edges: set[tuple[int, int]] = field(default_factory=set)

    # -- structure ---------------------------------------------------------------------------
    def parents_of(self, node: int) -> list[int]:
        return sorted((p for c, p in self.edges if c == node), key=self._label)

    def children_of(self, node: int) -> list[int]:
        return sorted((c for c, p in self.edges if p == node), key=self._label)

    def _label(self, node: int) -> str:
        return self.labels.get(node, str(node))

    def levels(self) -> dict[int, int]:
        """Rows: ancestors at their shortest distance up (1, 2, ...), descendants down (-1, ...)."""
        level = {self.root: 0}
        frontier = [self.root]
        while frontier:
            reached = []
            for node in frontier:
                for parent in self.parents_of(node):
                    if parent not in level:
                        level[parent] = level[node] + 1
                        reached.append(parent)
            frontier = reached
        frontier = [self.root]
        while frontier:  # descendants below: children at -1, theirs at -2, ...
            reached = []
            for node in frontier:
                for child in self.children_of(node):
                    if child not in level:
                        level[child] = level[node] - 1
                        reached.append(child)
            frontier = reached
        return level

    # -- text --------------------------------------------------------------------------------
    def to_text(self) -> str:
        """The ancestors as an indented tree under the record; children listed after."""
        lines = [self._label(self.root)]
        self._text_parents(self.root, "", lines, {self.root})
        children = self.children_of(self.root)
        if children:
            lines.append("children: " + ", ".join(self._label(c) for c in children))
        return "\n".join(lines)

    def _text_parents(self, node: int, indent: str, lines: list[str], path: set[int]) -> None:
        parents = [p for p in self.parents_of(node) if p not in path]
        for i, parent in enumerate(parents):
            last = i == len(parents) - 1
            lines.append(f"{indent}{'└── ' if last else '├── '}{self._label(parent)}")
            self._text_parents(
                parent, indent + ("    " if last else "│   "), lines, path | {parent}
            )

    def __repr__(self) -> str:
        return self.to_text()

    # -- SVG ---------------------------------------------------------------------------------
    def _positions(self) -> tuple[dict[int, tuple[float, float, float]], float, float]:
        """node -> (centre x, top y, box width); and the canvas size."""
        level = self.levels()
        rows: dict[int, list[int]] = {}
        for node, row in level.items():
            rows.setdefault(row, []).append(node)
        widths = {n: max(60, CHAR_WIDTH * len(short(self._label(n))) + 20) for n in level}
        row_width = {r: sum(widths[n] for n in ns) + GAP * (len(ns) + 1) for r, ns in rows.items()}
        canvas_width = max(row_width.values())
        top_row = max(rows)
        positions = {}
        for row, nodes in rows.items():
            x = (canvas_width - row_width[row]) / 2 + GAP
            y = (top_row - row) * ROW_HEIGHT + GAP
            for node in sorted(nodes, key=self._label):
                positions[node] = (x + widths[node] / 2, y, widths[node])
                x += widths[node] + GAP
        height = (top_row - min(rows)) * ROW_HEIGHT + BOX_HEIGHT + 2 * GAP
        return positions, canvas_width, height

    def to_svg(self) -> str:
        """The graph as a standalone SVG document."""
        positions, width, height = self._positions()
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" font-size="12">',
            '<defs><marker id="lk-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path d="M 0 0 L 10 5 L 0 10 z" fill="#666"/></marker></defs>',
        ]
        for child, parent in sorted(self.edges):
            if child in positions and parent in positions:
                px, py, _ = positions[parent]
                cx, cy, _ = positions[child]
                parts.append(
                    f'<line x1="{px:.1f}" y1="{py + BOX_HEIGHT:.1f}" x2="{cx:.1f}" y2="{cy:.1f}" '
                    'stroke="#666" marker-end="url(#lk-arrow)"/>'
                )
        for node, (x, y, w) in positions.items():
            fill = "#fde68a" if node == self.root else "#e5e7eb"
            label = html.escape(short(self._label(node)), quote=True)
            title = html.escape(self._label(node), quote=True)
            parts.append(
                f'<g><title>{title}</title><rect x="{x - w / 2:.1f}" y="{y:.1f}" width="{w:.0f}" '
                f'height="{BOX_HEIGHT}" rx="6" fill="{fill}" stroke="#888"/>'
                f'<text x="{x:.1f}" y="{y + BOX_HEIGHT / 2 + 4:.1f}" text-anchor="middle">'
                f"{label}</text></g>"
            )
        parts.append("</svg>")
        return "".join(parts)

    def _repr_svg_(self) -> str:
        return self.to_svg()
