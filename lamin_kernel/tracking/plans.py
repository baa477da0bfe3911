"""Agent plans: markdown files saved as Artifacts of kind ``plan`` on the current branch.

``lamin save plan.md`` stores one, ``ln.track(plan="plan.md")`` stores it (or finds it, when
the same text is stored already) and links it to the run as ``run.plan``. The key is
``.plans/<file name>``, so a changed plan becomes a new version of the same key. Records
are created on the current branch (``lamin switch``), which is how a plan belongs to one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InvalidArgument
from .run_files import RunFile, store_run_file

PLAN_KIND = "plan"
PLAN_SUFFIXES = (".md", ".markdown")


def plan_key(path: Path) -> str:
    return f".plans/{path.name}"


def save_plan(path: str | Path) -> Any:
    """The plan artifact for a markdown file: stored now, or the one with the same text."""
    plan_path = Path(path).expanduser()
    if plan_path.suffix.lower() not in PLAN_SUFFIXES:
        raise InvalidArgument(f"a plan is a markdown file (.md), got {plan_path.name}")
    try:
        data = plan_path.read_bytes()
    except OSError as exc:
        raise InvalidArgument(f"cannot read the plan {plan_path}: {exc.strerror}") from exc
    return store_run_file(
        RunFile(
            data,
            suffix=plan_path.suffix,
            description=_title(data) or plan_path.stem,
            kind=PLAN_KIND,
            key=plan_key(plan_path),
        )
    )


def _title(data: bytes) -> str | None:
    """The first ``# heading`` of the plan, as its description."""
    for line in data.decode("utf-8", errors="replace").splitlines():
        if line.startswith("# "):
            return line[2:].strip()[:255] or None
    return None
