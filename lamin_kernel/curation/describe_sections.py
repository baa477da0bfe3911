"""Feature values in describe(): "Dataset features" (per slot) and "Features" (the others).

`artifact.describe()` gets them as sections of its tree (for artifacts, runs, records and
collections); `obj.features.describe()` prints the compact tree LaminDB prints:

    Artifact: examples/dataset1.parquet (0000)
    └── Dataset features
        └── columns (5)
            cell_type_by_expe…  bionty.CellType          B cell, T cell
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..records import describe
from ..records.registered import registered
from ..setup.session import read_session
from .dtype_display import display_dtype
from .dtypes import parse_dtype
from .feature_read import ValueReader
from .schema import itype_target, members_of
from .value_links import owners

NAME_WIDTH, DTYPE_WIDTH, VALUE_WIDTH, TITLE_WIDTH = 30, 35, 39, 29
COMPACT = (18, 23, 27)  # name, dtype, value widths of features.describe()


def cut(text: str, width: int) -> str:
    """text shortened to width characters, ending in '…' when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def feature_sets(artifact_id: int) -> list[tuple[str, Any]]:
    """(slot, schema) linked to an artifact, in the order they were linked."""
    table = registered.ArtifactSchema.__table__
    schema = registered.Schema
    with read_session() as session:
        rows = session.execute(
            select(table.c.slot, schema)
            .join(schema, schema.id == table.c.schema_id)
            .where(table.c.artifact_id == artifact_id)
            .order_by(table.c.id)
        ).all()
    return [(slot or "", s) for slot, s in rows]


def shown_value(reader: ValueReader, owner_id: int, feature: Any) -> str:
    """A feature's values as one line: labels sorted, lists as lists, dates as ISO."""
    value = reader.value(owner_id, feature)
    if value is None:
        return ""
    dtype = parse_dtype(feature.dtype) if feature.dtype else None
    if dtype is not None and dtype.kind == "list":
        return str(value)
    stored = reader.values[owner_id][feature.id]
    if isinstance(value, set | list):
        items = [str(v) for v in value]
        return ", ".join(sorted(items) if stored.is_label else _in_order(reader, owner_id, feature))
    return str(value)


def _in_order(reader: ValueReader, owner_id: int, feature: Any) -> list[str]:
    from .dtype_values import read_value

    dtype = parse_dtype(feature.dtype)
    return [str(read_value(dtype, v)) for v in reader.values[owner_id][feature.id].json]


def _rows(
    reader: ValueReader, owner_id: int, features: list[Any], widths: tuple[int, ...]
) -> list[list[str]]:
    name_w, dtype_w, value_w = widths
    return [
        [
            cut(f.name, name_w),
            cut(display_dtype(f.dtype), dtype_w),
            cut(shown_value(reader, owner_id, f), value_w),
        ]
        for f in features
    ]


def _ordered(reader: ValueReader, owner_id: int, features: list[Any]) -> list[Any]:
    stored = reader.values.get(owner_id, {})

    def key(f: Any) -> tuple:
        is_label = f.id in stored and stored[f.id].is_label
        is_cat = bool(f.dtype) and parse_dtype(f.dtype).is_cat
        return (not (is_label or is_cat), f.name, f.id)

    return sorted(features, key=key)


def _slot_section(
    slot: str, schema: Any, reader: ValueReader, owner_id: int, widths: tuple[int, ...]
) -> describe.Section:
    members = members_of(schema)
    itype = schema.itype or "Feature"
    if itype_target(itype).registry == "Feature":
        features = sorted(members, key=lambda f: f.name)
        rows = _rows(reader, owner_id, features, widths)
        return describe.Section(f"{slot} ({len(members)})", rows=rows)
    name_field = getattr(type(members[0]), "__lk_name_field__", "name") if members else "name"
    shown = sorted(str(getattr(m, name_field, None) or m.uid) for m in members)
    dtype = display_dtype(schema.dtype)
    rows = [[cut(name, widths[0]), dtype, ""] for name in shown]
    title = cut(f"{slot} ({schema.n_members or len(members)} {itype})", TITLE_WIDTH)
    return describe.Section(title, rows=rows)


def sections_for(
    record: Any, widths: tuple[int, ...] = (NAME_WIDTH, DTYPE_WIDTH, VALUE_WIDTH)
) -> list[describe.Section]:
    """Dataset features (per slot, artifacts only) and Features (the other values)."""
    owner = type(record).__name__
    if owner not in owners() or getattr(record, "id", None) is None:
        return []
    reader = ValueReader.for_owners(owner, [record.id])
    sections = []
    in_slots: set[int] = set()
    children = []
    slots = feature_sets(record.id) if owner == "Artifact" else []
    for slot, schema in slots:
        children.append(_slot_section(slot, schema, reader, record.id, widths))
        if (schema.itype or "Feature") == "Feature":
            in_slots.update(m.id for m in members_of(schema))
    if children:
        sections.append(describe.Section("Dataset features", children=children))
    others = [f for f in reader.ordered_features(record.id) if f.id not in in_slots]
    if others:
        rows = _rows(reader, record.id, _ordered(reader, record.id, others), widths)
        sections.append(describe.Section("Features", rows=rows))
    return sections


def features_tree(record: Any) -> str:
    """The compact tree of `obj.features.describe()`."""
    tree = describe.record_tree(record)
    lines = [tree.title]
    if tree.description:
        lines.append(f"|   description: {tree.description}")
    sections = sections_for(record, COMPACT)
    for i, section in enumerate(sections):
        last = i == len(sections) - 1
        lines.extend(_compact_lines(section, "", last))
    return "\n".join(lines)


def _row_text(row: list[str]) -> str:
    name_w, dtype_w, _ = COMPACT
    return (row[0].ljust(name_w + 2) + row[1].ljust(dtype_w + 2) + row[2]).rstrip()


def _compact_lines(section: describe.Section, indent: str, last: bool) -> list[str]:
    branch = "└── " if last else "├── "
    child_indent = indent + ("    " if last else "│   ")
    lines = [f"{indent}{branch}{section.title}"]
    for j, row in enumerate(section.rows):
        marker = "└── " if j == 0 and not indent else ""
        prefix = child_indent + (marker or ("    " if not indent else ""))
        lines.append(prefix + _row_text(row))
    for k, child in enumerate(section.children):
        lines.extend(_compact_lines(child, child_indent, k == len(section.children) - 1))
    return lines


def register() -> None:
    """Add the sections to every record's describe() (once)."""
    if sections_for not in describe.SECTION_PROVIDERS:
        describe.SECTION_PROVIDERS.append(sections_for)
