"""describe(): one tree of a record's fields and links, rendered as text, rich, HTML or JSON."""

from __future__ import annotations

import html
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.types import JSON, BigInteger, Boolean, DateTime, Integer, String, Text

from .display import format_datetime, format_size

# Functions (record) -> list[Section] that add sections, e.g. "Dataset features" from curation.
SECTION_PROVIDERS: list[Callable[[Any], list[Section]]] = []
# Registries of optional modules (bionty) that list their relations under their own heading.
MODULE_TITLES = {"bionty": "Bionty fields"}


@dataclass
class Section:
    title: str
    rows: list[list[str]] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


@dataclass
class DescribeTree:
    title: str
    description: str | None
    fields: list[tuple[str, str]]
    sections: list[Section]

    def to_json(self) -> dict[str, Any]:
        def section(s: Section) -> dict[str, Any]:
            return {"title": s.title, "rows": s.rows, "children": [section(c) for c in s.children]}

        return {
            "title": self.title,
            "description": self.description,
            "fields": [list(f) for f in self.fields],
            "sections": [section(s) for s in self.sections],
        }


def _version_suffix(record: Any) -> str:
    uid = getattr(record, "uid", None) or ""
    return f" ({uid[-4:]})" if getattr(type(record), "__lk_versioned__", False) and uid else ""


def record_tree(record: Any) -> DescribeTree:
    """The tree of one record: header fields, storage path, labels and extra sections."""
    model = type(record)
    name_field = getattr(model, "__lk_name_field__", None) or "uid"
    label = getattr(record, name_field, None) or getattr(record, "uid", None)
    fields: list[tuple[str, str]] = [("uid", str(record.uid))]
    run = getattr(record, "run", None) if "run" in inspect(model).relationships else None
    if run is not None:
        key = run.transform.key if run.transform is not None else None
        fields.append(("run", f"{run.uid[:7]} ({key})" if key else run.uid[:7]))
    for name in ("kind", "otype", "hash", "size", "n_files", "n_observations"):
        if name in inspect(model).columns and getattr(record, name) is not None:
            value = getattr(record, name)
            fields.append((name, format_size(value) if name == "size" else str(value)))
    if "branch_id" in inspect(model).columns:
        fields.append(("branch", _branch_name(record.branch_id)))
        fields.append(("space", "all" if record.space_id == 1 else str(record.space_id)))
    if hasattr(record, "created_at"):
        fields.append(("created_at", format_datetime(record.created_at)))
    creator = (
        getattr(record, "created_by", None)
        if "created_by" in inspect(model).relationships
        else None
    )
    if creator is not None:
        fields.append(("created_by", creator.handle))
    sections: list[Section] = []
    path = _storage_path(record)
    if path is not None:
        sections.append(Section("storage/path", rows=[[path]]))
    for provider in SECTION_PROVIDERS:
        sections.extend(provider(record))
    labels = label_section(record)
    if labels.rows:
        sections.append(labels)
    return DescribeTree(
        f"{model.__name__}: {label}{_version_suffix(record)}",
        getattr(record, "description", None),
        fields,
        sections,
    )


def _branch_name(branch_id: int) -> str:
    return {1: "main", 0: "archive", -1: "trash"}.get(branch_id, str(branch_id))


def _storage_path(record: Any) -> str | None:
    if type(record).__name__ != "Artifact":
        return None
    try:
        return str(record.path)
    except Exception:  # a record whose storage cannot be reached still describes itself
        return None


def label_section(record: Any) -> Section:
    """Names of linked labels per relation: ulabels, records, projects, bionty registries."""
    section = Section("Labels")
    for rel in inspect(type(record)).relationships:
        target = rel.mapper.class_
        if not rel.uselist or not getattr(target, "__lk_is_label__", False):
            continue
        names = [
            str(getattr(r, target.__lk_name_field__ or "uid")) for r in getattr(record, rel.key)
        ]
        if names:
            module = getattr(target, "__lk_module__", "core")
            registry = target.__name__ if module == "core" else f"{module}.{target.__name__}"
            section.rows.append([f".{rel.key}", registry, ", ".join(names)])
    return section


SQL_TYPE_NAMES = (
    (BigInteger, "BigIntegerField"),
    (Integer, "IntegerField"),
    (Boolean, "BooleanField"),
    (DateTime, "DateTimeField"),
    (Text, "TextField"),
    (String, "CharField"),
    (JSON, "JSONField"),
)


def _type_name(column: Any) -> str:
    for sql_type, name in SQL_TYPE_NAMES:
        if isinstance(column.type, sql_type):
            return name
    return type(column.type).__name__


def class_tree(model: type) -> DescribeTree:
    """A registry's simple and relational fields (and those added by modules)."""
    mapper = inspect(model)
    simple = Section("Simple fields")
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if column.name.startswith("_") or attr.key == "id" or attr.key.endswith("_id"):
            continue
        simple.rows.append([f".{attr.key}", _type_name(column)])
    relational = Section("Relational fields")
    by_module: dict[str, Section] = {}
    for rel in mapper.relationships:
        target = rel.mapper.class_
        kind = (
            "ManyToManyField"
            if rel.secondary is not None
            else ("ReverseForeignKey" if rel.uselist else "ForeignKey")
        )
        module = getattr(target, "__lk_module__", "core")
        registry = target.__name__ if module == "core" else f"{module}.{target.__name__}"
        row = [f".{rel.key}", f"{registry} ({kind})"]
        if module == "core":
            relational.rows.append(row)
        else:
            by_module.setdefault(
                module, Section(MODULE_TITLES.get(module, f"{module} fields"))
            ).rows.append(row)
    return DescribeTree(model.__name__, None, [], [simple, relational, *by_module.values()])


def render_text(tree: DescribeTree) -> str:
    lines = [tree.title]
    if tree.description:
        lines.append(f"|   description: {tree.description}")
    if tree.fields:
        cells = [f"{k}: {v}" for k, v in tree.fields]
        width = max(len(c) for c in cells) + 2
        rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
        for i, row in enumerate(rows):
            prefix = "├── " if i == 0 else "│   "
            lines.append(prefix + "".join(c.ljust(width) for c in row).rstrip())
    for i, section in enumerate(tree.sections):
        last = i == len(tree.sections) - 1
        lines.extend(_section_lines(section, "", last))
    return "\n".join(lines)


def _section_lines(section: Section, indent: str, last: bool) -> list[str]:
    branch = "└── " if last else "├── "
    child_indent = indent + ("    " if last else "│   ")
    if section.title == "storage/path":
        return [f"{indent}{branch}storage/path: {section.rows[0][0]}"]
    lines = [f"{indent}{branch}{section.title}"]
    for j, row in enumerate(section.rows):
        marker = "└── " if j == 0 else "    "
        cells = (
            [row[0].ljust(30), *(c.ljust(36) for c in row[1:-1]), row[-1]] if len(row) > 1 else row
        )
        lines.append(f"{child_indent}{marker}{' '.join(cells).rstrip()}")
    for k, child in enumerate(section.children):
        lines.extend(_section_lines(child, child_indent, k == len(section.children) - 1))
    return lines


def render_html(tree: DescribeTree) -> str:
    """HTML for notebooks; every value is escaped."""
    esc = html.escape
    parts = [f"<div class='lk-describe'><b>{esc(tree.title)}</b>"]
    if tree.description:
        parts.append(f"<div><i>description:</i> {esc(tree.description)}</div>")
    if tree.fields:
        parts.append(
            "<table>"
            + "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in tree.fields)
            + "</table>"
        )
    for section in tree.sections:
        parts.append(_section_html(section))
    parts.append("</div>")
    return "".join(parts)


def _section_html(section: Section) -> str:
    esc = html.escape
    rows = "".join(
        "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in section.rows
    )
    children = "".join(_section_html(c) for c in section.children)
    return f"<details open><summary>{esc(section.title)}</summary><table>{rows}</table>{children}</details>"


def tree_of(target: Any) -> DescribeTree:
    return class_tree(target) if isinstance(target, type) else record_tree(target)


def describe(target: Any, return_str: bool = False) -> str | None:
    """Print (or return) the describe tree of a record or a registry class."""
    tree = tree_of(target)
    text = render_text(tree)
    if return_str:
        return text
    if sys.stdout.isatty():
        render_rich(tree)
    else:
        print(text)
    return None


def render_rich(tree: DescribeTree) -> None:
    """A coloured tree in terminals."""
    from rich.console import Console
    from rich.markup import escape
    from rich.tree import Tree

    root = Tree(f"[bold]{escape(tree.title)}[/bold]")
    if tree.description:
        root.add(f"[dim]description:[/dim] {escape(tree.description)}")
    if tree.fields:
        root.add("   ".join(f"[dim]{escape(k)}:[/dim] {escape(v)}" for k, v in tree.fields))

    def add(node: Tree, section: Section) -> None:
        branch = node.add(f"[bold]{escape(section.title)}[/bold]")
        for row in section.rows:
            branch.add("  ".join(escape(c) for c in row))
        for child in section.children:
            add(branch, child)

    for section in tree.sections:
        add(root, section)
    Console().print(root)


def describe_html(record: Any) -> str:
    return render_html(tree_of(record))
