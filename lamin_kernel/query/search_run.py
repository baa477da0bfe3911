"""One search's read transaction with a deadline that the database itself enforces.

SQLite: a progress handler on the connection interrupts a statement once the deadline has
passed. PostgreSQL: the search's transaction runs under `statement_timeout` (the whole
budget, set once: one round trip), and no statement starts after the deadline, so a search
ends within twice its budget at most. An interrupted search raises SearchInterrupted; the
caller keeps what it had found so far.
The budget is SEARCH_TIMEOUT_S seconds, or `LAMIN_SEARCH_TIMEOUT` from the environment.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from ..setup.session import read_session, restart_read

SEARCH_TIMEOUT_S = 1.0
PROGRESS_STEPS = 2000  # SQLite virtual machine steps between two looks at the clock


class SearchInterrupted(Exception):
    """The deadline passed before the search finished (internal: results are partial)."""


def search_timeout() -> float:
    """Seconds a search may take: LAMIN_SEARCH_TIMEOUT when set to a positive number."""
    try:
        value = float(os.environ.get("LAMIN_SEARCH_TIMEOUT", SEARCH_TIMEOUT_S))
    except ValueError:
        return SEARCH_TIMEOUT_S
    return value if value > 0 else SEARCH_TIMEOUT_S


class SearchRun:
    """Runs the statements of one search before its deadline."""

    def __init__(self, session: Any, seconds: float) -> None:
        self.session = session
        self.deadline = time.monotonic() + seconds
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.timeout_set = False

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def check(self) -> None:
        if self.expired():
            raise SearchInterrupted

    def rows(self, statement: Any, params: dict[str, Any] | None = None) -> list[tuple]:
        return [tuple(row) for row in self._execute(statement, params)]

    def scalars(self, statement: Any) -> list[Any]:
        return [row[0] for row in self._execute(statement)]

    def driver_rows(self, sql: str, params: Any) -> list[tuple]:
        """Rows of SQL in the driver's own form (EXPLAIN of a compiled statement)."""
        return [tuple(row) for row in self._execute(sql, params)]

    def _execute(self, statement: Any, params: Any = None) -> Any:
        self.check()
        try:
            connection = self.session.connection()  # Core rows: no ORM result processing
            if not self.sqlite and not self.timeout_set:
                left_ms = max(1, int((self.deadline - time.monotonic()) * 1000))
                connection.execute(select(func.set_config("statement_timeout", str(left_ms), True)))
                self.timeout_set = True
            if isinstance(statement, str):
                return connection.exec_driver_sql(statement, params).all()
            return connection.execute(statement, params).all()
        except OperationalError as exc:
            if self.expired() or "interrupt" in str(exc.orig).lower() or _cancelled(exc):
                restart_read(self.session)
                raise SearchInterrupted from exc
            raise


def _cancelled(exc: OperationalError) -> bool:
    return type(exc.orig).__name__ == "QueryCanceled"


@contextmanager
def search_run(seconds: float | None = None) -> Iterator[SearchRun]:
    """A read transaction for one search, interrupted by the database at the deadline."""
    with read_session() as session:
        run = SearchRun(session, search_timeout() if seconds is None else seconds)
        raw = None
        if run.sqlite:
            raw = session.connection().connection.driver_connection
            raw.set_progress_handler(run.expired, PROGRESS_STEPS)
        try:
            yield run
        finally:
            if raw is not None:
                raw.set_progress_handler(None, 0)
