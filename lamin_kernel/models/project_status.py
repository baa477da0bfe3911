"""`project.status`: LaminDB 2.12's project statuses, stored as an integer code.

New projects are `planned`; projects made before the status existed read `completed`
(code 0, as LaminDB's database default). `ln.Project.filter(status="active")` and
`status__in=[...]` translate names to codes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql.elements import ColumnElement

from ..query.lookups import apply_lookup

STATUS_TO_CODE = {
    "planned": -3,
    "up-next": -2,
    "active": -1,
    "completed": 0,
    "background": 1,
    "paused": 2,
    "canceled": 3,
    "archived": 4,
}
CODE_TO_STATUS = {code: status for status, code in STATUS_TO_CODE.items()}
NEW_PROJECT_CODE = STATUS_TO_CODE["planned"]


def status_of(code: int | None) -> str:
    return CODE_TO_STATUS.get(code if code is not None else 0, "completed")


def code_of(status: Any) -> int:
    """The code of a status name; anything else is LaminDB's ValueError."""
    if status not in STATUS_TO_CODE:
        expected = ", ".join(f"'{name}'" for name in STATUS_TO_CODE)
        raise ValueError(f"Invalid project status. Expected one of: {expected}.")
    return STATUS_TO_CODE[status]


def status_condition(
    model: type, parts: list[str], value: Any, expression: str
) -> ColumnElement | None:
    """filter(status=...) on Project: the names become codes; other names are not ours."""
    if parts[0] != "status" or len(parts) > 2:
        return None
    lookup = parts[1] if len(parts) == 2 else "exact"
    if lookup == "isnull":
        return apply_lookup(model.status_code, lookup, value, expression)
    codes = [code_of(v) for v in value] if lookup == "in" else code_of(value)
    return apply_lookup(model.status_code, lookup, codes, expression)
