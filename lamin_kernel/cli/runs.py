"""``lamin diff RUN_A RUN_B``: what differs between two runs (and, later here, reruns)."""

from __future__ import annotations

import json
from typing import Any

import typer

from ..models import Run


def register(app: typer.Typer) -> None:
    """Add ``diff`` to the ``lamin`` command."""
    app.command("diff")(diff)


def get_run(uid: str) -> Any:
    """A run by its uid (the full 16 characters or a unique prefix)."""
    return Run.get(uid)


def diff(
    run_a: str = typer.Argument(..., help="The uid of the first run."),
    run_b: str = typer.Argument(..., help="The uid of the second run."),
    as_json: bool = typer.Option(False, "--json", help="Print the diff as JSON."),
) -> None:
    """Show what differs between two runs: params, feature values, inputs, outputs,
    environment packages and source."""
    result = Run.diff(get_run(run_a), get_run(run_b))
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, default=str))
    else:
        typer.echo(str(result))
