"""The MIME bundle `view_lineage()` displays in a notebook.

- `application/vnd.lamin.lineage+json`: the graph, drawn by the JupyterLab extension with
  the same interactive component as its Lineage panel;
- `application/vnd.plotly.v1+json`: a plotly figure, for front ends that render plotly
  (VS Code, JupyterLab with plotly's extension);
- `text/html`: the static SVG, which a script swaps for the plotly figure where scripts run.
  plotly.js itself is embedded in the first bundle of a process only (about 4.6 MB), so the
  notebook and its HTML report read offline; later bundles use the already loaded copy, and
  where there is none (the first output was cleared, a sandboxed report) the SVG stays.
"""

from __future__ import annotations

import json
import uuid
from importlib import resources
from typing import Any

from .lineage_drawing import plotly_figure, render_svg

LINEAGE_MIME = "application/vnd.lamin.lineage+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"

_plotly_js_embedded = False


def plotly_js() -> str | None:
    """The plotly.js bundled with the plotly package, or None when plotly is not installed."""
    try:
        return (resources.files("plotly") / "package_data" / "plotly.min.js").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e")


def lineage_html(graph: dict[str, Any], focus: str | None, embed_plotly: bool) -> str:
    """The SVG, replaced by the interactive plotly figure where scripts run and plotly.js is
    loaded (embedded here when `embed_plotly`)."""
    element = f"lk-lineage-{uuid.uuid4().hex[:12]}"
    library = plotly_js() if embed_plotly else None
    figure = plotly_figure(graph, focus)
    parts = [f'<div id="{element}" class="lk-lineage-fallback">{render_svg(graph, focus)}</div>']
    if library is not None:
        parts.append(f"<script>{library}</script>")
    parts.append(
        "<script>(function(){var el=document.getElementById("
        f"{_script_json(element)});var fig={_script_json(figure)};"
        "if(!el||!window.Plotly){return;}el.textContent='';"
        "window.Plotly.newPlot(el,fig.data,fig.layout,{displaylogo:false,responsive:true});"
        "})();</script>"
    )
    return "".join(parts)


def lineage_bundle(
    graph: dict[str, Any], focus: str | None, direction: str = "upstream", depth: int = 3
) -> dict[str, Any]:
    """The display data of one lineage graph (see the module docstring)."""
    global _plotly_js_embedded
    embed = not _plotly_js_embedded and plotly_js() is not None
    bundle = {
        LINEAGE_MIME: {
            "nodes": graph["nodes"],
            "edges": graph["edges"],
            "root": focus,
            "direction": direction,
            "depth": depth,
        },
        PLOTLY_MIME: plotly_figure(graph, focus),
        "text/html": lineage_html(graph, focus, embed_plotly=embed),
    }
    _plotly_js_embedded = _plotly_js_embedded or embed
    return bundle
