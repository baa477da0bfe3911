"""Types of the typed registries (Record, ULabel, Feature, Schema, Project, Reference).

A record with `is_type=True` groups others through their `type`; types nest. This module
walks that tree: a record's chain of types, the records under a type (at any depth), the
rules a `type` must follow when a record is saved, and trashing a type with what it groups.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, literal, select, update

from ..errors import InvalidArgument
from ..query.queryset import QuerySet
from ..setup.session import read_session, visible_branch_ids

MAX_DEPTH = 1000  # a guard against cycles written behind our back


def not_a_type_message(model: type, type_record: Any, name: Any = None) -> str:
    """LaminDB's wording first (users match on it), then what to do."""
    lower = model.__name__.lower()
    registry = model.__name__
    type_name = getattr(type_record, "name", None) or getattr(type_record, "uid", None)
    label = f"{registry} '{name}'" if name is not None else f"this {registry}"
    return (
        f"You can only assign a {lower} with `is_type=True` as `type` to another {lower}, "
        f"but this doesn't have it: {registry} '{type_name}'. {label} cannot have type "
        f"'{type_name}': '{type_name}' is not a type (is_type=False). Pass a {registry} made "
        f"with is_type=True, e.g. ln.{registry}(name='Experiment', is_type=True).save()"
    )


def type_of(record: Any) -> Any | None:
    """The record's type as set on it: the related object, else the row its type_id names."""
    related = record.__dict__.get("type")
    if related is not None:
        return related
    type_id = record.__dict__.get("type_id")
    if type_id is None:
        return None
    with read_session() as session:
        return session.get(type(record), type_id)


def check_type_assignment(record: Any) -> None:
    """Before a save: the type is a type of this registry and no cycle comes about."""
    type_record = type_of(record)
    if type_record is None:
        return
    model = type(record)
    if not isinstance(type_record, model):
        raise InvalidArgument(
            f"{model.__name__}.type takes a {model.__name__}, got {type(type_record).__name__}"
        )
    if not type_record.is_type:
        raise InvalidArgument(not_a_type_message(model, type_record, record.__dict__.get("name")))
    own_id = record.__dict__.get("id")
    if own_id is None:
        return
    if type_record.id == own_id or own_id in _type_chain_ids(model, type_record.id):
        raise InvalidArgument(
            f"Cannot set type: would create a cycle ({model.__name__} '{_label(record)}' would "
            f"be its own type, directly or through '{_label(type_record)}')"
        )


def _label(record: Any) -> str:
    return str(record.__dict__.get("name") or record.__dict__.get("uid") or record.id)


def _type_chain_ids(model: type, start_id: int | None) -> list[int]:
    """The ids up the type chain from `start_id` (itself included), in any branch."""
    table = model.__table__
    chain: list[int] = []
    with read_session() as session:
        current = start_id
        while current is not None and current not in chain and len(chain) < MAX_DEPTH:
            chain.append(current)
            current = session.execute(
                select(table.c.type_id).where(table.c.id == current)
            ).scalar_one_or_none()
    return chain


def query_types(record: Any) -> list[Any]:
    """The record's type, its type's type and so on up to the root, while they are visible."""
    model = type(record)
    visible = set(visible_branch_ids())
    chain = _type_chain_ids(model, record.__dict__.get("type_id") or _id_of(type_of(record)))
    with read_session() as session:
        types = []
        for type_id in chain:
            found = session.get(model, type_id)
            if found is None or found.branch_id not in visible:
                break
            types.append(found)
        return types


def _id_of(record: Any | None) -> int | None:
    return None if record is None else record.id


def typed_ids(model: type, type_ids: list[int], depth: int | None, visible: bool = True) -> Select:
    """A SELECT of the ids grouped under these types: depth 1 is their direct records,
    None the whole subtree. With `visible`, a record on a branch the user does not see is
    left out together with what it groups."""
    table = model.__table__
    branches = visible_branch_ids()

    def shown(stmt: Select) -> Select:
        return stmt.where(table.c.branch_id.in_(branches)) if visible else stmt

    if depth is None:  # UNION on the id alone ends on a cycle, too
        tree = shown(select(table.c.id).where(table.c.type_id.in_(type_ids))).cte(
            "typed", recursive=True
        )
        step = shown(select(table.c.id).where(table.c.type_id == tree.c.id))
        tree = tree.union(step)
        return select(tree.c.id)
    tree = shown(
        select(table.c.id, literal(1).label("depth")).where(table.c.type_id.in_(type_ids))
    ).cte("typed", recursive=True)
    step = shown(
        select(table.c.id, (tree.c.depth + 1).label("depth")).where(
            table.c.type_id == tree.c.id, tree.c.depth < min(depth, MAX_DEPTH)
        )
    )
    tree = tree.union(step)
    return select(tree.c.id).distinct()


def query_typed(record: Any, depth: int | None = None) -> QuerySet:
    """Records under this type: of it, of its sub-types, and so on (`depth` hops at most)."""
    if depth is not None and (not isinstance(depth, int) or isinstance(depth, bool) or depth < 1):
        raise InvalidArgument(f"depth must be a positive integer or None, got {depth!r}")
    model = type(record)
    if record.id is None:
        return QuerySet(model).filter(id__in=[])
    return QuerySet(model).filter(id__in=typed_ids(model, [record.id], depth))


def direct_records(record: Any) -> QuerySet:
    """The records whose type is this record (LaminDB's reverse accessor, e.g. type.records)."""
    model = type(record)
    if record.id is None:
        return QuerySet(model).filter(id__in=[])
    return QuerySet(model).filter(type_id=record.id)


def trash_typed(session: Any, model: type, type_id: int) -> None:
    """Move every record under a type (visible ones, at any depth) to the trash, in the
    caller's transaction; records already loaded in the session see the change."""
    ids = typed_ids(model, [type_id], None)
    session.execute(
        update(model)
        .where(model.id.in_(ids))
        .values(branch_id=-1)
        .execution_options(synchronize_session="fetch")
    )
