"""Rows of feature values for any registry that carries them: write, read, delete.

One `Stored` per (owner, feature): the JSON values (decoded later by the feature's dtype)
and the linked records of categorical features. Reads take a list of owner ids or a
subquery of them, so `to_dataframe(include="features")` costs one query per table.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update

from .. import runtime
from ..records.registered import registered
from ..setup.session import connection, current_user_id, read_session
from .dtype_values import sort_number
from .dtypes import Dtype
from .registries import IN_CHUNK, load_modules, registry_of
from .value_links import JsonStore, ValueLink, json_store, link_for
from .value_links import links_of as registered_links


def links_of(owner: str) -> list[ValueLink]:
    """The owner's value links whose tables the connected instance has (its modules)."""
    modules = connection().extras.get("modules")
    return [
        link
        for link in registered_links(owner)
        if modules is None or "." not in link.target or link.target.split(".")[0] in modules
    ]


@dataclass
class Stored:
    """The stored values of one feature of one owner record."""

    json: list[Any] = field(default_factory=list)
    record_ids: dict[str, list[int]] = field(default_factory=dict)  # target label -> ids

    @property
    def is_label(self) -> bool:
        return bool(self.record_ids)


Values = dict[int, dict[int, Stored]]  # owner id -> feature id -> stored values


def owner_label(record: Any) -> str:
    return type(record).__name__


def value_hash(feature_id: int, value: Any) -> str:
    """The digest that makes identical feature values one JsonValue row."""
    text = json.dumps([feature_id, value], sort_keys=True, default=str)
    return base64.urlsafe_b64encode(hashlib.md5(text.encode()).digest()).decode()[:22]


def bookkeeping(table: Any) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if "created_by_id" in table.c:
        extra["created_by_id"] = current_user_id()
    if "run_id" in table.c:
        extra["run_id"] = getattr(runtime.current_run(), "id", None)
    return extra


def _chunks(ids: Any) -> list[Any]:
    if not isinstance(ids, list | tuple):
        return [ids]  # a subquery
    return [list(ids[i : i + IN_CHUNK]) for i in range(0, len(ids), IN_CHUNK)] if ids else []


# -- writing -------------------------------------------------------------------------------
def json_value_ids(session: Any, feature_id: int, dtype: Dtype, values: list[Any]) -> list[int]:
    """Ids of the JsonValue rows of these values, made where missing (one per value)."""
    model = registered.JsonValue
    table = model.__table__
    hashes = {value_hash(feature_id, v): v for v in values}
    stmt = select(table.c.hash, table.c.id).where(
        table.c.feature_id == feature_id, table.c.hash.in_(list(hashes))
    )
    found = dict(session.execute(stmt).all())
    extra = bookkeeping(table)
    new = [
        {
            "value": v,
            "hash": h,
            "feature_id": feature_id,
            "number": sort_number(dtype, v),
            **extra,
        }
        for h, v in hashes.items()
        if h not in found
    ]
    if new:
        result = session.execute(insert(table).returning(table.c.hash, table.c.id), new)
        found.update(dict(result.all()))
    return [found[h] for h in hashes]


def add_json(
    session: Any, store: JsonStore, owner_id: int, feature: Any, dtype: Dtype, values: list[Any]
) -> None:
    """Link these values to the owner (shared rows), or store them in the owner's table."""
    table = store.table
    if store.shared:
        ids = json_value_ids(session, feature.id, dtype, values)
        existing = set(
            session.execute(
                select(table.c[store.value_column]).where(table.c[store.owner_column] == owner_id)
            ).scalars()
        )
        extra = bookkeeping(table)
        rows = [
            extra | {store.owner_column: owner_id, store.value_column: i}
            for i in dict.fromkeys(ids)
            if i not in existing
        ]
        if rows:
            session.execute(insert(table), rows)
        return
    value = values[0] if len(values) == 1 else values
    where = (table.c[store.owner_column] == owner_id, table.c[store.feature_column] == feature.id)
    row = {store.value_column: value, store.number_column: sort_number(dtype, value)}
    if session.execute(select(table.c.id).where(*where)).first() is None:
        row |= {store.owner_column: owner_id, store.feature_column: feature.id}
        session.execute(insert(table), [row])
    else:
        session.execute(update(table).where(*where).values(**row))


def add_links(
    session: Any, link: ValueLink, owner_id: int, ids: list[int], feature_id: int
) -> None:
    """Link records to the owner with the feature, skipping links that exist."""
    if not ids:
        return
    table = link.table
    existing = set(
        session.execute(
            select(table.c[link.target_column]).where(
                table.c[link.owner_column] == owner_id,
                table.c[link.feature_column] == feature_id,
            )
        ).scalars()
    )
    extra = bookkeeping(table)
    rows = [
        extra
        | {link.owner_column: owner_id, link.target_column: i, link.feature_column: feature_id}
        for i in dict.fromkeys(ids)
        if i not in existing
    ]
    if rows:
        session.execute(insert(table), rows)


def remove_values(
    session: Any,
    owner: str,
    owner_id: int,
    feature_id: int,
    json_values: list[Any] | None,
    record_ids: dict[str, list[int]] | None,
) -> int:
    """Delete the owner's values of a feature (only the given ones, if given); rows deleted."""
    deleted = 0
    store = json_store(owner)
    if store is not None and (json_values is None or json_values):
        deleted += _remove_json(session, store, owner_id, feature_id, json_values)
    for link in links_of(owner):
        wanted = None if record_ids is None else record_ids.get(link.target)
        if record_ids is not None and not wanted:
            continue
        table = link.table
        stmt = delete(table).where(
            table.c[link.owner_column] == owner_id, table.c[link.feature_column] == feature_id
        )
        if wanted is not None:
            stmt = stmt.where(table.c[link.target_column].in_(wanted))
        deleted += session.execute(stmt).rowcount or 0
    return deleted


def _remove_json(
    session: Any, store: JsonStore, owner_id: int, feature_id: int, values: list[Any] | None
) -> int:
    table = store.table
    if store.shared:
        json_value = registered.JsonValue.__table__
        ids = select(json_value.c.id).where(json_value.c.feature_id == feature_id)
        if values is not None:
            ids = ids.where(json_value.c.hash.in_([value_hash(feature_id, v) for v in values]))
        stmt = delete(table).where(
            table.c[store.owner_column] == owner_id, table.c[store.value_column].in_(ids)
        )
        return session.execute(stmt).rowcount or 0
    where = [table.c[store.owner_column] == owner_id, table.c[store.feature_column] == feature_id]
    if values is not None:
        current = session.execute(select(table.c[store.value_column]).where(*where)).scalar()
        if current not in values and not (isinstance(current, list) and current in [values]):
            return 0
    return session.execute(delete(table).where(*where)).rowcount or 0


# -- reading -------------------------------------------------------------------------------
def read_values(owner: str, owner_ids: Any) -> Values:
    """Stored values of owner records (a list of ids or a subquery of ids)."""
    load_modules()
    result: Values = defaultdict(dict)
    with read_session() as session:
        for chunk in _chunks(owner_ids):
            _read_json(session, owner, chunk, result)
            for link in links_of(owner):
                table = link.table
                stmt = (
                    select(
                        table.c[link.owner_column],
                        table.c[link.feature_column],
                        table.c[link.target_column],
                    )
                    .where(
                        table.c[link.owner_column].in_(chunk),
                        table.c[link.feature_column].is_not(None),
                    )
                    .order_by(table.c.id)
                )
                for owner_id, feature_id, target_id in session.execute(stmt):
                    stored = result[owner_id].setdefault(feature_id, Stored())
                    stored.record_ids.setdefault(link.target, []).append(target_id)
    return result


def _read_json(session: Any, owner: str, chunk: Any, result: Values) -> None:
    store = json_store(owner)
    if store is None:
        return
    table = store.table
    if store.shared:
        json_value = registered.JsonValue.__table__
        stmt = (
            select(table.c[store.owner_column], json_value.c.feature_id, json_value.c.value)
            .join(json_value, json_value.c.id == table.c[store.value_column])
            .where(table.c[store.owner_column].in_(chunk))
            .order_by(table.c.id)
        )
    else:
        stmt = (
            select(
                table.c[store.owner_column],
                table.c[store.feature_column],
                table.c[store.value_column],
            )
            .where(table.c[store.owner_column].in_(chunk))
            .order_by(table.c.id)
        )
    for owner_id, feature_id, value in session.execute(stmt):
        result[owner_id].setdefault(feature_id, Stored()).json.append(value)


def records_by_id(target: str, ids: list[int]) -> dict[int, Any]:
    """Records of a registry (by label, e.g. 'bionty.CellType') by id."""
    from .dtypes import CatTarget

    module, _, name = target.rpartition(".")
    model = registry_of(CatTarget(target)) if module else registered.named(name)
    with read_session() as session:
        found: dict[int, Any] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            for record in session.scalars(select(model).where(model.id.in_(chunk))):
                found[record.id] = record
        return found


def value_link(owner: str, model: type) -> ValueLink | None:
    """The link from owner records to records of `model`, if values of it can be stored."""
    module = getattr(model, "__lk_module__", "core")
    label = model.__name__ if module == "core" else f"{module}.{model.__name__}"
    return link_for(owner, label)
