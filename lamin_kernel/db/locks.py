"""Locks held until the end of the current write transaction, on both databases.

Some writes must see every row committed before them and keep others out until they
commit: the next version counter of a key, the one row a label name resolves to, the rows of
a branch being merged. On SQLite a write transaction already holds the database's write lock
(``BEGIN IMMEDIATE``), so these are no-ops there. On PostgreSQL (READ COMMITTED) they are
transaction-level advisory locks named by a namespace and a value: the statements after the
lock see whatever the previous holder committed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(:namespace), hashtext(:name))")
_LOCK_MANY = text(
    "SELECT count(pg_advisory_xact_lock(hashtext(:namespace), hashtext(name))) "
    "FROM unnest(CAST(:names AS text[])) AS name"
)
_SHARED_LOCK = text("SELECT pg_advisory_xact_lock_shared(hashtext(:namespace), hashtext(:name))")


def lock_for_transaction(connection: Any, namespace: str, name: str) -> None:
    """Hold the lock on (namespace, name) until this write transaction ends."""
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK, {"namespace": namespace, "name": name})


def lock_many_for_transaction(connection: Any, namespace: str, names: list[str]) -> None:
    """`lock_for_transaction` of each name, in the order given, in one statement (callers
    sort the names so that two writers never wait on each other crosswise)."""
    if connection.dialect.name == "postgresql" and names:
        connection.execute(_LOCK_MANY, {"namespace": namespace, "names": names})


def share_for_transaction(connection: Any, namespace: str, name: str) -> None:
    """Hold (namespace, name) shared: many holders at once, but none with the lock itself."""
    if connection.dialect.name == "postgresql":
        connection.execute(_SHARED_LOCK, {"namespace": namespace, "name": name})


# Placing an artifact's bytes and inserting its row hold this shared; `lamin check --fix`
# holds it alone while it removes orphans, so it never sees bytes whose row is on its way.
PLACEMENT = ("lk_artifact", "placement")


def share_placement(connection: Any) -> None:
    """A writer about to place bytes and insert their rows (until its transaction ends)."""
    share_for_transaction(connection, *PLACEMENT)


def hold_placement(connection: Any) -> None:
    """The orphan remover: no writer places bytes until this transaction ends."""
    lock_for_transaction(connection, *PLACEMENT)
