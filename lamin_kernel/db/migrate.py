"""Schema migrations with alembic; alembic is imported only when a database must change."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from ..errors import InstanceNotSetupError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions; a unit test checks it against alembic's head.
HEAD_REVISION = "0001"


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            if inspect(conn).has_table("lk_artifact"):
                raise InstanceNotSetupError("database has lamin tables but no migration stamp")
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def alembic_config(engine: Engine):  # noqa: ANN201 - alembic type imported lazily
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`; a failing migration leaves it as it was."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def ensure_current(engine: Engine) -> bool:
    """Migrate if behind; True when a migration ran. Cheap when already current."""
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return False
    upgrade(engine)
    return True
