"""Parents and children of records (ontologies): any registry whose `parents` relation goes
through a link table with `child_id` and `parent_id` (Record, ULabel, Project, bionty).

Walks go level by level in SQL (a recursive query), and only through records the user sees:
a parent in the trash hides its own parents, as in LaminDB.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Table, inspect, select

from ..errors import InvalidArgument
from ..query.queryset import QuerySet
from ..setup.session import read_session, visible_branch_ids
from .hierarchy_view import HierarchyView

IN_CHUNK = 500


def parent_link(model: type) -> Table:
    """The link table of a registry's parents (child_id, parent_id)."""
    relationships = inspect(model).relationships
    rel = relationships.get("parents") if "parents" in relationships else None
    if rel is None or rel.secondary is None:
        raise InvalidArgument(f"{model.__name__} records have no parents")
    return rel.secondary


def _saved(record: Any) -> Any:
    if record.id is None:
        raise InvalidArgument(f"save the {type(record).__name__} first: call .save()")
    return record


def relatives_ids(model: type, record_ids: list[int], upwards: bool) -> Select:
    """A SELECT of the ids of all ancestors (or descendants) of these records."""
    link = parent_link(model)
    table = model.__table__
    near, far = (
        (link.c.child_id, link.c.parent_id) if upwards else (link.c.parent_id, link.c.child_id)
    )
    shown = table.c.branch_id.in_(visible_branch_ids())
    tree = (
        select(far.label("id"))
        .join(table, table.c.id == far)
        .where(near.in_(record_ids), shown)
        .cte("relatives", recursive=True)
    )
    step = select(far).join(table, table.c.id == far).where(near == tree.c.id, shown)
    tree = tree.union(step)  # UNION (not ALL): a cycle in the links ends the walk
    return select(tree.c.id)


def query_relatives(record: Any, direction: str) -> QuerySet:
    """Every ancestor ("parents") or descendant ("children") of a record, as a QuerySet."""
    if direction not in ("parents", "children"):
        raise InvalidArgument(f"direction is 'parents' or 'children', got {direction!r}")
    model = type(_saved(record))
    ids = relatives_ids(model, [record.id], upwards=direction == "parents")
    return QuerySet(model).filter(id__in=ids).exclude(id=record.id)


def _edges(link: Table, ids: set[int], upwards: bool) -> set[tuple[int, int]]:
    """(child, parent) links from these records to their parents (or from their children)."""
    near = link.c.child_id if upwards else link.c.parent_id
    found: set[tuple[int, int]] = set()
    ordered = sorted(ids)
    with read_session() as session:
        for start in range(0, len(ordered), IN_CHUNK):
            chunk = ordered[start : start + IN_CHUNK]
            stmt = select(link.c.child_id, link.c.parent_id).where(near.in_(chunk))
            found.update((c, p) for c, p in session.execute(stmt))
    return found


def walk(record: Any, upwards: bool, distance: int | None) -> tuple[set[int], set[tuple[int, int]]]:
    """The records within `distance` steps up (or down) and the links between them."""
    link = parent_link(type(_saved(record)))
    seen, frontier, edges = {record.id}, {record.id}, set()
    steps = 0
    while frontier and (distance is None or steps < distance):
        found = _edges(link, frontier, upwards)
        edges |= found
        reached = {p if upwards else c for c, p in found}
        frontier = reached - seen
        seen |= reached
        steps += 1
    return seen, edges


def label_field(model: type, field: Any) -> str:
    """The field that labels records in a graph: given by name or attribute, else the name."""
    if field is None:
        return getattr(model, "__lk_name_field__", None) or "uid"
    name = field if isinstance(field, str) else getattr(field, "key", None)
    if name is None or name not in {a.key for a in inspect(model).column_attrs}:
        raise InvalidArgument(f"{model.__name__} has no field {field!r} to label records with")
    return name


def view_parents(
    record: Any, field: Any, distance: int, with_parents: bool = True, with_children: bool = False
) -> HierarchyView:
    """The graph of a record's ancestors (and children) within `distance`, labelled by a field."""
    model = type(_saved(record))
    name = label_field(model, field)
    ids: set[int] = {record.id}
    edges: set[tuple[int, int]] = set()
    if with_parents:
        ids, edges = walk(record, upwards=True, distance=distance)
    if with_children:
        child_ids, child_edges = walk(record, upwards=False, distance=distance)
        ids, edges = ids | child_ids, edges | child_edges
    labels: dict[int, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), IN_CHUNK):
        chunk = ordered[start : start + IN_CHUNK]
        for item in QuerySet(model).filter(branch_id__gte=-1, id__in=chunk):
            labels[item.id] = str(getattr(item, name) or item.uid)
    return HierarchyView(record.id, labels, edges)
