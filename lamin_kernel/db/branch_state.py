"""Whether a branch takes writes: one that was merged (or closed) does not.

A writer on a contribution branch holds the branch shared for its transaction and reads its
status there; `lamin merge` holds it alone while it moves the rows and marks it merged. So a
write either commits before the merge (and the merge moves its rows to the target) or sees
the branch merged and is refused: no row lands on a branch no one looks at any more. On
SQLite the write lock orders them the same way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from .locks import lock_for_transaction, share_for_transaction

MAIN = 1
CLOSED_TO_WRITES = ("merged", "closed")


def refusal_to_write(connection: Any, branch_id: int) -> str | None:
    """Why records cannot be written to this branch now (None: they can). Holds the branch
    shared until the transaction ends."""
    if branch_id <= MAIN:
        return None  # main, archive and trash are never merged
    share_for_transaction(connection, "lk_branch", str(branch_id))
    row = connection.execute(
        text("SELECT name, status FROM lk_branch WHERE id = :i"), {"i": branch_id}
    ).first()
    if row is None:
        return f"branch {branch_id} no longer exists"
    name, status = row
    if status == "merged":
        return f"branch '{name}' was merged and is closed"
    if status == "closed":
        return f"branch '{name}' is closed"
    return None


def hold_branch(connection: Any, branch_id: int) -> None:
    """Merging: no writer of this branch commits until this transaction ends."""
    lock_for_transaction(connection, "lk_branch", str(branch_id))
