"""A run diff (records/run_diff.py's plain data) as text for terminals and as HTML for notebooks."""

from __future__ import annotations

from html import escape
from typing import Any

MAPPING_SECTIONS = (("params", "Params"), ("features", "Feature values"))
RECORD_SECTIONS = (("inputs", "Inputs"), ("outputs", "Outputs"))
MAX_VALUE_CHARS = 120


def _value(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _run_line(summary: dict[str, Any]) -> str:
    transform = summary["transform"]
    version = f" {transform['version_tag']}" if transform.get("version_tag") else ""
    started = summary.get("started_at")
    when = f", started {started:%Y-%m-%d %H:%M:%S}" if started is not None else ""
    return f"run {summary['uid']} of {transform['key']}{version} ({transform['uid']}){when}"


def _version(ref: dict[str, Any]) -> str:
    tag = ref.get("version_tag")
    return f"{ref['uid']}" + (f" (version {tag})" if tag else "")


def _short_hash(ref: dict[str, Any]) -> str:
    return str(ref.get("hash") or "no hash")


def mapping_lines(part: dict[str, Any], separator: str = "==") -> list[str]:
    lines = [f"  + {n}{separator}{_value(v)}" for n, v in part["added"].items()]
    lines += [f"  - {n}{separator}{_value(v)}" for n, v in part["removed"].items()]
    lines += [f"  ~ {n}: {_value(a)} → {_value(b)}" for n, (a, b) in part["changed"].items()]
    return lines


def record_lines(section: str, part: dict[str, Any]) -> list[str]:
    lines = [f"  + {r['label']} [{r['registry']} {_version(r)}]" for r in part["added"]]
    lines += [f"  - {r['label']} [{r['registry']} {_version(r)}]" for r in part["removed"]]
    for change in part["changed"]:
        a, b = change["a"], change["b"]
        if section == "outputs":
            detail = f"hash {_short_hash(a)} → {_short_hash(b)}"
        else:
            detail = f"{_version(a)} → {_version(b)}"
        lines.append(f"  ~ {change['label']}: {detail}")
    if section == "outputs":
        for same in part["same"]:
            lines.append(f"  = {same['label']}: same hash {_short_hash(same['b'])}")
    return lines


def _same_note(n_same: int, lines: list[str]) -> str:
    if not lines:
        return f" the same ({n_same})" if n_same else " none"
    return f" ({n_same} the same)" if n_same else ""


def source_lines(source: dict[str, Any]) -> list[str]:
    if source["same"]:
        return ["Source: the same"]
    cells = source.get("cells")
    if cells is None:
        return ["Source:", *("  " + line for line in source["unified"].splitlines())]
    lines = [f"Source, cell by cell ({source['n_same_cells']} cells the same):"]
    for cell in cells:
        index = cell["index_b"] if cell["index_b"] is not None else cell["index_a"]
        ident = f" id {cell['cell_id']}" if cell["cell_id"] else ""
        lines.append(f"  cell {index + 1}{ident}: {cell['status']}")
        lines += ["    " + line for line in cell["diff"].splitlines()]
    return lines


def diff_text(data: dict[str, Any]) -> str:
    lines = [f"a: {_run_line(data['a'])}", f"b: {_run_line(data['b'])}"]
    if not data["differs"]:
        lines.append("no differences in params, features, inputs, outputs, environment or source")
    for section, title in MAPPING_SECTIONS:
        body = mapping_lines(data[section], separator="=")
        lines += [f"{title}:{_same_note(data[section]['n_same'], body)}", *body]
    for section, title in RECORD_SECTIONS:
        part = data[section]
        body = record_lines(section, part)
        n_same = 0 if section == "outputs" else len(part["same"])
        lines += [f"{title}:{_same_note(n_same, body)}", *body]
    environment = data["environment"]
    body = mapping_lines(environment)
    lines += [f"Environment:{_same_note(environment['n_same'], body)}", *body]
    lines += source_lines(data["source"])
    return "\n".join(lines)


_STYLE = (
    "<style>.lk-run-diff td{padding:1px 8px;text-align:left;vertical-align:top}"
    ".lk-run-diff .add{color:#1a7f37}.lk-run-diff .del{color:#cf222e}"
    ".lk-run-diff pre{margin:2px 0;font-size:90%}</style>"
)


def _html_rows(lines: list[str]) -> str:
    rows = []
    for line in lines:
        mark = line.strip()[:1]
        css = {"+": "add", "-": "del"}.get(mark, "")
        rows.append(f'<tr><td class="{css}">{escape(line.strip())}</td></tr>')
    return "".join(rows)


def _diff_pre(text: str) -> str:
    spans = []
    for line in text.splitlines():
        css = "add" if line.startswith("+") else "del" if line.startswith("-") else ""
        spans.append(f'<span class="{css}">{escape(line)}</span>')
    return "<pre>" + "\n".join(spans) + "</pre>"


def _section_html(title: str, note: str, lines: list[str]) -> str:
    head = f"<h4>{escape(title)}<small>{escape(note)}</small></h4>"
    return head + (f"<table>{_html_rows(lines)}</table>" if lines else "")


def diff_html(data: dict[str, Any]) -> str:
    parts = [
        _STYLE,
        '<div class="lk-run-diff">',
        f"<div>a: {escape(_run_line(data['a']))}</div>",
        f"<div>b: {escape(_run_line(data['b']))}</div>",
    ]
    for section, title in MAPPING_SECTIONS:
        body = mapping_lines(data[section], separator="=")
        parts.append(_section_html(title, _same_note(data[section]["n_same"], body), body))
    for section, title in RECORD_SECTIONS:
        body = record_lines(section, data[section])
        n_same = 0 if section == "outputs" else len(data[section]["same"])
        parts.append(_section_html(title, _same_note(n_same, body), body))
    body = mapping_lines(data["environment"])
    parts.append(
        _section_html("Environment", _same_note(data["environment"]["n_same"], body), body)
    )
    source = data["source"]
    if source["same"]:
        parts.append("<h4>Source<small> the same</small></h4>")
    elif source.get("cells") is None:
        parts.append("<h4>Source</h4>" + _diff_pre(source["unified"]))
    else:
        parts.append(f"<h4>Source<small> ({source['n_same_cells']} cells the same)</small></h4>")
        for cell in source["cells"]:
            index = cell["index_b"] if cell["index_b"] is not None else cell["index_a"]
            parts.append(f"<div>cell {index + 1}: {escape(cell['status'])}</div>")
            parts.append(_diff_pre(cell["diff"]))
    parts.append("</div>")
    return "".join(parts)
