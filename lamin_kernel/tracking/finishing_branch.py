"""Where a run's finishing records go when its branch was merged (or closed) while it ran.

A merge moves every row of the branch, the run's included, to the target branch and closes
the branch to writes. What the run still writes when it ends (a notebook's report and file,
a new version of the transform whose source changed, the project labels of its outputs)
follows the run: it is saved on the branch that holds the run's row now, the merge's target
(main when the branch was closed without a merge), and a message names that branch. Nothing
is dropped, and nothing lands on the closed branch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select

from .. import log
from ..db.branch_state import CLOSED_TO_WRITES, MAIN
from ..models import Branch, Run
from ..setup.session import current_branch_id, read_session, writing_to_branch
from . import state


@contextmanager
def finishing_writes(tracked: state.Tracked) -> Iterator[None]:
    """Inside the block, records go where the run is if its branch no longer takes writes."""
    target = _branch_that_took_the_run(tracked)
    if target is None:
        yield
        return
    with writing_to_branch(target):
        yield


def _branch_that_took_the_run(tracked: state.Tracked) -> int | None:
    """The branch to write the run's last records to, when the current one is closed."""
    branch_id = current_branch_id()
    if branch_id <= MAIN:
        return None
    with read_session() as session:  # columns, not records: this process may hold stale ones
        closed = _branch_row(session, branch_id)
        if closed is None or closed.status not in CLOSED_TO_WRITES:
            return None
        run_branch = session.scalar(select(Run.branch_id).where(Run.id == tracked.run.id))
        target = None if run_branch is None else _branch_row(session, int(run_branch))
        if target is None or target.id < MAIN or target.status in CLOSED_TO_WRITES:
            target = _branch_row(session, MAIN)
    assert target is not None
    how = "was merged" if closed.status == "merged" else "was closed"
    log.warning(
        f"branch '{closed.name}' {how} while Run('{tracked.run.uid}') ran: the run's "
        f"finishing records (report, notebook, source code) are saved on branch "
        f"'{target.name}', where the run is now"
    )
    return int(target.id)


def _branch_row(session: Any, branch_id: int) -> Any | None:
    """(id, name, status) of a branch as the database has it now."""
    stmt = select(Branch.id, Branch.name, Branch.status).where(Branch.id == branch_id)
    return session.execute(stmt).first()
