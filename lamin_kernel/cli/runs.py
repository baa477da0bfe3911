"""``lamin diff RUN_A RUN_B`` (what differs between two runs) and ``lamin rerun RUN_UID
[--check]`` (run a run's transform again; with --check, compare its outputs and keep nothing)."""

from __future__ import annotations

import json
from typing import Any

import typer

from ..errors import InvalidArgument
from ..models import Run
from ..tracking import rerun as reruns


def register(app: typer.Typer) -> None:
    """Add ``diff`` to the ``lamin`` command."""
    app.command("diff")(diff)
    app.command("rerun")(rerun)


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


def _environment_lines(changes: dict[str, Any]) -> list[str]:
    lines = [f"  + {n}=={v}" for n, v in changes["added"].items()]
    lines += [f"  - {n}=={v}" for n, v in changes["removed"].items()]
    lines += [f"  ~ {n}: {a} → {b}" for n, (a, b) in changes["changed"].items()]
    return lines


def environment_report(run_uid: str, changes: dict[str, Any]) -> str:
    """What `lamin rerun` prints before it runs: the packages that differ from the run's."""
    if changes["recorded"] is None:
        return f"run {run_uid} stored no environment: packages cannot be compared"
    lines = _environment_lines(changes)
    scope = "imported packages" if changes["recorded"] == "imported" else "environment"
    if not lines:
        return f"the {scope} of run {run_uid} is the same here ({changes['n_same']} packages)"
    counts = ", ".join(f"{len(changes[k])} {k}" for k in ("changed", "added", "removed"))
    return "\n".join(
        [f"packages that differ from the {scope} of run {run_uid} ({counts}):", *lines]
    )


def rerun(
    run_uid: str | None = typer.Argument(None, help="The uid of the run to run again."),
    check: bool = typer.Option(
        False,
        "--check",
        help="Compare the new outputs with the original's and keep no new versions; exit 1 "
        "when an output differs.",
    ),
    stale: str | None = typer.Option(
        None,
        "--stale",
        metavar="KEY|UID",
        help="Rerun every run downstream of this artifact's older versions, in dependency "
        "order, with the newest inputs; stop at the first failure.",
    ),
) -> None:
    """Run a run's transform again from its stored source, with the same inputs."""
    if (run_uid is None) == (stale is None):
        raise InvalidArgument("name a run (lamin rerun RUN_UID) or an artifact (--stale KEY|UID)")
    if stale is not None:
        if check:
            raise InvalidArgument("--stale reruns with the newest inputs: it takes no --check")
        results = reruns.rerun_stale(stale)
        if not results:
            typer.echo(f"nothing is stale downstream of {stale}")
        for result in results:
            typer.echo(
                f"reran run {result.original.uid} ({result.original.transform.key}): "
                f"new run {result.rerun.uid}"
            )
        return
    original = get_run(run_uid)
    typer.echo(environment_report(original.uid, reruns.environment_changes(original)))
    result = reruns.rerun(original.uid, check=check)
    typer.echo(f"{'checked' if check else 'reran'} run {original.uid} in {result.seconds:.1f} s")
    if not check:
        typer.echo(f"new run {result.rerun.uid} (initiated by run {original.uid})")
    _print_checks(result.checks)
    if check and not result.reproduced:
        raise typer.Exit(1)


def _print_checks(checks: list[Any]) -> None:
    width = max([len(c.label) for c in checks] + [6])
    typer.echo(f"{'output'.ljust(width)}  status      details")
    for item in checks:
        typer.echo(f"{item.label.ljust(width)}  {item.status.ljust(10)}  {item.detail_text()}")
