"""The "Dataset features" and "Features" sections of an artifact's describe() tree.

Dataset features: per slot, the members of the schema linked for it, each with its dtype
and the labels linked with that feature. Features: values added with add_values() for
features that are in no slot.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..records import describe
from ..records.registry import registry_class
from ..setup.session import end_read, get_session
from .dtypes import display_dtype
from .features import values_by_feature
from .schema import itype_target, members_of

NAME_WIDTH, DTYPE_WIDTH, VALUE_WIDTH, TITLE_WIDTH = 30, 35, 39, 29


def cut(text: str, width: int) -> str:
    """text shortened to width characters, ending in '…' when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _joined(entry: tuple[bool, list[Any]] | None) -> str:
    """Values of one feature, labels sorted (as LaminDB lists them)."""
    if entry is None:
        return ""
    is_label, items = entry
    shown = [str(v) for v in items]
    return ", ".join(sorted(dict.fromkeys(shown)) if is_label else shown)


def _feature_sets(artifact_id: int) -> list[tuple[str, Any]]:
    table = registry_class("ArtifactSchema").__table__
    schema = registry_class("Schema")
    session = get_session()
    try:
        rows = session.execute(
            select(table.c.slot, schema)
            .join(schema, schema.id == table.c.schema_id)
            .where(table.c.artifact_id == artifact_id)
            .order_by(table.c.id)
        ).all()
    finally:
        end_read(session)
    return [(slot or "", s) for slot, s in rows]


def _slot_section(slot: str, schema: Any, values: dict[int, tuple[bool, list[Any]]]) -> Any:
    members = members_of(schema)
    itype = schema.itype or "Feature"
    if itype_target(itype).registry == "Feature":
        rows = [
            [
                cut(f.name, NAME_WIDTH),
                cut(display_dtype(f.dtype), DTYPE_WIDTH),
                cut(_joined(values.get(f.id)), VALUE_WIDTH),
            ]
            for f in sorted(members, key=lambda f: f.name)
        ]
        return describe.Section(f"{slot} ({len(members)})", rows=rows)
    name_field = getattr(type(members[0]), "__lk_name_field__", "name") if members else "name"
    shown = sorted(str(getattr(m, name_field, None) or m.uid) for m in members)
    dtype = display_dtype(schema.dtype)
    rows = [[cut(name, NAME_WIDTH), dtype, ""] for name in shown]
    title = cut(f"{slot} ({schema.n_members or len(members)} {itype})", TITLE_WIDTH)
    return describe.Section(title, rows=rows)


def artifact_sections(record: Any) -> list[Any]:
    """Sections for describe(): Dataset features (per slot) and Features (the others)."""
    if type(record).__name__ != "Artifact" or getattr(record, "id", None) is None:
        return []
    values = values_by_feature([record.id]).get(record.id, {})
    sections = []
    in_slots: set[int] = set()
    children = []
    for slot, schema in _feature_sets(record.id):
        children.append(_slot_section(slot, schema, values))
        if (schema.itype or "Feature") == "Feature":
            in_slots.update(m.id for m in members_of(schema))
    if children:
        sections.append(describe.Section("Dataset features", children=children))
    others = [fid for fid in values if fid not in in_slots]
    if others:
        feature = registry_class("Feature")
        session = get_session()
        try:
            features = session.scalars(select(feature).where(feature.id.in_(others))).all()
        finally:
            end_read(session)
        rows = [
            [
                cut(f.name, NAME_WIDTH),
                cut(display_dtype(f.dtype), DTYPE_WIDTH),
                cut(_joined(values[f.id]), VALUE_WIDTH),
            ]
            for f in sorted(features, key=lambda f: f.name)
        ]
        sections.append(describe.Section("Features", rows=rows))
    return sections


def register() -> None:
    """Add the sections to every artifact's describe() (once)."""
    if artifact_sections not in describe.SECTION_PROVIDERS:
        describe.SECTION_PROVIDERS.append(artifact_sections)
