"""Building schemas: members, index, optionals, slots, flags and the hash that makes identical
ones one.

Schema(features=[f1, f2.with_config(optional=True)], index=f0)   a set of features
Schema(itype=ln.Feature)                                         any registered feature
Schema(itype=bt.Gene.ensembl_gene_id, dtype=int)                 identifiers of a registry
Schema(otype="AnnData", slots={"obs": s1, "var.T": s2})          a composite, one per slot
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, inspect, select, update

from .. import log
from ..errors import InvalidArgument
from ..records.artifact_create import adopt_existing
from ..records.pending import clear_pending, get_pending, set_pending
from ..records.persist import fill_defaults
from ..records.registered import registered
from ..setup.session import read_session, visible_branch_ids, write_transaction
from .dtypes import CatTarget, format_dtype, registry_label
from .registries import link_spec, registry_of

OTYPES = ("DataFrame", "AnnData", "MuData", "SpatialData", "tiledbsoma")
FLAGS = ("minimal_set", "maximal_set", "ordered_set", "flexible", "coerce")
SCHEMA_KWARGS = {
    "name",
    "description",
    "itype",
    "otype",
    "dtype",
    "is_type",
    "type",
    "index",
    "branch",
    "branch_id",
    "space",
    "space_id",
    *FLAGS,
}


@dataclass
class Member:
    """A record in a schema, with its configuration."""

    record: Any
    optional: bool = False
    is_index: bool = False


@dataclass
class PreparedSchema:
    fields: dict[str, Any]
    members: list[Member] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    existing: Any | None = None


def itype_string(value: Any) -> str:
    """'Feature', 'bionty.Gene' or 'bionty.Gene.ensembl_gene_id' from a class, field or string."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, type) and hasattr(value, "__table__"):
        text = registry_label(value)
    elif hasattr(value, "class_") and hasattr(value, "key"):
        text = f"{registry_label(value.class_)}.{value.key}"
    elif isinstance(value, registered.Feature) and getattr(value, "is_type", False):
        text = f"Feature[{value.uid}]"  # the features of a feature type
    else:
        raise InvalidArgument(f"itype must be a registry, a registry field or a string: {value!r}")
    itype_registry(text)
    return text


def itype_target(itype: str) -> CatTarget:
    """The registry and field an itype names ('Feature' -> Feature.name)."""
    if itype.startswith("Feature["):
        return CatTarget("Feature", type_ref=itype[len("Feature[") : -1])
    parts = itype.split(".")
    if parts[0] == "bionty":
        return CatTarget(".".join(parts[:2]), parts[2] if len(parts) > 2 else None)
    return CatTarget(parts[0], parts[1] if len(parts) > 1 else None)


def itype_registry(itype: str) -> type:
    """The registry class of an itype; InvalidArgument for unknown ones."""
    target = itype_target(itype)
    if target.registry == "Feature":
        return registered.Feature
    return registry_of(target)


def _member(item: Any, is_index: bool = False) -> Member:
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], dict):
        record, config = item  # feature.with_config(optional=True)
        unknown = set(config) - {"optional"}
        if unknown:
            raise InvalidArgument(f"unknown feature configuration {sorted(unknown)}")
        member = Member(record, optional=bool(config.get("optional", False)), is_index=is_index)
    else:
        member = Member(item, is_index=is_index)
    if not hasattr(type(member.record), "__table__"):
        raise InvalidArgument(f"schema members must be records, got {type(member.record).__name__}")
    if getattr(member.record, "id", None) is None:
        name = getattr(member.record, "name", None) or member.record
        raise InvalidArgument(
            f"Can only create schema from validated features: save the "
            f"{type(member.record).__name__} '{name}' before adding it"
        )
    return member


def _check_members(features: Any, index: Any) -> list[Member]:
    if features is not None and hasattr(type(features), "__table__"):
        raise InvalidArgument(
            "Please pass a ListLike of features, not a single feature: "
            f"Schema([{type(features).__name__.lower()}])"
        )
    if features is not None and (isinstance(features, str) or not hasattr(features, "__iter__")):
        raise InvalidArgument("features must be a list of Feature records (or of one registry)")
    members = [_member(item) for item in (features or [])]
    if index is not None:
        if not isinstance(index, registered.Feature):
            raise InvalidArgument(f"index must be a Feature, got {type(index).__name__}")
        members = [_member(index, is_index=True)] + [m for m in members if m.record.id != index.id]
    return members


def _member_itype(members: list[Member]) -> str | None:
    kinds = {type(m.record) for m in members}
    if len(kinds) > 1:
        names = sorted(k.__name__ for k in kinds)
        raise TypeError(
            f"schema can only contain a single type: members come from one registry, got {names}"
        )
    return registry_label(kinds.pop()) if kinds else None


def _check_slots(slots: Any) -> dict[str, Any]:
    if not slots:
        return {}
    if not isinstance(slots, dict):
        raise InvalidArgument("slots must be a dict of slot name -> Schema")
    for slot, component in slots.items():
        if not isinstance(slot, str) or not slot:
            raise InvalidArgument(f"slot names are strings, got {slot!r}")
        if not isinstance(component, registered.Schema) or component.id is None:
            raise InvalidArgument(f"slot '{slot}' needs a saved Schema, got {component!r}")
    return dict(slots)


def content_hash(fields: dict[str, Any], members: list[Member], slots: dict[str, Any]) -> str:
    """A short digest of what the schema requires: members (optional, index), slots, itype,
    dtype and flags (not its name or description)."""
    content = {k: fields.get(k) for k in ("itype", "otype", "dtype", *FLAGS)}
    content["members"] = sorted(str(m.record.uid) for m in members)
    optional = sorted(str(m.record.uid) for m in members if m.optional)
    index = [str(m.record.uid) for m in members if m.is_index]
    if optional:
        content["optional"] = optional
    if index:
        content["index"] = index
    content["slots"] = {slot: s.hash for slot, s in sorted(slots.items())}
    digest = hashlib.md5(json.dumps(content, sort_keys=True).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:22]


def prepare(model: type, features: Any, slots: Any, kwargs: dict[str, Any]) -> PreparedSchema:
    """Fields, members and slots of Schema(...), or the existing schema with the same hash."""
    kwargs = dict(kwargs)
    if "coerce_dtype" in kwargs:  # LaminDB's older name of coerce
        kwargs.setdefault("coerce", kwargs.pop("coerce_dtype"))
    n = kwargs.pop("n", None)
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
        raise InvalidArgument(f"n must be a number of members (an int >= 0), got {n!r}")
    unknown = sorted(set(kwargs) - SCHEMA_KWARGS)
    if unknown:
        raise InvalidArgument(f"Schema() got unknown argument(s) {unknown}")
    members = _check_members(features, kwargs.get("index"))
    if not members and not slots and kwargs.get("itype") is None and not kwargs.get("is_type"):
        raise InvalidArgument(
            "Please pass features or slots or itype or set is_type=True, e.g. "
            "ln.Schema(itype=ln.Feature) for a schema that takes any registered feature"
        )
    fields = {k: v for k, v in kwargs.items() if k not in ("type", "index")}
    if kwargs.get("itype") is not None:
        fields["itype"] = itype_string(kwargs["itype"])
    elif members:
        fields["itype"] = _member_itype(members)
    elif not slots and not kwargs.get("is_type"):
        fields["itype"] = "Feature"
    if kwargs.get("dtype") is not None:
        fields["dtype"] = format_dtype(kwargs["dtype"])
    otype = fields.get("otype")
    if otype is not None and otype not in OTYPES:
        raise InvalidArgument(f"otype '{otype}' is not supported; use one of {list(OTYPES)}")
    slot_map = _check_slots(slots)
    if members and fields.get("itype"):
        expected = itype_registry(fields["itype"])
        if any(not isinstance(m.record, expected) for m in members):
            raise InvalidArgument(f"members must be {expected.__name__} records for this itype")
    fields.setdefault("flexible", not members and not slot_map)
    for flag, default in (("minimal_set", True), ("maximal_set", False), ("ordered_set", False)):
        fields.setdefault(flag, default)
    if members and n is not None and n != len(members):
        raise InvalidArgument(f"n={n} but the schema has {len(members)} members")
    fields["n_members"] = len(members) if members else n
    _set_type(fields, kwargs.get("type"))
    if fields.get("is_type") and not members and not slot_map:
        # a schema type groups schemas by name; it has no content to recognise it by
        return PreparedSchema(fields, members, slot_map, existing=None)
    fields["hash"] = content_hash(fields, members, slot_map)
    return PreparedSchema(fields, members, slot_map, existing=find_same_hash(model, fields["hash"]))


def _set_type(fields: dict[str, Any], type_record: Any) -> None:
    if type_record is None:
        return
    if not isinstance(type_record, registered.Schema):
        raise InvalidArgument(
            f"type of a Schema must be a Schema with is_type=True, got {type(type_record).__name__}"
        )
    if not getattr(type_record, "is_type", False) or type_record.id is None:
        raise InvalidArgument("type must be a saved Schema with is_type=True")
    fields["type_id"] = type_record.id


def find_same_hash(model: type, schema_hash: str | None) -> Any | None:
    if schema_hash is None:  # schema types have no hash: each is its own
        return None
    with read_session() as session:
        # the oldest match, chosen here: ORDER BY id LIMIT 1 can make SQLite scan by id
        stmt = select(model).where(
            model.hash == schema_hash, model.branch_id.in_(visible_branch_ids())
        )
        return min(session.scalars(stmt), key=lambda r: r.id, default=None)


def existing_for(model: type, args: tuple, kwargs: dict[str, Any]) -> Any | None:
    """The saved schema that Schema(*args, **kwargs) would duplicate, or None.

    Schema.__new__ returns it, so the caller gets the very object the session holds (other
    references to it stay usable) instead of a copy.
    """
    if not args and not kwargs:  # SQLAlchemy making an instance for a loaded row
        return None
    features = args[0] if args else kwargs.get("features")
    rest = {k: v for k, v in kwargs.items() if k not in ("features", "slots")}
    existing = prepare(model, features, kwargs.get("slots"), rest).existing
    if existing is not None:
        log.info(f"returning schema with same hash: {existing!r}")
        for name in ("name", "description"):  # as LaminDB: the new words win (saved on save())
            if rest.get(name) is not None and getattr(existing, name) != rest[name]:
                if name == "name":
                    log.warning(f"updated name from {existing.name} to {rest[name]}")
                setattr(existing, name, rest[name])
    return existing


def is_persistent(record: Any) -> bool:
    return inspect(record).persistent


def finish(record: Any, prepared: PreparedSchema) -> None:
    """Turn record into the existing schema with the same hash, or attach its members."""
    if prepared.existing is not None:
        adopt_existing(record, prepared.existing)
        log.info(f"returning schema with same hash: {record!r}")
        return
    set_pending(record, SchemaPending(prepared.members, prepared.slots))


@dataclass
class SchemaPending:
    """Members and slots of an unsaved schema, written with its row on save()."""

    members: list[Member]
    slots: dict[str, Any]

    def save(self, record: Any) -> None:
        existing = find_same_hash(type(record), record.hash)
        if existing is not None:  # saved meanwhile (another validation, another process)
            clear_pending(record)
            adopt_existing(record, existing)
            return
        fill_defaults(record)
        with write_transaction() as session:
            session.add(record)
            session.flush()
            _insert_members(session, record, self.members)
            _insert_slots(session, record, self.slots)
        clear_pending(record)
        session.expire(record, [r.key for r in inspect(type(record)).relationships])


def _insert_members(session: Any, record: Any, members: list[Member]) -> None:
    if not members:
        return
    spec = link_spec(type(record), type(members[0].record))
    if spec is None:
        log.warning(
            f"Schema has no link to {type(members[0].record).__name__}; members are counted, "
            "not linked"
        )
        return
    columns = spec.table.c
    rows = []
    for m in members:
        row = {spec.owner_column: record.id, spec.target_column: m.record.id}
        if "optional" in columns:
            row |= {"optional": m.optional, "is_index": m.is_index}
        rows.append(row)
    session.execute(insert(spec.table), rows)


def _insert_slots(session: Any, record: Any, slots: dict[str, Any]) -> None:
    if not slots:
        return
    table = registered.SchemaComponent.__table__
    rows = [{"composite_id": record.id, "component_id": s.id, "slot": k} for k, s in slots.items()]
    session.execute(insert(table), rows)


def _member_rows(schema: Any) -> list[tuple[int, bool, bool]]:
    """(member id, optional, is_index) of a saved schema, index first, then in link order."""
    registry = itype_registry(schema.itype)
    spec = link_spec(type(schema), registry)
    if spec is None:
        return []
    table = spec.table
    has_config = "optional" in table.c
    columns = [table.c[spec.target_column]]
    columns += [table.c.optional, table.c.is_index] if has_config else []
    with read_session() as session:
        stmt = select(*columns).where(table.c[spec.owner_column] == schema.id).order_by(table.c.id)
        rows = session.execute(stmt).all()
    found = [(r[0], bool(r[1]), bool(r[2])) if has_config else (r[0], False, False) for r in rows]
    return sorted(found, key=lambda r: not r[2])


def member_ids(schema: Any) -> list[int]:
    pending = get_pending(schema)
    if isinstance(pending, SchemaPending):
        return [m.record.id for m in pending.members]
    if schema.id is None or not schema.itype:
        return []
    return [r[0] for r in _member_rows(schema)]


def members_of(schema: Any) -> list[Any]:
    """The member records of a schema (features, or records of its itype), index first."""
    pending = get_pending(schema)
    if isinstance(pending, SchemaPending):
        return [m.record for m in pending.members]
    if schema.id is None or not schema.itype:
        return []
    ids = member_ids(schema)
    if not ids:
        return []
    registry = itype_registry(schema.itype)
    with read_session() as session:
        found = {r.id: r for r in session.scalars(select(registry).where(registry.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def optional_ids(schema: Any) -> set[int]:
    pending = get_pending(schema)
    if isinstance(pending, SchemaPending):
        return {m.record.id for m in pending.members if m.optional}
    if schema.id is None or not schema.itype:
        return set()
    return {r[0] for r in _member_rows(schema) if r[1]}


def index_of(schema: Any) -> Any | None:
    """The index feature of a schema, or None."""
    pending = get_pending(schema)
    if isinstance(pending, SchemaPending):
        return next((m.record for m in pending.members if m.is_index), None)
    if schema.id is None or (schema.itype or "Feature") != "Feature":
        return None
    ids = [r[0] for r in _member_rows(schema) if r[2]]
    if not ids:
        return None
    with read_session() as session:
        return session.get(registered.Feature, ids[0])


def set_optional(schema: Any, features: list[Any], optional: bool, only: bool = False) -> None:
    """Mark features of a saved schema optional (or required); `only`: all others required."""
    if schema.id is None:
        raise InvalidArgument("save the schema before changing its optional features")
    ids = {f.id for f in features}
    present = set(member_ids(schema))
    missing = [f.name for f in features if f.id not in present]
    if missing:
        raise InvalidArgument(
            f"Feature not part of the schema: {missing} are not members of schema "
            f"'{schema.name}'; the members of a saved schema are fixed, make a new Schema"
        )
    table = registered.SchemaFeature.__table__
    with write_transaction() as session:
        if only:
            session.execute(
                update(table).where(table.c.schema_id == schema.id).values(optional=False)
            )
        session.execute(
            update(table)
            .where(table.c.schema_id == schema.id, table.c.feature_id.in_(ids))
            .values(optional=optional)
        )
    rehash(schema)


def rehash(schema: Any) -> None:
    """Recompute a saved schema's hash after its members' configuration changed."""
    rows = _member_rows(schema)
    records = {m.id: m for m in members_of(schema)}
    members = [Member(records[i], optional=o, is_index=x) for i, o, x in rows if i in records]
    fields = {k: getattr(schema, k) for k in ("itype", "otype", "dtype", *FLAGS)}
    schema.hash = content_hash(fields, members, slots_of(schema))
    schema.save()


def slots_of(schema: Any) -> dict[str, Any]:
    """slot -> component schema of a composite schema."""
    pending = get_pending(schema)
    if isinstance(pending, SchemaPending):
        return dict(pending.slots)
    if schema.id is None:
        return {}
    component = registered.SchemaComponent
    model = type(schema)
    with read_session() as session:
        rows = session.execute(
            select(component.slot, model)
            .join(model, model.id == component.component_id)
            .where(component.composite_id == schema.id)
            .order_by(component.id)
        ).all()
    return {slot: s for slot, s in rows}


def itype_feature_type(schema: Any) -> Any | None:
    """The feature type a schema's itype names (`itype=feature_type`), or None."""
    target = itype_target(schema.itype or "Feature")
    if target.registry != "Feature" or target.type_ref is None:
        return None
    feature = registered.Feature
    with read_session() as session:
        return session.scalars(
            select(feature).where(feature.uid == target.type_ref).limit(1)
        ).first()
