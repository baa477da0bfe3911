"""The run report: an executed notebook rendered to one HTML file that reads offline.

nbconvert's ``lab`` template, minus everything it would fetch from a CDN
(require.js, MathJax, mermaid, the widgets manager): CSS is inlined, images in
markdown are embedded, outputs are kept (widgets show their text fallback,
LaTeX stays as source). Importing nbconvert takes 1.2–2.8 s, 0.9–2.2 s of it
``rfc3987_syntax`` building a grammar when ``jsonschema`` loads (through
nbformat's validator). When jsonschema is not loaded yet, it is loaded here without
that module (``_without_iri_grammar``): jsonschema then skips only its optional
``iri``/``iri-reference`` format checks, which notebooks never use. And
``preload_report_renderer()`` pays the rest in a background thread at ``track()`` time,
so that ``finish()`` finds it warm.

Each cell keeps nbconvert's anchor ``id="cell-id=<its nbformat id>"`` (``cell_anchor``), so
``<report url>#cell-id=<id>`` opens the report at the cell that saved or loaded an artifact;
that cell is outlined (``:target``) and its ``In [n]:`` prompt links to its own anchor.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_OFFLINE_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
.jp-Cell[id] { scroll-margin-top: 16px; }
.jp-Cell:target { outline: 2px solid #1976d2; outline-offset: 4px; }
a.lk-CellAnchor { color: inherit; text-decoration: none; }
a.lk-CellAnchor:hover { text-decoration: underline; }
</style>
{%- endblock extra_css -%}
{% block in_prompt -%}
<div class="jp-InputPrompt jp-InputArea-prompt">
{%- set count = cell.execution_count if cell.execution_count is not none else "&nbsp;" -%}
{%- if cell.id -%}
<a class="lk-CellAnchor" href="#{{ ('cell-id=' ~ cell.id) | escape_html }}"
title="Link to this cell">In&nbsp;[{{ count }}]:</a>
{%- else -%}
In&nbsp;[{{ count }}]:
{%- endif -%}
</div>
{%- endblock in_prompt %}
"""

# nbconvert's priority without the widget view, which needs a renderer from a CDN
_DISPLAY_PRIORITY = [
    "application/javascript",
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "text/vnd.mermaid",
    "text/latex",
    "image/png",
    "image/jpeg",
    "text/plain",
]

_WARM_UP_NOTEBOOK: dict[str, Any] = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {"language_info": {"name": "python", "pygments_lexer": "ipython3"}},
    "cells": [
        {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "# warm *up* $x$"},
        {
            "cell_type": "code",
            "id": "c",
            "metadata": {},
            "execution_count": 1,
            "source": "import os\nos.getcwd()",
            "outputs": [
                {
                    "output_type": "execute_result",
                    "execution_count": 1,
                    "metadata": {},
                    "data": {"text/plain": "'/'", "text/html": "<b>/</b>"},
                }
            ],
        },
    ],
}

_lock = threading.Lock()
_exporter: Any = None
_IRI_GRAMMAR = "rfc3987_syntax"


@contextmanager
def _without_iri_grammar() -> Iterator[None]:
    """Import jsonschema (if it is not loaded yet) without ``rfc3987_syntax``'s 1–2 s grammar."""
    block = "jsonschema" not in sys.modules and _IRI_GRAMMAR not in sys.modules
    if block:
        sys.modules[_IRI_GRAMMAR] = None  # type: ignore[assignment]  # "import" raises ImportError
    try:
        yield
    finally:
        if block and sys.modules.get(_IRI_GRAMMAR, 0) is None:
            del sys.modules[_IRI_GRAMMAR]  # a later explicit import works as usual


def _nbformat() -> Any:
    with _without_iri_grammar():
        import nbformat
    return nbformat


def cell_anchor(cell_id: str) -> str:
    """The fragment (without ``#``) of a cell in a report: the id nbconvert gives its element."""
    return f"cell-id={cell_id}"


def preload_report_renderer() -> threading.Thread:
    """Start a daemon thread that imports nbconvert and renders a tiny notebook once."""
    thread = threading.Thread(target=_warm_up, name="lamin-report-preload", daemon=True)
    thread.start()
    return thread


def _warm_up() -> None:
    try:
        _render(_nbformat().from_dict(_WARM_UP_NOTEBOOK), name="warm-up", folder=None)
    except Exception:  # a broken nbconvert surfaces at finish(), with its own error
        pass


def render_notebook_html(nb_path: Path | str) -> str:
    """The notebook at ``nb_path`` (with the outputs it has) as a self-contained HTML page."""
    nbformat = _nbformat()
    path = Path(nb_path)
    with warnings.catch_warnings():  # e.g. MissingIDFieldWarning: the user cannot act on it here
        warnings.simplefilter("ignore")
        notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    return _render(notebook, name=path.stem, folder=path.parent)


def _render(notebook: Any, name: str, folder: Path | None) -> str:
    """Render with the shared exporter; the lock also waits for a running warm-up."""
    resources = {"metadata": {"name": name, "path": str(folder or Path.cwd())}}
    with _lock:
        html, _ = _html_exporter().from_notebook_node(notebook, resources=resources)
    return html


def _html_exporter() -> Any:
    """One HTMLExporter per process: building its Jinja environment is part of the first-render cost."""
    global _exporter
    if _exporter is None:
        with _without_iri_grammar():
            from nbconvert.exporters.html import HTMLExporter
            from traitlets.config import Config

        config = Config(
            {
                "NbConvertBase": {"display_data_priority": _DISPLAY_PRIORITY},
                # one print() can reach the kernel's output as several stream messages (a
                # busy machine flushes between them); JupyterLab shows them as one block
                "CoalesceStreamsPreprocessor": {"enabled": True},
            }
        )
        _exporter = HTMLExporter(
            config=config,
            template_name="lab",
            raw_template=_OFFLINE_TEMPLATE,
            embed_images=True,
            log=_nbconvert_log(),
        )
    return _exporter


def _nbconvert_log() -> logging.Logger:
    """nbconvert's own logger for us: its warnings (missing alt text) are not the user's business."""
    log = logging.getLogger(f"{__name__}.nbconvert")
    log.setLevel(logging.ERROR)
    return log


_EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|@import\s+(?:url\()?["']?((?:https?:)?//[^"')\s;]+)"""
    r"""|\bimport\(\s*["']((?:https?:)?//[^"']+)""",
    re.IGNORECASE,
)


def external_resources(html: str) -> list[str]:
    """URLs the page would load from the network: scripts, styles, images, frames, imports.

    Plain links (``<a href>``) are not resources. Outputs that themselves load
    from a CDN (a plotly figure in "cdn" mode, say) show up here too.
    """
    return [next(group for group in match.groups() if group) for match in _EXTERNAL.finditer(html)]
