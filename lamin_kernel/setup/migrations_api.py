"""`ln.setup.migrate`: LaminDB's handle on the database migrations of the current instance.

Here the migrations ship with lamin_kernel (alembic, `db/migrations`) and every connection
brings the database to their heads, so `deploy()` is what a connection does anyway, made
explicit; `check()` says whether the database is at the migrations' heads; `create()` is for
people who write their own schema modules, which this project does not take.
"""

from __future__ import annotations

from .. import log
from ..db.migrate import (
    branches,
    core_head,
    ensure_modules_current,
    modules_of,
    stamped_revisions,
)
from ..errors import InvalidArgument
from .session import connection


class migrate:  # noqa: N801 - LaminDB's name: `ln.setup.migrate.deploy()`
    """Manage the database migrations of the current instance."""

    @classmethod
    def create(cls) -> None:
        """Refused: the registries are lamin_kernel's own; there is no schema module to
        generate a migration for."""
        raise InvalidArgument(
            "ln.setup.migrate.create() makes a migration for a schema module of your own; "
            "lamin_kernel's registries and their migrations ship with the package and custom "
            "schema modules are not supported"
        )

    @classmethod
    def deploy(cls, package_name: str | None = None, number: int | None = None) -> None:
        """Bring the current instance's database to the newest migrations (core and modules).

        `package_name` and `number` (one migration of one package) are not supported: the
        database always moves to the heads, never to an earlier migration."""
        if package_name is not None or number is not None:
            raise InvalidArgument(
                "ln.setup.migrate.deploy() migrates to the newest migrations only; "
                f"package_name={package_name!r}, number={number!r} cannot be deployed alone"
            )
        conn = connection()
        result = ensure_modules_current(conn.engine, conn.settings.modules)
        if result.migrated:
            log.success(f"migrated {conn.settings.slug} to the newest migrations")
        else:
            log.info(f"{conn.settings.slug} is at the newest migrations already")

    @classmethod
    def check(cls) -> bool:
        """Whether the current instance's database is at the newest migrations."""
        conn = connection()
        stamped = stamped_revisions(conn.engine)
        modules = set(conn.settings.modules) | modules_of(stamped)
        heads = {core_head(), *(h for m in modules for h in branches()[m].heads)}
        if stamped == heads:
            return True
        log.warning(
            f"the database of {conn.settings.slug} is not at the newest migrations: "
            "run ln.setup.migrate.deploy()"
        )
        return False
