"""Count what an operation reads: records the ORM builds and the SQL statements it sends.

Memory that does not grow with the registry means a page, a count or a link builds a
bounded number of records, whatever the number of rows in the tables; counting the ORM's
``load`` events (one per record built from a row) says so without any timing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.orm import Mapper

from lamin_kernel import runtime


@dataclass
class Reads:
    records: dict[str, int] = field(default_factory=dict)  # registry -> records built
    statements: list[str] = field(default_factory=list)

    @property
    def n_records(self) -> int:
        return sum(self.records.values())


@contextmanager
def counting_reads() -> Iterator[Reads]:
    """Records built and statements sent inside the block (this process, every session)."""
    reads = Reads()
    engine = runtime.connection().engine

    def loaded(target: object, _context: object) -> None:
        name = type(target).__name__
        reads.records[name] = reads.records.get(name, 0) + 1

    def executed(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        reads.statements.append(statement)

    event.listen(Mapper, "load", loaded)
    event.listen(engine, "before_cursor_execute", executed)
    try:
        yield reads
    finally:
        event.remove(Mapper, "load", loaded)
        event.remove(engine, "before_cursor_execute", executed)
