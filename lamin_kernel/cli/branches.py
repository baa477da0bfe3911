"""`lamin switch [-c] NAME`, `lamin merge NAME`, `lamin branch list | delete NAME`."""

from __future__ import annotations

import typer

from .. import branches
from ..branches.merging import plural

branch_app = typer.Typer(help="List or delete contribution branches.", no_args_is_help=True)


def switch(
    name: str = typer.Argument(..., help="The branch to work on (main to go back)."),
    create: bool = typer.Option(False, "-c", "--create", help="Create the branch first."),
) -> None:
    """Work on a branch: records you make carry it, queries see it and main."""
    branches.switch(name, create=create)


def merge(name: str = typer.Argument(..., help="The branch whose records move to main.")) -> None:
    """Merge a branch into main: its records move to main, as new versions where needed."""
    branches.merge(name)


@branch_app.command("list")
def list_(
    all_: bool = typer.Option(False, "--all", help="Also show deleted branches."),
) -> None:
    """The branches, the current one marked with *."""
    current = branches.current_branch().id
    counts = branches.record_counts()
    for branch in branches.list_branches(include_deleted=all_):
        n = sum(counts.get(int(branch.id), {}).values())
        marker = "*" if branch.id == current else " "
        status = f" [{branch.status}]" if branch.status and branch.id != 1 else ""
        typer.echo(f"{marker} {branch.name}{status}  ({plural(n, 'record')})")


@branch_app.command("delete")
def delete(
    name: str = typer.Argument(..., help="The branch to delete."),
    force: bool = typer.Option(False, "--force", help="Move its unmerged records to the trash."),
) -> None:
    """Delete a branch; unmerged records make this fail unless --force."""
    branches.delete_branch(name, force=force)


def register(app: typer.Typer) -> None:
    """Add the branch commands to the `lamin` app."""
    app.command("switch")(switch)
    app.command("merge")(merge)
    app.add_typer(branch_app, name="branch")
