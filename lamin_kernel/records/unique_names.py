"""Insert-or-get for registries where one name is one record (db/unique_names.py).

`Registry(name=...)` returns the saved record of that name; a record built before another
process saved the same name would be a second row. Saving it instead gives it the winner's
row. One record: under SQLite's write lock the winner is looked up before the INSERT (no one
can insert in between); on PostgreSQL the INSERT runs in a savepoint and the unique index's
refusal is turned into the winner, which the refusal guarantees has committed. Many records
(`ln.save`): one optimistic bulk INSERT in a savepoint; when the index refuses it, the saved
names are looked up, those records become their rows, and the rest is inserted again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError as SAIntegrityError
from sqlalchemy.orm import make_transient_to_detached

from .. import log
from ..db.unique_names import NAME_KEYS, is_unique_name_violation
from ..errors import IntegrityError, ValidationError
from ..setup.session import visible_branch_ids
from .registry import model_info

# fields whose disagreement with the saved record of the name is an error, not a merge
STRICT_FIELDS = {"lk_feature": ("dtype",)}
NAMES_PER_QUERY = 500
MAX_ATTEMPTS = 5

Key = tuple[Any, ...]


@dataclass(frozen=True)
class RowWriter:
    """How rows are inserted and attached (records.persist hands its own functions in)."""

    insert: Callable[[Any, type, list[Any]], None]  # (session, model, new records)
    forget: Callable[[list[Any]], None]  # records of a rolled-back insert are new again
    attach: Callable[[Any, type, list[Any]], None]  # records become persistent in a session


def name_key(model: type) -> tuple[str, ...] | None:
    """The columns that make a name one record in this registry, or None."""
    return NAME_KEYS.get(getattr(model, "__tablename__", ""))


def is_name_violation(exc: BaseException, record: Any) -> bool:
    """Whether a database error is the unique name index of this record's registry."""
    model = type(record)
    return name_key(model) is not None and is_unique_name_violation(exc, model.__tablename__)


def name_taken(record: Any, action: str) -> str:
    """The message for a save or restore that would make a second live record of a name."""
    registry = type(record).__name__
    name = record.__dict__.get("name")
    return (
        f"cannot {action} {registry} '{name}': another {registry} named '{name}' exists "
        "(one live record per name); rename one of them, or delete the other first"
    )


def key_of(record: Any, columns: tuple[str, ...]) -> Key:
    current = record.__dict__
    values = []
    for column in columns:
        value = current.get(column)
        if column == "type_id" and value is None:
            value = getattr(current.get("type"), "id", None)
        if column == "is_type":
            value = bool(value)
        values.append(value)
    return tuple(values)


def _winners(session: Any, model: type, keys: Iterable[Key]) -> dict[Key, tuple[int, int]]:
    """key -> (id, branch_id) of the oldest live row with that key."""
    columns = name_key(model)
    assert columns is not None
    table = model.__table__
    wanted = {key for key in keys if key[0] is not None}
    names = sorted({key[0] for key in wanted})
    found: dict[Key, tuple[int, int]] = {}
    key_columns = [table.c[c] for c in columns]
    for begin in range(0, len(names), NAMES_PER_QUERY):
        stmt = (
            select(table.c.id, table.c.branch_id, *key_columns)
            .where(table.c.name.in_(names[begin : begin + NAMES_PER_QUERY]), table.c.branch_id > 0)
            .order_by(table.c.id)
        )
        for row in session.connection().execute(stmt):
            key = tuple(
                bool(v) if c == "is_type" else v for c, v in zip(columns, row[2:], strict=True)
            )
            if key in wanted and key not in found:
                found[key] = (int(row[0]), int(row[1]))
    return found


def _adopt(session: Any, writer: RowWriter, record: Any, row_id: int, branch_id: int) -> None:
    """The new record becomes the saved row `row_id` (the winner of its name)."""
    model = type(record)
    name = record.__dict__.get("name")
    if branch_id not in visible_branch_ids():
        raise IntegrityError(
            f"a {model.__name__} named '{name}' exists already on another branch (branch_id="
            f"{branch_id}); switch to that branch or merge it, or choose another name"
        )
    table = model.__table__
    row = session.connection().execute(select(table).where(table.c.id == row_id)).mappings().one()
    info = model_info(model)
    current = record.__dict__
    for field in STRICT_FIELDS.get(table.name, ()):
        mine, saved = current.get(field), row[info.db_names[field]]
        if mine is not None and mine != saved and not row.get("is_type"):
            raise ValidationError(
                f"{model.__name__} {name} already exists with {field} {saved}, you passed {mine}"
            )
    for attribute, column in info.db_names.items():
        current[attribute] = row[column]
    held = session.identity_map.get(inspect(model).identity_key_from_primary_key([row_id]))
    if held is not None and held is not record:
        session.expunge(held)  # the user's object stands for the row from now on
    writer.attach(session, model, [record])
    log.info(f"returning existing {model.__name__} record with same name: '{name}'")


def save_one(session: Any, writer: RowWriter, record: Any) -> None:
    """Insert a new record of a one-row-per-name registry, or make it the saved one."""
    columns = name_key(type(record))
    assert columns is not None
    key = key_of(record, columns)
    winner = _winners(session, type(record), [key]).get(key)
    if winner is not None:
        _adopt(session, writer, record, *winner)
        return
    if session.get_bind().dialect.name == "sqlite":
        session.add(record)  # under the write lock: no one inserts this name meanwhile
        session.flush()
        return
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except SAIntegrityError as exc:
        if not is_unique_name_violation(exc, type(record).__tablename__):
            raise
        winner = _winners(session, type(record), [key]).get(key)
        if winner is None:
            raise
        _adopt(session, writer, record, *winner)


def save_many(session: Any, writer: RowWriter, model: type, records: list[Any]) -> None:
    """Insert new records of a one-row-per-name registry in bulk; a name that is saved
    already, or met earlier in `records`, makes the record that saved row."""
    columns = name_key(model)
    assert columns is not None
    first: dict[Key, Any] = {}
    repeats: list[tuple[Any, Any]] = []
    pending = []
    for record in records:
        key = key_of(record, columns)
        if key[0] is not None and key in first:
            repeats.append((record, first[key]))
        else:
            first[key] = record
            pending.append(record)
    for _ in range(MAX_ATTEMPTS):
        pending = _insert_or_adopt(session, writer, model, pending)
        if not pending:
            break
    else:
        raise IntegrityError(
            f"could not save {len(pending)} {model.__name__} records: other processes kept "
            "saving the same names; try again"
        )
    for repeat, saved in repeats:
        _copy_saved(repeat, saved)


def _insert_or_adopt(session: Any, writer: RowWriter, model: type, records: list[Any]) -> list[Any]:
    """One optimistic bulk INSERT (most names are new); when the index refuses it, the
    records whose names are saved become those rows. Returns the records still to insert."""
    try:
        with session.begin_nested():
            writer.insert(session, model, records)
        return []
    except SAIntegrityError as exc:
        writer.forget(records)
        if not is_unique_name_violation(exc, model.__tablename__):
            raise
    columns = name_key(model)
    assert columns is not None
    # on SQLite under the write lock, on PostgreSQL once the other writer committed
    winners = _winners(session, model, [key_of(r, columns) for r in records])
    rest = []
    for record in records:
        winner = winners.get(key_of(record, columns))
        if winner is None:
            rest.append(record)
        else:
            _adopt(session, writer, record, *winner)
    if len(rest) == len(records):  # refused, yet no saved name found: not ours to resolve
        raise IntegrityError(f"could not save {len(records)} {model.__name__} records")
    return rest


def _copy_saved(repeat: Any, saved: Any) -> None:
    """A second record of one name in one save: it holds the saved row's values, detached
    (one session holds one object per row: the first record of the name)."""
    current = repeat.__dict__
    for attribute in model_info(type(repeat)).columns:
        current[attribute] = saved.__dict__.get(attribute)
    make_transient_to_detached(repeat)
    log.info(
        f"returning existing {type(repeat).__name__} record with same name: '{current.get('name')}'"
    )
