"""``lamin save FILE``, ``lamin load KEY|UID`` and the tracking settings (auto-track, OpenLineage)."""

from __future__ import annotations

from pathlib import Path

import typer

from .. import tracking
from ..errors import InvalidArgument
from ..setup.settings_files import UserSettings
from ..tracking.startup_file import install_startup_file, remove_startup_file

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def register(app: typer.Typer) -> None:
    """Add ``save`` and ``load`` to the ``lamin`` command."""
    app.command("save")(save)
    app.command("load")(load)


def save(
    path: Path = typer.Argument(..., help="A script (.py), notebook (.ipynb) or plan (.md)."),
) -> None:
    """Save a script's or notebook's source (and report), or an agent plan on the current branch."""
    tracking.save_file(path)


def load(
    key_or_uid: str | None = typer.Argument(None, metavar="[KEY|UID]"),
    key: str | None = typer.Option(None, "--key", help="The transform's key."),
    uid: str | None = typer.Option(None, "--uid", help="The transform's uid."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Where to write the file."),
    force: bool = typer.Option(False, "--force", help="Overwrite a different existing file."),
) -> None:
    """Write a transform's latest source back to a file, to start a new version."""
    given = [v for v in (key_or_uid, key, uid) if v is not None]
    if len(given) != 1:
        raise InvalidArgument("name one transform: lamin load --key KEY, --uid UID or KEY|UID")
    tracking.load_source(given[0], output, force=force)


def apply_setting(user: UserSettings, key: str, value: str) -> bool:
    """Set a tracking setting on ``user``; False when ``key`` is not one of them.

    ``auto-track true|false`` also installs or removes the IPython startup file;
    ``openlineage FILE.jsonl|http(s)://URL|off`` turns the OpenLineage emitter on or off.
    """
    if key == "auto_track":
        user.auto_track = _boolean(key, value)
        path = install_startup_file() if user.auto_track else None
        if path is None:
            remove_startup_file()
        else:
            typer.echo(f"→ kernels load lamin_kernel at start: {path}")
        return True
    if key == "openlineage":
        user.openlineage = _openlineage(value)
        return True
    return False


def _boolean(key: str, value: str) -> bool:
    lowered = value.lower()
    if lowered not in _TRUE | _FALSE:
        raise InvalidArgument(f"{key} takes true or false, got '{value}'")
    return lowered in _TRUE


def _openlineage(value: str) -> dict[str, str]:
    if value.lower() in _FALSE | {"none", ""}:
        return {}
    if value.startswith(("http://", "https://")):
        return {"url": value}
    return {"file": str(Path(value).expanduser().resolve())}
