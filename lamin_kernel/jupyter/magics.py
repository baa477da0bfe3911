"""``%lamin``: track, finish, status, save, view and lineage from a notebook cell.

    %lamin track [UID] [--key KEY]   ln.track()
    %lamin finish                    ln.finish()
    %lamin status                    transform, run, inputs and outputs so far
    %lamin save [PATH]               lamin save PATH (default: this notebook)
    %lamin view                      ln.view()
    %lamin lineage KEY               view_lineage() of the artifact (or transform) with KEY

The registries load on first use, through ``lamin_kernel``'s lazy namespace.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

from IPython.core.magic import Magics, line_magic, magics_class

import lamin_kernel as ln

from .. import tracking
from ..errors import DoesNotExist, InvalidArgument, LaminError
from ..tracking import state


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # type: ignore[override]
        raise InvalidArgument(f"%lamin: {message}; see %lamin? for usage")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="%lamin", add_help=False)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    track = commands.add_parser("track")
    track.add_argument("uid", nargs="?")
    track.add_argument("--key")
    commands.add_parser("finish")
    commands.add_parser("status")
    commands.add_parser("save").add_argument("path", nargs="?")
    commands.add_parser("view")
    commands.add_parser("lineage").add_argument("key")
    return parser


@magics_class
class LaminMagics(Magics):
    """The ``%lamin`` line magic; each command is one small function."""

    @line_magic
    def lamin(self, line: str) -> Any:
        """%lamin track|finish|status|save|view|lineage — see the module docstring."""
        try:
            args = _parser().parse_args(shlex.split(line))
            return COMMANDS[args.command](args)
        except LaminError as exc:
            print(f"✗ {exc}")
            return None


def _track(args: argparse.Namespace) -> None:
    ln.track(args.uid, key=args.key)


def _finish(_args: argparse.Namespace) -> None:
    ln.finish()


def _status(_args: argparse.Namespace) -> None:
    print(status_text())


def status_text() -> str:
    """The tracked transform and run, and the artifacts loaded and saved so far."""
    tracked = state.current()
    if tracked is None:
        return "not tracked: run ln.track() or %lamin track"
    transform, run = tracked.transform, tracked.run
    lines = [
        f"transform: Transform('{transform.uid}', key='{transform.key}', kind='{tracked.kind}')",
        f"run: Run('{run.uid}'), started_at={run.started_at}, finished_at={run.finished_at}",
        _artifact_line("inputs", tracked.inputs),
        _artifact_line("outputs", tracked.outputs),
    ]
    return "\n".join(lines)


def _artifact_line(label: str, ids: set[int]) -> str:
    if not ids:
        return f"{label}: none"
    artifacts = ln.Artifact.filter(id__in=sorted(ids)).order_by("id")
    names = ", ".join(f"{a.key or a.description or ''} ({a.uid})" for a in artifacts)
    return f"{label} ({len(ids)}): {names}"


def _save(args: argparse.Namespace) -> None:
    path = args.path or (str(ln.context.path) if ln.context.path else None)
    if path is None:
        raise InvalidArgument("%lamin save needs a path when nothing is tracked")
    tracking.save_file(Path(path))


def _view(_args: argparse.Namespace) -> None:
    ln.view()


def _lineage(args: argparse.Namespace) -> Any:
    for registry in (ln.Artifact, ln.Transform):
        record = registry.filter(key=args.key).order_by("-id").first()
        if record is not None:
            return record.view_lineage()
    raise DoesNotExist(f"no artifact or transform has the key '{args.key}'")


COMMANDS: dict[str, Callable[[argparse.Namespace], Any]] = {
    "track": _track,
    "finish": _finish,
    "status": _status,
    "save": _save,
    "view": _view,
    "lineage": _lineage,
}
