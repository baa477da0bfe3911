"""describe(): one tree of a record's fields and links, rendered as text, rich, HTML or JSON."""

from __future__ import annotations

import html
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.types import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    SmallInteger,
    String,
    Text,
)

from ..errors import InvalidArgument
from ..setup.session import block_memo, read_session
from . import blocks
from .display import format_datetime, format_size
from .registered import registered

# Functions (record) -> list[Section] that add sections, e.g. "Dataset features" from curation.
SECTION_PROVIDERS: list[Callable[[Any], list[Section]]] = []
# Registries of optional modules (bionty) that list their relations under their own heading.
MODULE_TITLES = {"bionty": "Bionty fields"}


@dataclass
class Section:
    title: str
    rows: list[list[str]] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    text: bool = False  # rows are lines of markdown, shown as they are


@dataclass
class DescribeTree:
    title: str
    description: str | None
    fields: list[tuple[str, str]]
    sections: list[Section]
    is_class: bool = False  # a registry's fields rather than one record

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


def notes_sections(record: Any, include: str | None) -> list[Section]:
    """The latest readme of a record ("Notes") and, with include="comments", its comments."""
    if "ablocks" not in inspect(type(record)).relationships:
        return []
    sections = [
        Section("Notes:", rows=[[line] for line in block.content.splitlines()], text=True)
        for block in blocks.attached_blocks(record, "readme")
    ]
    if include == "comments":
        for block in blocks.attached_blocks(record, "comment"):
            handle = _creator_handle(block)
            title = f"comment by {handle} at {format_datetime(block.created_at)}:"
            sections.append(
                Section(title, rows=[[line] for line in block.content.splitlines()], text=True)
            )
    return sections


def _creator_handle(block: Any) -> str:
    creator = getattr(block, "created_by", None)
    if creator is None and block.created_by_id is not None:
        creator = registered.User.get(block.created_by_id)
    return str(getattr(creator, "handle", None) or "unknown")


def record_tree(record: Any, include: str | None = None) -> DescribeTree:
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
    sections.extend(notes_sections(record, include))
    return DescribeTree(
        f"{model.__name__}: {label}{_version_suffix(record)}",
        getattr(record, "description", None),
        fields,
        sections,
    )


def _branch_name(branch_id: int) -> str:
    return {1: "main", 0: "archive", -1: "trash"}.get(branch_id, str(branch_id))


def _storage_path(record: Any) -> str | None:
    if not isinstance(record, registered.Artifact):
        return None
    try:
        return str(record.path)
    except Exception:  # a record whose storage cannot be reached still describes itself
        return None


def linked_labels(record: Any) -> dict[str, list[Any]]:
    """{relation: linked label records} for each label relation of the record: one SELECT per
    relation, read once per read block (a record page shows them twice: in its describe()
    tree and in its labels)."""
    if getattr(record, "id", None) is None:
        return _read_labels(record)
    known: dict = block_memo().setdefault("linked_labels", {})
    key = (type(record).__name__, record.id)
    if key not in known:
        known[key] = _read_labels(record)
    return known[key]


def _read_labels(record: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for rel in inspect(type(record)).relationships:
        target = rel.mapper.class_
        if rel.uselist and getattr(target, "__lk_is_label__", False):
            found[rel.key] = list(iter(getattr(record, rel.key)))  # iter: no count first
    return found


def label_section(record: Any) -> Section:
    """Names of linked labels per relation: ulabels, records, projects, bionty registries."""
    section = Section("Labels")
    relationships = inspect(type(record)).relationships
    for key, linked in linked_labels(record).items():
        target = relationships[key].mapper.class_
        names = [str(getattr(r, target.__lk_name_field__ or "uid")) for r in linked]
        if names:
            module = getattr(target, "__lk_module__", "core")
            registry = target.__name__ if module == "core" else f"{module}.{target.__name__}"
            section.rows.append([f".{key}", registry, ", ".join(names)])
    return section


SQL_TYPE_NAMES = (
    (BigInteger, "BigIntegerField"),
    (SmallInteger, "SmallIntegerField"),
    (Integer, "IntegerField"),
    (Float, "FloatField"),
    (Boolean, "BooleanField"),
    (DateTime, "DateTimeField"),
    (Date, "DateField"),
    (Text, "TextField"),
    (String, "CharField"),
    (JSON, "JSONField"),
)
# fields every registry of a kind has; LaminDB lists them after a registry's own fields
SHARED_SIMPLE = ("version_tag", "is_latest", "is_type", "is_locked", "created_at", "updated_at")
SHARED_RELATIONS = ("branch", "created_on", "space")


def _type_name(column: Any) -> str:
    sql = getattr(column.type, "impl_instance", column.type)  # sqlmodel's AutoString: a String
    for sql_type, name in SQL_TYPE_NAMES:
        if isinstance(sql, sql_type):
            return name
    return type(sql).__name__


def simple_fields(model: type) -> list[tuple[str, str]]:
    """(name, Django-style type) of the public, non-key columns: own fields first."""
    kinds = getattr(model, "__lk_field_kinds__", {})  # where LaminDB's Django field differs
    fields = [
        (attr.key, kinds.get(attr.key) or _type_name(attr.columns[0]))
        for attr in inspect(model).column_attrs
        if not attr.columns[0].name.startswith("_")
        and attr.key != "id"
        and not attr.columns[0].foreign_keys
    ]
    own = [f for f in fields if f[0] not in SHARED_SIMPLE]
    shared = sorted(
        (f for f in fields if f[0] in SHARED_SIMPLE), key=lambda f: SHARED_SIMPLE.index(f[0])
    )
    return own + shared


def relational_fields(model: type) -> list[tuple[str, Any]]:
    """(name, target registry) of the relations: in the order a registry declares
    (`__lk_describe_relations__`, LaminDB's), else branch, created_on and space first, then
    the other relations to one record, then those to many."""
    declared = getattr(model, "__lk_describe_relations__", None)
    if declared is not None:
        return _declared_relations(model, declared)
    relations = [(rel.key, rel) for rel in inspect(model).relationships]
    shared = sorted(
        (r for r in relations if r[0] in SHARED_RELATIONS),
        key=lambda r: SHARED_RELATIONS.index(r[0]),
    )
    to_one = [r for r in relations if r[0] not in SHARED_RELATIONS and not r[1].uselist]
    to_many = [r for r in relations if r[0] not in SHARED_RELATIONS and r[1].uselist]
    return [(name, rel.mapper.class_) for name, rel in shared + to_one + to_many]


def _declared_relations(model: type, declared: dict[str, str | None]) -> list[tuple[str, Any]]:
    """The declared relations that exist, then relations of other modules not declared."""
    relationships = inspect(model).relationships
    fields: list[tuple[str, Any]] = []
    for name, target in declared.items():
        if target is not None:
            fields.append((name, target))
        elif name in relationships:
            fields.append((name, relationships[name].mapper.class_))
    fields += [
        (rel.key, rel.mapper.class_)
        for rel in relationships
        if rel.key not in declared and getattr(rel.mapper.class_, "__lk_module__", "core") != "core"
    ]
    return fields


def _registry_label(target: Any) -> str:
    if isinstance(target, str):
        return target
    module = getattr(target, "__lk_module__", "core")
    return target.__name__ if module == "core" else f"{module}.{target.__name__}"


def class_tree(model: type) -> DescribeTree:
    """A registry's simple and relational fields (those of modules under their own heading)."""
    simple = Section("Simple fields", rows=[[f".{n}", t] for n, t in simple_fields(model)])
    relational = Section("Relational fields")
    by_module: dict[str, Section] = {}
    for name, target in relational_fields(model):
        row = [f".{name}", _registry_label(target)]
        module = getattr(target, "__lk_module__", "core")  # a declared name: core
        if module == "core":
            relational.rows.append(row)
        else:
            title = MODULE_TITLES.get(module, f"{module.capitalize()} fields")
            by_module.setdefault(module, Section(title)).rows.append(row)
    sections = [s for s in (simple, relational, *by_module.values()) if s.rows]
    return DescribeTree(model.__name__, None, [], sections, is_class=True)


def render_class_text(tree: DescribeTree) -> str:
    """LaminDB's layout: the registry, its sections indented by two, fields by four."""
    lines = [tree.title]
    for section in tree.sections:
        lines.append(f"  {section.title}")
        lines.extend(f"    {row[0]}: {row[1]}" for row in section.rows)
    return "\n".join(lines)


def render_text(tree: DescribeTree) -> str:
    if tree.is_class:
        return render_class_text(tree)
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
    if section.text:
        return [f"{indent}{branch}{section.title}"] + [
            f"{child_indent}│ {row[0]}".rstrip() for row in section.rows
        ]
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


def link_tree(link: Any) -> DescribeTree:
    """The tree of a link row (it has no uid): its columns, each foreign key with the row it
    names (`project: my project`)."""
    mapper = inspect(type(link))
    fields: list[tuple[str, str]] = []
    for column in mapper.columns:
        value = getattr(link, column.key, None)
        relation = column.key[:-3] if column.key.endswith("_id") else None
        if relation in mapper.relationships and value is not None:
            fields.append((relation, _row_label(getattr(link, relation))))
        elif column.key != "id" and value is not None:
            shown = format_datetime(value) if column.key == "created_at" else str(value)
            fields.append((column.key, shown))
    return DescribeTree(f"{type(link).__name__} (id={link.id})", None, fields, [])


def _row_label(row: Any) -> str:
    """A row as one link field shows it: its name (handle, key), else its uid, else its id."""
    if row is None:
        return "(deleted)"
    name_field = getattr(type(row), "__lk_name_field__", None)
    for name in (name_field, "handle", "key", "uid"):
        value = getattr(row, name, None) if name else None
        if value:
            return str(value)
    return f"id={row.id}"


def tree_of(target: Any, include: str | None = None) -> DescribeTree:
    if isinstance(target, type):
        return class_tree(target)
    with read_session():  # one read transaction for its few dozen queries, not one each
        if "uid" not in inspect(type(target)).columns:
            if include is not None:
                raise InvalidArgument("a link row has no comments: describe() takes no include")
            return link_tree(target)
        return record_tree(target, include)


def describe(target: Any, return_str: bool = False, include: str | None = None) -> str | None:
    """Print (or return) the describe tree of a record or a registry class; include="comments"
    adds the comments attached to a record."""
    if include not in (None, "comments"):
        raise InvalidArgument(f"include takes None or 'comments', got {include!r}")
    tree = tree_of(target, include)
    text = render_text(tree)
    if return_str:
        return text
    if sys.stdout.isatty() and not tree.is_class:
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
