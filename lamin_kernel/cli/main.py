"""The `lamin` command: init, connect, disconnect, info, delete, login, logout, settings, cache,
check; branches (cli.branches), records (cli.records), save and load (cli.tracking)."""

from __future__ import annotations

import json
import sys

import typer

from ..errors import LaminError
from ..records.integrity import check_instance
from ..records.orphans import DEFAULT_GRACE_SECONDS
from ..setup import instance, public, settings_files
from ..setup.paths import cache_dir
from ..setup.setup_settings import settings as setup_settings
from ..storage import transfer
from . import branches as branches_cli
from . import records, runs, tracking

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Manage lamin_kernel instances.")
settings_app = typer.Typer(help="Show or change user settings.", invoke_without_command=True)
cache_app = typer.Typer(help="The local cache of remote artifacts.")
app.add_typer(settings_app, name="settings")
app.add_typer(cache_app, name="cache")
branches_cli.register(app)
records.register(app)
tracking.register(app)
runs.register(app)
dev_dir_app = typer.Typer(help="The development directory of the current instance.")
settings_app.add_typer(dev_dir_app, name="dev-dir")


@app.command()
def init(
    storage: str = typer.Option(
        public.DEFAULT_STORAGE, help="A folder or s3://bucket for the instance's data."
    ),
    db: str | None = typer.Option(
        None, help="postgresql://user:pwd@host:port/dbname (default: SQLite in the storage)"
    ),
    name: str | None = typer.Option(
        None, help="Instance name (default: the current folder's name, or the storage's)."
    ),
    modules: str | None = typer.Option(None, help="Comma-separated modules, e.g. bionty."),
) -> None:
    """Create an instance in the current folder (its development directory) and use it."""
    public.init(storage=storage, db=db, name=name, modules=modules)


@app.command()
def connect(
    name: str = typer.Argument(..., help="The instance: its name or owner/name."),
    here: bool = typer.Option(
        False, "--here", help="Use it in the current folder only (make it a development dir)."
    ),
) -> None:
    """Make an instance the current one (by name or owner/name)."""
    instance.connect_from_terminal(name, here=here)


@app.command()
def disconnect(
    here: bool = typer.Option(False, "--here", help="Unset the current folder's instance."),
) -> None:
    """Stop using the current instance (here: in the current folder's development dir)."""
    instance.disconnect_from_terminal(here=here)


@app.command()
def info() -> None:
    """Show the current instance, branch, storage, database and user."""
    for key, value in instance.describe_instance().items():
        typer.echo(f"{key}: {value}")


@app.command()
def delete(
    entity: str = typer.Argument(..., help="An instance (name or owner/name) or a registry."),
    name: str | None = typer.Option(None, "--name", help="The record's name (branch, project)."),
    uid: str | None = typer.Option(None, "--uid", help="The record's uid."),
    key: str | None = typer.Option(None, "--key", help="The record's key (artifact, transform)."),
    permanent: bool | None = typer.Option(
        None, "--permanent", help="Delete the record for good instead of moving it to trash."
    ),
    force: bool = typer.Option(False, "--force", help="Do not ask (instances)."),
) -> None:
    """Delete a record (lamin delete artifact --key K) or an instance (files stay)."""
    if entity in records.REGISTRIES:
        records.delete_record(entity, uid, key, name, permanent)
        return
    if not force:
        typer.confirm(f"Delete instance {entity}? Its registry is lost.", abort=True)
    instance.delete(entity, force=True)


@app.command()
def login(
    user: str = typer.Argument(..., help="The handle to work as."),
    name: str | None = typer.Option(None, help="Full name."),
) -> None:
    """Work as a local user: records you create from now on name them as creator."""
    public.login(user, name=name)


@app.command()
def logout() -> None:
    """Work as the anonymous user again."""
    public.logout()


@settings_app.callback()
def settings_show(ctx: typer.Context) -> None:
    """Without a subcommand: print the settings."""
    if ctx.invoked_subcommand is None:
        user = settings_files.load_user_settings()
        data = {
            "current instance": settings_files.current_slug(),
            "instances": settings_files.list_instances(),
            **user.__dict__,
        }
        typer.echo(json.dumps(data, indent=2))


@settings_app.command("set")
def settings_set(key: str, value: str) -> None:
    """Set a user setting: auto-track true|false, openlineage FILE|URL|off."""
    user = settings_files.load_user_settings()
    if not tracking.apply_setting(user, key.replace("-", "_"), value):
        raise LaminError(f"unknown setting '{key}'; settable: auto-track, openlineage")
    settings_files.save_user_settings(user)
    typer.echo(f"✓ set {key} to {value}")


@dev_dir_app.command("get")
def dev_dir_get() -> None:
    """Print the development directory that holds the current folder (or None)."""
    typer.echo(str(setup_settings.dev_dir))


@dev_dir_app.command("set")
def dev_dir_set(folder: str = typer.Argument(..., help="The folder to mark.")) -> None:
    """Make a folder a development directory of the current instance."""
    setup_settings.dev_dir = folder
    typer.echo(f"✓ {setup_settings.instance.slug} is used in {folder}")


@dev_dir_app.command("unset")
def dev_dir_unset() -> None:
    """Remove the mark of the development directory that holds the current folder."""
    setup_settings.dev_dir = None


@app.command()
def check(
    fix: bool = typer.Option(
        False,
        "--fix",
        help="Remove orphaned files; put back what an interrupted new version set aside.",
    ),
    grace: float = typer.Option(
        DEFAULT_GRACE_SECONDS,
        "--grace",
        min=0,
        help="Seconds a file without a row must be old before it counts as an orphan.",
    ),
) -> None:
    """Verify every artifact's bytes against its hash; report missing, altered and orphaned
    files (files in this instance's storage that no row accounts for, older than --grace)."""
    report = check_instance(fix=fix, grace_seconds=grace)
    for line in report.lines():
        typer.echo(line)
    unresolved = (
        report.missing
        or report.altered
        or report.interrupted
        or (set(report.orphans) - set(report.removed))
    )
    if unresolved:
        raise typer.Exit(1)
    typer.echo("✓ all artifacts are intact")


@cache_app.command("clear")
def cache_clear() -> None:
    """Remove every cached download."""
    transfer.remove(str(cache_dir()))
    typer.echo(f"✓ cleared {cache_dir()}")


def main() -> None:
    """Entry point: lamin_kernel errors become one clear line and exit code 1."""
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except LaminError as exc:
        typer.echo(f"✗ {exc}", err=True)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
