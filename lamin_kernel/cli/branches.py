"""`lamin switch [-c] NAME`, `lamin merge NAME`, `lamin branch list | create | delete`,
and LaminDB's `lamin create branch|project NAME` and `lamin list branch|space`."""

from __future__ import annotations

import typer

from .. import branches
from ..branches.merging import plural
from ..errors import InvalidArgument
from ..models import Project, Space
from ..setup import public as setup_public

branch_app = typer.Typer(help="List, create or delete branches.", no_args_is_help=True)


def switch(
    name: str = typer.Argument(..., help="The branch to work on: a name or uid (main to go back)."),
    create: bool = typer.Option(False, "-c", "--create", help="Create the branch first."),
    space: bool = typer.Option(False, "--space", help="Switch the space instead of the branch."),
) -> None:
    """Work on a branch (records you make carry it, queries see it and main), or a space."""
    if space:
        setup_public.switch(name, space=True, create=create)
        return
    branches.switch(name, create=create)


def merge(
    name: str = typer.Argument(..., help="The branch whose records move (name or uid)."),
    target: str | None = typer.Option(
        None, "--target", help="The branch to merge into (default: the current branch)."
    ),
) -> None:
    """Merge a branch into the current branch: its records move, as new versions where needed."""
    branches.merge(name, target=target)


@branch_app.command("list")
def list_(
    all_: bool = typer.Option(False, "--all", help="Also show closed branches."),
) -> None:
    """The branches, the current one marked with *."""
    current = branches.current_branch().id
    counts = branches.record_counts()
    for branch in branches.list_branches(include_closed=all_):
        n = sum(counts.get(int(branch.id), {}).values())
        marker = "*" if branch.id == current else " "
        status = f" [{branch.status}]" if branch.id != 1 else ""
        typer.echo(f"{marker} {branch.name}{status}  ({plural(n, 'record')})")


@branch_app.command("create")
def create_branch(
    name: str = typer.Argument(..., help="The new branch's name."),
    description: str | None = typer.Option(None, help="What the branch is for."),
) -> None:
    """Create a branch without switching to it."""
    branches.create_branch(name, description=description)


@branch_app.command("delete")
def delete(
    name: str = typer.Argument(..., help="The branch to delete."),
    force: bool = typer.Option(False, "--force", help="Move its unmerged records to the trash."),
) -> None:
    """Delete a branch; unmerged records make this fail unless --force."""
    branches.delete_branch(name, force=force)


def create(
    registry: str = typer.Argument(..., help="branch or project"),
    name: str = typer.Argument(..., help="The name of the new object."),
) -> None:
    """Create a branch or a project (LaminDB's `lamin create`)."""
    if registry == "branch":
        branches.create_branch(name)
    elif registry == "project":
        Project(name=name).save()
        typer.echo(f"→ created project: {name}")
    else:
        raise InvalidArgument(f"lamin create takes 'branch' or 'project', not '{registry}'")


def list_objects(
    registry: str = typer.Argument(..., help="branch or space"),
    limit: int = typer.Option(20, "--limit", min=1, help="Maximum number of rows to show."),
) -> None:
    """List branches or spaces as a table (LaminDB's `lamin list`)."""
    if registry == "branch":
        rows = branches.list_branches(include_closed=True)[:limit]
        for branch in rows:
            typer.echo(f"{branch.uid}  {branch.name}  {branch.status}")
    elif registry == "space":
        typer.echo(Space.to_dataframe(limit=limit).to_string())
    else:
        raise InvalidArgument(f"lamin list takes 'branch' or 'space', not '{registry}'")


def register(app: typer.Typer) -> None:
    """Add the branch commands to the `lamin` app."""
    app.command("switch")(switch)
    app.command("merge")(merge)
    app.command("create")(create)
    app.command("list")(list_objects)
    app.add_typer(branch_app, name="branch")
