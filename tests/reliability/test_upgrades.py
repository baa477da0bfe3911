"""Upgrades: an older schema migrates without losing a row; a failing migration changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.db import migrate
from lamin_kernel.db.engine import make_engine
from lamin_kernel.setup import instance as setup_instance

FAILING_MIGRATION = '''
"""a migration that fails half-way"""
import sqlalchemy as sa
from alembic import op

revision = "0999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("lk_should_vanish", sa.Column("id", sa.Integer, primary_key=True))
    op.add_column("lk_ulabel", sa.Column("extra", sa.String(10)))
    op.execute("UPDATE lk_ulabel SET name = 'changed ' || name")
    raise RuntimeError("this migration fails after changing things")


def downgrade() -> None:
    pass
'''


def columns(engine: sa.Engine, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns(table)}


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_failing_migration_leaves_database_as_it_was(instance: dict, tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    ln.save([ln.ULabel(name=f"keep {i}") for i in range(5)])
    url = runtime.connection().settings.db_url
    runtime.reset()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0999_fails.py").write_text(
        FAILING_MIGRATION.format(head=migrate.core_head())
    )
    engine = make_engine(url)
    before = migrate.stamped_revisions(engine)
    config = Config()
    config.set_main_option("script_location", str(scripts))
    config.attributes["engine"] = engine
    with pytest.raises(RuntimeError, match="fails after changing things"):
        command.upgrade(config, "0999")
    assert migrate.stamped_revisions(engine) == before
    assert not sa.inspect(engine).has_table("lk_should_vanish")
    assert "extra" not in columns(engine, "lk_ulabel")
    with engine.connect() as conn:
        names = sorted(r[0] for r in conn.execute(sa.text("SELECT name FROM lk_ulabel")))
    assert names == [f"keep {i}" for i in range(5)]
    engine.dispose()


@pytest.mark.backends("postgres-local")
def test_postgres_database_at_first_schema_migrates_without_loss(instance: dict, postgres) -> None:
    """A PostgreSQL database made at revision 0001 with rows opens at the current head."""
    url = postgres.create_database("lk_upgrade_from_0001")
    engine = make_engine(url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        from lamin_kernel.db import bootstrap

        bootstrap.ensure_defaults(conn)
        user_id = bootstrap.ensure_user(conn, "anonymous", "00000000", None)
        bootstrap.ensure_storage(
            conn, str(instance["tmp"] / "old"), "local", "oldinstance1", user_id
        )
        conn.execute(
            sa.text(
                "INSERT INTO lk_ulabel (uid, name, is_type, is_locked, created_at, branch_id,"
                " created_on_id, space_id, created_by_id) VALUES"
                " ('abcdefgh', 'made at 0001', false, false, now(), 1, 1, 1, :u)"
            ),
            {"u": user_id},
        )
    assert migrate.current_revision(engine) == "0001"
    engine.dispose()
    runtime.reset()
    setup_instance.init(str(instance["tmp"] / "old"), db=url, name="old-pg")
    assert migrate.current_revision(runtime.connection().engine) == migrate.core_head()
    assert ln.ULabel.get("abcdefgh").name == "made at 0001"
    ln.ULabel(name="made at head").save()
    assert ln.ULabel.filter().count() == 2
