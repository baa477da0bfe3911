"""Conditions across relations, written so that the database starts from the related side.

`filter(ulabels__name="label3")` becomes

    lk_artifact.id IN (SELECT artifact_id FROM lk_artifact_ulabel
                       WHERE ulabel_id IN (SELECT id FROM lk_ulabel WHERE name = ?))

rather than an EXISTS evaluated for every artifact row: SQLite and PostgreSQL read the label's
name index, then the link table's index on `ulabel_id`, then the artifacts by primary key, so
the cost follows the number of matches, not the size of the registry. A many-to-one relation
filters its own foreign key (`run_id IN (SELECT id FROM lk_run WHERE ...)`), a one-to-many one
the primary key against the other table's foreign key.

Subqueries never correlate with the enclosing query: a relation to the same table
(`ULabel.type`) must read the table again, not the outer row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, inspect, select
from sqlalchemy.orm import RelationshipDirection, RelationshipProperty
from sqlalchemy.sql.elements import ColumnElement

from ..db.hints import in_subquery


def related_condition(model: type, rel: RelationshipProperty, inner: Any) -> ColumnElement:
    """Rows of `model` related to at least one target row matching `inner` (None: any)."""
    joins = _join_columns(rel)
    if joins is None:  # an unusual join condition: SQLAlchemy's correlated EXISTS
        attr = getattr(model, rel.key)
        return attr.any(inner) if rel.uselist else attr.has(inner)
    owner_column, target_column = joins
    if rel.direction is RelationshipDirection.ONETOMANY:
        chosen = _uncorrelated(target_column, target_column.is_not(None))
        return in_subquery(
            _own(model, owner_column), chosen if inner is None else chosen.where(inner)
        )
    if rel.direction is RelationshipDirection.MANYTOONE and inner is None:
        return _own(model, owner_column).is_not(None)
    if rel.secondary is not None and inner is not None:
        # a join, not `target_link IN (SELECT ...)`: the planner then knows that few target
        # rows match and starts there (it guesses many rows for an IN subquery)
        owner_link, target_link = _link_columns(rel)
        chosen = (
            select(owner_link)
            .select_from(rel.secondary)
            .join(rel.mapper.local_table, target_link == target_column)
            .where(inner)
            .correlate(None)
        )
        return in_subquery(_own(model, owner_column), chosen)
    ids = None if inner is None else _uncorrelated(target_column, inner)
    return related_to_ids(model, rel, ids)


def related_to_ids(model: type, rel: RelationshipProperty, ids: Any) -> ColumnElement:
    """Rows of `model` related to one of `ids`: a list of target ids or a SELECT of them
    (None: related to anything)."""
    joins = _join_columns(rel)
    if joins is None:
        target_id = rel.mapper.primary_key[0]
        attr = getattr(model, rel.key)
        inner = None if ids is None else _in(target_id, ids)
        return attr.any(inner) if rel.uselist else attr.has(inner)
    owner_column, target_column = joins
    if rel.secondary is not None:
        owner_link, target_link = _link_columns(rel)
        chosen = _uncorrelated(owner_link, owner_link.is_not(None))
        if ids is not None:
            chosen = chosen.where(_in(target_link, ids))
        return in_subquery(_own(model, owner_column), chosen)
    if rel.direction is RelationshipDirection.MANYTOONE:
        own = _own(model, owner_column)
        # `IS NOT NULL` keeps exclude() right: NOT (NULL IN (...)) would drop unlinked rows
        return own.is_not(None) if ids is None else and_(own.is_not(None), _in(own, ids))
    target_id = rel.mapper.primary_key[0]
    return related_condition(model, rel, None if ids is None else _in(target_id, ids))


def _join_columns(rel: RelationshipProperty) -> tuple[Any, Any] | None:
    """(column of the owner, column of the target) that a relation joins on, or None when it
    joins on more than one pair of columns."""
    if rel.secondary is not None:
        if _link_columns(rel) is None:
            return None
        return rel.synchronize_pairs[0][0], rel.secondary_synchronize_pairs[0][0]
    pairs = list(rel.local_remote_pairs or ())
    return pairs[0] if len(pairs) == 1 else None


def _link_columns(rel: RelationshipProperty) -> tuple[Any, Any] | None:
    """(link column naming the owner, link column naming the target) of a many-to-many."""
    owner_pairs, target_pairs = rel.synchronize_pairs, rel.secondary_synchronize_pairs or []
    if len(owner_pairs) != 1 or len(target_pairs) != 1:
        return None
    return owner_pairs[0][1], target_pairs[0][1]


def _in(column: Any, ids: Any) -> Any:
    """`column IN ids` for a list of ids or a SELECT of them (`=` for a single id)."""
    if isinstance(ids, Select):
        return in_subquery(column, ids)
    if isinstance(ids, list | tuple) and len(ids) == 1:
        return column == ids[0]
    return column.in_(ids)


def _uncorrelated(column: Any, condition: Any) -> Any:
    return select(column).where(condition).correlate(None)


def _own(model: type, column: Any) -> Any:
    """The attribute of `model` mapped to one of its table's columns."""
    return getattr(model, inspect(model).get_property_by_column(column).key)


@dataclass(frozen=True)
class LinkTable:
    """The link table of a many-to-many relation, seen from one owner record's side."""

    table: Any
    owner_column: Any  # the link column naming the owner
    target_column: Any  # the link column naming the related record

    def linked_ids(self, owner_id: int) -> Any:
        """SELECT of the ids of records linked to the owner (planned on owner_column's index)."""
        return _uncorrelated(self.target_column, self.owner_column == owner_id)


def link_table(rel: RelationshipProperty) -> LinkTable | None:
    """The link table of a many-to-many relation on one pair of columns, else None."""
    if rel.secondary is None:
        return None
    columns = _link_columns(rel)
    return None if columns is None else LinkTable(rel.secondary, *columns)
