"""Find one record by a condition: ids through Core first, the ORM object only for a match.

Most lookups before a save find nothing (new content, a new key, a new name); selecting ids
spares them the ORM's entity loading, which costs more than the query itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, select

from ..db.hints import unindexed
from ..setup.session import single_statement_cursor


def matching_ids(session: Any, stmt: Select, params: dict[str, Any] | None = None) -> list[int]:
    """The ids a SELECT of one id column returns, in the session's transaction."""
    return [row[0] for row in session.connection().execute(stmt, params or {})]


def pick_record(
    session: Any, model: type, ids: Iterable[int], pick: Callable[..., int] = max
) -> Any | None:
    """The record with the newest (``max``) or oldest (``min``) of these ids, or None."""
    chosen = pick(ids, default=None)
    return None if chosen is None else session.get(model, chosen)


def newest_with(session: Any, model: type, branches: list[int], **values: Any) -> Any | None:
    """The newest record on these branches whose columns equal the given values."""
    return record_with(session, model, branches, max, **values)


def record_with(
    session: Any, model: type, branches: list[int], pick: Callable[..., int], **values: Any
) -> Any | None:
    """The record picked (``max``: newest, ``min``: oldest) among those on these branches
    whose columns equal the given values, ``None`` meaning NULL. The statement is built once
    per registry, set of columns and set of NULL columns.

    No ORDER BY id ... LIMIT 1: for a value no row has, SQLite may walk a large table backwards
    by id; the few matching ids are compared here instead."""
    nulls = tuple(sorted(name for name, value in values.items() if value is None))
    compared = tuple(sorted(name for name, value in values.items() if value is not None))
    params = {f"v_{name}": values[name] for name in compared}
    ids = matching_ids(session, _ids_with(model, compared, nulls), {**params, "branches": branches})
    return pick_record(session, model, ids, pick)


@functools.cache
def _ids_with(model: type, compared: tuple[str, ...], nulls: tuple[str, ...]) -> Select:
    columns = model.__table__.c
    conditions = [columns[_column_name(model, n)] == bindparam(f"v_{n}") for n in compared]
    conditions += [columns[_column_name(model, n)].is_(None) for n in nulls]
    branch = unindexed(columns.branch_id).in_(bindparam("branches", expanding=True))
    return select(columns.id).where(*conditions, branch)


def _column_name(model: type, attribute: str) -> str:
    return str(getattr(model, attribute).property.columns[0].name)


@dataclass(frozen=True)
class DriverStatement:
    """A SELECT compiled once for a database: its text and the order of its parameters."""

    text: str
    positions: tuple[str, ...] | None  # parameter names in order (qmark), None: named

    def bind(self, values: dict[str, Any]) -> tuple | dict[str, Any]:
        if self.positions is None:
            return values
        return tuple(values[name] for name in self.positions)


_COMPILED: dict[tuple[Callable[[type], Select], type, str], DriverStatement] = {}


def ids_by_one_statement(
    build: Callable[[type], Select], model: type, values: dict[str, Any]
) -> list[int]:
    """The ids that `build(model)` (a SELECT of one id column whose parameters are plain
    `bindparam`s named as in `values`) returns, as one statement on the DBAPI cursor of
    `single_statement_cursor`: compiled once per statement, registry and database."""
    with single_statement_cursor() as (dialect, cursor):
        cache_key = (build, model, dialect.name)
        compiled = _COMPILED.get(cache_key)
        if compiled is None:
            sql = build(model).compile(dialect=dialect)
            positions = tuple(sql.positiontup) if sql.positiontup is not None else None
            compiled = _COMPILED[cache_key] = DriverStatement(sql.string, positions)
        cursor.execute(compiled.text, compiled.bind(values))
        return [row[0] for row in cursor.fetchall()]
