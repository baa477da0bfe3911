"""Creating, switching, listing and deleting branches; the current branch of this user."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select, update

from .. import log
from ..errors import DoesNotExist, InvalidArgument
from ..models import Branch
from ..setup import settings_files
from ..setup.session import (
    connection,
    current_branch_id,
    end_read,
    get_session,
    set_current_branch_id,
    write_transaction,
)
from . import tables
from .versions_on_main import ensure_latest_on_main, stems_on_branch

NAME_RULE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,99}$")
DELETED = "deleted"


def get_branch(name: str) -> Branch:
    """The branch called `name` (main, archive and trash included)."""
    if not isinstance(name, str):
        raise InvalidArgument(f"a branch is named by a string, got {type(name).__name__}")
    found = [b for b in Branch.filter(name=name).order_by("-id") if b.status != DELETED]
    if not found:
        known = ", ".join(b.name for b in list_branches()) or "none"
        raise DoesNotExist(
            f"branch '{name}' not found (branches: {known}); create it with: lamin switch -c {name}"
        )
    return found[0]


def current_branch() -> Branch:
    """The branch this user works on in the connected instance."""
    return Branch.get(current_branch_id())


def list_branches(include_deleted: bool = False) -> list[Branch]:
    """main first, then the contribution branches in the order they were made."""
    branches = [
        b for b in Branch.filter().order_by("id") if b.id not in (tables.ARCHIVE, tables.TRASH)
    ]
    if not include_deleted:
        branches = [b for b in branches if b.status != DELETED]
    return branches


def create_branch(name: str, description: str | None = None) -> Branch:
    """A new contribution branch (no switch)."""
    if not isinstance(name, str) or not NAME_RULE.match(name):
        raise InvalidArgument(
            f"branch name {name!r} is not valid: start with a letter or digit, then use letters, "
            "digits, '-', '_', '.' or '/' (at most 100 characters)"
        )
    if name in tables.BUILTIN:
        raise InvalidArgument(f"'{name}' is a built-in branch; pick another name")
    if any(b.status != DELETED for b in Branch.filter(name=name)):
        raise InvalidArgument(
            f"branch '{name}' exists already; switch to it with: lamin switch {name}"
        )
    branch = Branch(name=name, description=description, status="standalone").save()
    log.success(f"created branch: {name}")
    return branch


def switch(name: str, create: bool = False) -> Branch:
    """Work on branch `name` from now on, in this and the user's later processes."""
    branch = create_branch(name) if create else get_branch(name)
    if branch.id in (tables.ARCHIVE, tables.TRASH):
        raise InvalidArgument(
            f"cannot switch to '{name}': records go there with delete() (trash) or by archiving"
        )
    slug = connection().settings.slug
    user = settings_files.load_user_settings()
    if branch.id == tables.MAIN:
        user.branches.pop(slug, None)
    else:
        user.branches[slug] = branch.name
    settings_files.save_user_settings(user)
    set_current_branch_id(int(branch.id))
    log.success(f"switched to branch: {branch.name}")
    return branch


def record_counts() -> dict[int, dict[str, int]]:
    """{branch id: {registry: rows}} of every branch-scoped registry."""
    session = get_session()
    try:
        return tables.counts_by_branch(session.connection())
    finally:
        end_read(session)


def delete_branch(name: str, force: bool = False) -> None:
    """Delete a contribution branch; its unmerged records go to the trash only with force."""
    branch = get_branch(name)
    if branch.id <= tables.MAIN:
        raise InvalidArgument(f"'{name}' is a built-in branch and cannot be deleted")
    if branch.id == current_branch_id():
        raise InvalidArgument(f"you are on branch '{name}'; switch away first: lamin switch main")
    on_branch = record_counts().get(int(branch.id), {})
    if on_branch and not force:
        listed = ", ".join(f"{registry}: {n}" for registry, n in sorted(on_branch.items()))
        raise InvalidArgument(
            f"branch '{name}' has unmerged records ({listed}); merge them with `lamin merge "
            f"{name}`, or delete with --force to move them to the trash"
        )
    with write_transaction() as session:
        db = session.connection()
        stems = stems_on_branch(session, int(branch.id))
        referenced = False
        for tbl in tables.branch_tables(db):
            db.execute(
                update(tbl).where(tbl.c.branch_id == branch.id).values(branch_id=tables.TRASH)
            )
            if "created_on_id" in tbl.c:
                referenced = referenced or _references(db, tbl, int(branch.id))
        ensure_latest_on_main(session, stems)
        if referenced:
            branch.status = DELETED  # merged records still name it as where they were made
            session.add(branch)
        else:
            session.delete(branch)
    moved = sum(on_branch.values())
    log.success(f"deleted branch: {name}" + (f" ({moved} records moved to trash)" if moved else ""))


def _references(db: Any, tbl: Any, branch_id: int) -> bool:
    query = select(tbl.c.created_on_id).where(tbl.c.created_on_id == branch_id).limit(1)
    return db.execute(query).first() is not None
