"""One way in and out of the database, one module past the ORM's public API (issue 12).

Reads and writes go through ``read_session()`` / ``write_transaction()``; nothing else opens
the thread's session or ends its transactions by hand, and only ``records/orm_internals.py``
touches SQLAlchemy's or SQLModel's private attributes.
"""

from __future__ import annotations

import re
from pathlib import Path

import lamin_kernel

PACKAGE = Path(lamin_kernel.__file__).parent
SESSION_MODULE = PACKAGE / "setup" / "session.py"
ORM_INTERNALS = PACKAGE / "records" / "orm_internals.py"

PRIVATE_ORM = re.compile(
    r"_sa_registry|_class_registry|_sa_class_manager|_sa_adapter|_update_impl|_commit_all"
    r"|__pydantic_fields_set__|__pydantic_extra__|__pydantic_private__|mapper\.dispatch"
    r"|orm\.attributes import instance_state"
)
HAND_MADE_SESSIONS = re.compile(r"get_session\(|end_read\(|\.rollback\(\)")


def modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]


def offenders(pattern: re.Pattern, allowed: set[Path]) -> list[str]:
    found = []
    for path in modules():
        if path in allowed:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    return found


def test_only_orm_internals_reaches_past_the_public_orm_api() -> None:
    assert offenders(PRIVATE_ORM, {ORM_INTERNALS}) == []


def test_sessions_are_opened_only_by_read_session_and_write_transaction() -> None:
    assert offenders(HAND_MADE_SESSIONS, {SESSION_MODULE}) == []
