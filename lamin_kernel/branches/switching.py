"""Creating, switching, listing and deleting branches; the current branch of this user."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select, update

from .. import log
from ..errors import BranchAlreadyExists, DoesNotExist, InvalidArgument
from ..models import Branch
from ..models.core import CLOSED
from ..setup import settings_files
from ..setup.session import (
    connection,
    current_branch_id,
    read_session,
    set_current_branch_id,
    write_transaction,
)
from . import tables
from .versions_on_main import ensure_latest_on_main, stems_on_branch

NAME_RULE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,99}$")


def get_branch(name: str) -> Branch:
    """The branch called `name` or with uid `name` (main, archive and trash included)."""
    if not isinstance(name, str):
        raise InvalidArgument(f"a branch is named by a string, got {type(name).__name__}")
    found = Branch.filter(name=name).order_by("-id").first()
    if found is None and len(name) == Branch.__lk_uid_length__:
        found = Branch.filter(uid=name).first()
    if found is None:
        known = ", ".join(b.name for b in list_branches()) or "none"
        raise DoesNotExist(
            f"Branch '{name}' not found (branches: {known}); create it with: lamin switch -c {name}"
        )
    return found


def resolve_branch(value: Any) -> Branch:
    """A Branch given as a record, a name or a uid."""
    if isinstance(value, Branch):
        if value.id is None:
            raise DoesNotExist("Branch must be saved.")
        return value
    return get_branch(value)


def current_branch() -> Branch:
    """The branch this user works on in the connected instance."""
    return Branch.get(current_branch_id())


def list_branches(include_closed: bool = False) -> list[Branch]:
    """main first, then the contribution branches in the order they were made."""
    branches = [
        b for b in Branch.filter().order_by("id") if b.id not in (tables.ARCHIVE, tables.TRASH)
    ]
    if not include_closed:
        branches = [b for b in branches if b.status != CLOSED]
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
    if Branch.filter(name=name).first() is not None:
        raise BranchAlreadyExists(
            f"Branch '{name}' already exists. Omit -c/--create to switch to it: lamin switch {name}"
        )
    branch = Branch(name=name, description=description).save()
    log.success(f"created branch: {name}")
    return branch


def switch(name: Any, create: bool = False) -> Branch:
    """Work on branch `name` (a name, uid or Branch) from now on, here and in later processes."""
    branch = create_branch(name) if create else resolve_branch(name)
    if branch.id in (tables.ARCHIVE, tables.TRASH):
        raise InvalidArgument(
            f"cannot switch to '{branch.name}': records go there with delete() (trash) or by "
            "archiving"
        )
    if branch.status == CLOSED:
        raise InvalidArgument(f"branch '{branch.name}' is closed; switch to another branch")
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
    with read_session() as session:
        return tables.counts_by_branch(session.connection())


def delete_branch(name: str, force: bool = False) -> None:
    """Delete a contribution branch; its unmerged records go to the trash only with force.

    A branch that merged records still name as where they were made (`created_on`) is kept,
    closed, so their history stays traceable.
    """
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
    with write_transaction(to_branch=False) as session:
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
            branch.status = CLOSED
            session.add(branch)
        else:
            session.delete(branch)
    moved = sum(on_branch.values())
    log.success(f"deleted branch: {name}" + (f" ({moved} records moved to trash)" if moved else ""))


def _references(db: Any, tbl: Any, branch_id: int) -> bool:
    query = select(tbl.c.created_on_id).where(tbl.c.created_on_id == branch_id).limit(1)
    return db.execute(query).first() is not None
