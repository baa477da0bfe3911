"""A schema's describe() tree, laid out as LaminDB prints it.

    Schema: sample_schema
    ├── uid: NI3mv9b0gAyzi4Uy  created_at: 2026-12-07 12:00:44 UTC
    │   created_by: anonymous
    └── Features (3 including index: sample_id)
        └── name       dtype  optional  nullable  coerce  default_value
            sample_id  str    ✗         ✓         ✗       unset

A composite schema lists its slots, each as the tree of its component.
"""

from __future__ import annotations

from typing import Any

from ..records.display import format_datetime
from ..records.registered import registered
from ..setup.session import read_session
from .dtype_display import display_dtype
from .schema import index_of, members_of, optional_ids, slots_of

YES, NO = "✓", "✗"
COLUMNS = ("name", "dtype", "optional", "nullable", "coerce", "default_value")


def _creator(schema: Any) -> str:
    user = registered.User
    with read_session() as session:
        found = session.get(user, schema.created_by_id) if schema.created_by_id else None
    return getattr(found, "handle", None) or str(schema.created_by_id)


# flags describe() shows only when they differ from these defaults
FLAG_DEFAULTS = (("ordered_set", False), ("maximal_set", False), ("minimal_set", True))


def _header(schema: Any) -> list[str]:
    """The schema's fields two by two, the left column padded (LaminDB's layout): uid, the
    itype when not Feature, otype and set flags when not the defaults, created_at/by."""
    items = [f"uid: {schema.uid}"]
    if schema.itype not in (None, "Feature"):
        items.append(f"itype: {schema.itype}")
    if schema.otype:
        items.append(f"otype: {schema.otype}")
    items += [
        f"{flag}: {getattr(schema, flag)}"
        for flag, default in FLAG_DEFAULTS
        if getattr(schema, flag) != default
    ]
    items += [
        f"created_at: {format_datetime(schema.created_at)}",
        f"created_by: {_creator(schema)}",
    ]
    width = max(len(item) for item in items[::2])
    return [
        "  ".join([items[i].ljust(width), *items[i + 1 : i + 2]]).rstrip()
        for i in range(0, len(items), 2)
    ]


def _feature_table(schema: Any) -> list[str]:
    members = members_of(schema)
    optional = optional_ids(schema)
    index = index_of(schema)
    rows = [list(COLUMNS)]
    for feature in members:
        default = "unset" if feature.default_value is None else str(feature.default_value)
        rows.append(
            [
                feature.name,
                display_dtype(feature.dtype),
                YES if feature.id in optional or not schema.minimal_set else NO,
                YES if feature.nullable else NO,
                YES if (feature.coerce or schema.coerce) else NO,
                default,
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    extra = f" including index: {index.name}" if index is not None else ""
    title = f"Features ({len(members)}{extra})"
    return [title, *lines]


def _identifiers(schema: Any) -> list[str]:
    members = members_of(schema)
    title = f"{schema.itype} ({len(members) if members else schema.n_members or 0})"
    field = schema.itype.split(".")[-1] if schema.itype.count(".") >= 2 else None
    names = [str(getattr(m, field or (type(m).__lk_name_field__ or "uid"), m.uid)) for m in members]
    return [title, *names[:30]] if names else [title]


def _body(schema: Any) -> list[tuple[str, list[str]]]:
    """(section title, section lines) of a non-composite schema."""
    if (schema.itype or "Feature").startswith("Feature"):
        if schema.n_members:
            table = _feature_table(schema)
            return [(table[0], table[1:])]
        return []
    lines = _identifiers(schema)
    return [(lines[0], lines[1:])]


def schema_lines(schema: Any, title: str) -> list[str]:
    """The tree of one schema under `title` (without a leading indent)."""
    header = _header(schema)
    parts: list[tuple[str, list[str]]] = []
    for slot, component in slots_of(schema).items():
        parts.append((f"{slot}: {component.name or 'unnamed'}", schema_lines(component, "")[1:]))
    if not parts:
        parts = _body(schema)
    lines = [title]
    lines.append(("└── " if not parts else "├── ") + header[0])
    lines += [("    " if not parts else "│   ") + line for line in header[1:]]
    for i, (section, body) in enumerate(parts):
        last = i == len(parts) - 1
        lines.append(("└── " if last else "├── ") + section)
        indent = "    " if last else "│   "
        for j, line in enumerate(body):
            marker = "└── " if j == 0 and not line.startswith(("├", "└", "│", " ")) else ""
            lines.append(
                indent
                + (marker or ("    " if not line.startswith(("├", "└", "│", " ")) else ""))
                + line
            )
    return lines


def describe_schema(schema: Any) -> str:
    type_record = schema.type if schema.type_id is not None else None
    prefix = f"{type_record.name} · " if type_record is not None else ""
    return "\n".join(schema_lines(schema, f"Schema: {prefix}{schema.name or 'unnamed'}"))
