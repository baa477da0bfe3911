"""Schema migrations with alembic, per module; alembic is imported only when a database must change.

The core schema is one alembic branch (lamin_kernel/db/migrations/versions); each optional
module has its own branch in its own folder (bionty: lamin_kernel/bionty/migrations/versions,
`branch_labels=("bionty",)`, its first revision `depends_on` a core revision). An instance
gets the core branch and the branches of its modules; `alembic_version` then holds one row per
head. The heads are found by reading the `revision = ` and `down_revision = ` lines of the
version files once per process, so checking that a database is current costs one SELECT.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from ..errors import InstanceNotSetupError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
CORE = "core"
# module -> folder of its version files (a path, not an import: modules live in higher layers)
VERSION_DIRS = {
    CORE: MIGRATIONS_DIR / "versions",
    "bionty": Path(__file__).parent.parent / "bionty" / "migrations" / "versions",
}
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"""["']([^"']+)["']""")


@dataclass(frozen=True)
class Branch:
    """The revisions of one module's branch and its heads (the ones no revision builds on)."""

    module: str
    revisions: frozenset[str]
    heads: tuple[str, ...]


def _read_revisions(folder: Path) -> dict[str, tuple[str, ...]]:
    """revision -> its down revisions, from the version files of one folder."""
    found: dict[str, tuple[str, ...]] = {}
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        values = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        if "revision" in values:
            revision = _QUOTED.findall(values["revision"])[0]
            found[revision] = tuple(_QUOTED.findall(values.get("down_revision", "")))
    return found


@functools.cache
def branches() -> dict[str, Branch]:
    """Every module's branch, read from its version files (once per process)."""
    result = {}
    for module, folder in VERSION_DIRS.items():
        revisions = _read_revisions(folder)
        below = {down for downs in revisions.values() for down in downs}
        heads = tuple(sorted(r for r in revisions if r not in below))
        result[module] = Branch(module, frozenset(revisions), heads)
    return result


def known_modules() -> list[str]:
    """Modules an instance can have besides the core."""
    return [m for m in VERSION_DIRS if m != CORE]


def core_head() -> str:
    """The newest core revision."""
    heads = branches()[CORE].heads
    if len(heads) != 1:
        raise RuntimeError(f"the core migrations have {len(heads)} heads {heads}; merge them")
    return heads[0]


def __getattr__(name: str) -> Any:
    # HEAD_REVISION (the core head) is read from the version files when first asked for.
    if name == "HEAD_REVISION":
        return core_head()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def stamped_revisions(engine: Engine) -> set[str]:
    """The revisions stamped in the database (one per branch head); empty for a new database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            if inspect(conn).has_table("lk_artifact"):
                raise InstanceNotSetupError("database has lamin tables but no migration stamp")
            return set()
        return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}


def current_revision(engine: Engine) -> str | None:
    """The core revision stamped in the database, or None for an empty database."""
    core = branches()[CORE].revisions
    stamped = stamped_revisions(engine)
    return next((r for r in sorted(stamped) if r in core), None)


def modules_of(stamped: Iterable[str]) -> set[str]:
    """The modules whose branches a database has, from its stamped revisions."""
    return {
        module
        for module, branch in branches().items()
        if module != CORE and branch.revisions & set(stamped)
    }


def alembic_config(engine: Engine, modules: Iterable[str] = ()):  # noqa: ANN201 - alembic lazily
    """An alembic config for the core branch and the branches of `modules`."""
    import os

    from alembic.config import Config

    folders = [VERSION_DIRS[CORE], *(VERSION_DIRS[m] for m in sorted(set(modules)))]
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(str(f) for f in folders))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head", modules: Iterable[str] = ()) -> None:
    """Bring the database to `revision`; a failing migration leaves it as it was."""
    from alembic import command

    command.upgrade(alembic_config(engine, modules), revision)


@dataclass(frozen=True)
class MigrationResult:
    """What ensure_modules_current() did, and which modules the database has afterwards."""

    migrated: bool
    modules: frozenset[str]


def ensure_modules_current(engine: Engine, modules: Iterable[str] = ()) -> MigrationResult:
    """Bring the core and every module (asked for, or already in the database) to its head.

    Cheap when current: one SELECT of alembic_version, no alembic import.
    """
    unknown = set(modules) - set(known_modules())
    if unknown:
        raise InstanceNotSetupError(
            f"unknown module(s) {sorted(unknown)}; known: {known_modules()}"
        )
    stamped = stamped_revisions(engine)
    everything = set().union(*(b.revisions for b in branches().values()))
    if stamped - everything:
        raise InstanceNotSetupError(
            f"the database was migrated by a newer lamin_kernel (revision "
            f"{', '.join(sorted(stamped - everything))}); upgrade lamin_kernel to open it"
        )
    wanted = set(modules) | modules_of(stamped)
    heads = {core_head(), *(h for m in wanted for h in branches()[m].heads)}
    if heads == stamped:
        return MigrationResult(False, frozenset(wanted))
    upgrade(engine, "heads", wanted)  # every head of the core and of these modules' branches
    return MigrationResult(True, frozenset(wanted))


def ensure_current(engine: Engine, modules: Iterable[str] = ()) -> bool:
    """Migrate if behind; True when a migration ran. Cheap when already current."""
    return ensure_modules_current(engine, modules).migrated
