"""Find one record by a condition: ids through Core first, the ORM object only for a match.

Most lookups before a save find nothing (new content, a new key, a new name); selecting ids
spares them the ORM's entity loading, which costs more than the query itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Select, select


def matching_ids(session: Any, stmt: Select, params: dict[str, Any] | None = None) -> list[int]:
    """The ids a SELECT of one id column returns, in the session's transaction."""
    return [row[0] for row in session.connection().execute(stmt, params or {})]


def pick_record(
    session: Any, model: type, ids: Iterable[int], pick: Callable[..., int] = max
) -> Any | None:
    """The record with the newest (``max``) or oldest (``min``) of these ids, or None."""
    chosen = pick(ids, default=None)
    return None if chosen is None else session.get(model, chosen)


def newest_where(session: Any, model: type, *conditions: Any) -> Any | None:
    """The record with the highest id matching the conditions (no ORDER BY ... LIMIT 1, which
    lets SQLite walk a large table backwards by id when nothing matches)."""
    ids = matching_ids(session, select(model.id).where(*conditions))
    return pick_record(session, model, ids)
