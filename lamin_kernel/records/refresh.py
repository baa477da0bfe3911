"""`record.refresh_from_db()`: a saved record's values read again from its row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.exc import InvalidRequestError

from ..errors import DoesNotExist, InvalidArgument
from ..setup.session import read_session


def refresh_from_db(record: Any, fields: list[str] | None = None) -> None:
    """Read the record's fields again from the database (all of them, or `fields`).

    Another process, a bulk `QuerySet.update()` or a merge may have changed the row since
    the record was loaded; its relations are read again on next access.
    """
    model = type(record)
    state = inspect(record)
    if state.key is None:
        raise InvalidArgument(
            f"cannot refresh an unsaved {model.__name__} from the database; save it first"
        )
    names = list(fields) if fields is not None else None
    if names is not None:
        unknown = [n for n in names if n not in state.mapper.attrs]
        if unknown:
            raise InvalidArgument(f"{model.__name__} has no field {', '.join(unknown)}")
    with read_session() as session:
        if state.detached:
            session.add(record)  # a record loaded in a session that has ended
        owner = state.session or session
        try:
            owner.refresh(record, attribute_names=names)
        except InvalidRequestError as exc:
            raise DoesNotExist(
                f"{model.__name__} with id {state.identity[0]} is no longer in the registry"
            ) from exc
