"""The search index migration: built from the rows already there, removed on downgrade, and
skipped with a clear warning where PostgreSQL's pg_trgm cannot be created."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import psycopg
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.db import bootstrap, migrate
from lamin_kernel.db.engine import make_engine
from lamin_kernel.query.search import search_ids
from lamin_kernel.setup import instance as setup_instance


def search_objects(engine: sa.Engine) -> set[str]:
    """Names of the search index objects of lk_ulabel in the database."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(
                sa.text(
                    "SELECT name FROM sqlite_master WHERE name LIKE 'lk\\_ulabel\\_fts%' ESCAPE '\\'"
                )
            )
        else:
            rows = conn.execute(
                sa.text("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%ulabel%trgm'")
            )
        return {r[0] for r in rows}


def matching_ids(engine: sa.Engine, chars: str) -> list[int]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = "SELECT rowid FROM lk_ulabel_fts WHERE lk_ulabel_fts MATCH :m"
            return list(conn.execute(sa.text(sql), {"m": f'"{chars}"'}).scalars())
        sql = "SELECT id FROM lk_ulabel WHERE 'qx' || lower(name) || 'qx' LIKE :p"
        return list(conn.execute(sa.text(sql), {"p": f"%{chars}%"}).scalars())


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_index_is_built_from_old_rows_and_removed_on_downgrade(
    instance: dict, request: pytest.FixtureRequest
) -> None:
    if instance["db"] is None:
        url = f"sqlite:///{instance['tmp'] / 'before_search.db'}"
    else:
        url = request.getfixturevalue("postgres").create_database(f"lk_s_{uuid.uuid4().hex[:8]}")
    runtime.reset()
    engine = make_engine(url)
    before = ScriptDirectory.from_config(migrate.alembic_config(engine)).get_revision("0007_search")
    migrate.upgrade(engine, before.down_revision)
    with engine.begin() as conn:
        bootstrap.ensure_defaults(conn)
        user_id = bootstrap.ensure_user(conn, "anonymous", "00000000", None)
        conn.execute(
            sa.text(
                "INSERT INTO lk_ulabel (uid, name, is_type, is_locked, created_at, branch_id,"
                " created_on_id, space_id, created_by_id) VALUES"
                " ('abcdefgh', 'Old Label', :no, :no, :now, 1, 1, 1, :u)"
            ),
            {"no": False, "now": datetime(2026, 1, 1, tzinfo=UTC), "u": user_id},
        )
    assert search_objects(engine) == set()
    assert migrate.ensure_current(engine)
    assert search_objects(engine)
    assert matching_ids(engine, "old lab") == [1]
    command.downgrade(migrate.alembic_config(engine), before.down_revision)
    assert search_objects(engine) == set()
    with engine.begin() as conn:  # without the index, writes still work
        conn.execute(sa.text("UPDATE lk_ulabel SET name = 'renamed' WHERE id = 1"))
    assert migrate.ensure_current(engine)
    assert matching_ids(engine, "renam") == [1] and matching_ids(engine, "old lab") == []
    engine.dispose()


@pytest.mark.backends("postgres-local")
def test_without_pg_trgm_search_scans_the_newest_records(
    instance: dict, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture
) -> None:
    """A role that may create tables but not extensions gets an instance that searches."""
    server = request.getfixturevalue("postgres")
    name = f"lk_plain_{uuid.uuid4().hex[:8]}"
    server.create_database(name)
    with psycopg.connect(server.admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{name}" LOGIN')
    with psycopg.connect(server.admin_url.rsplit("/", 1)[0] + f"/{name}", autocommit=True) as conn:
        conn.execute(f'GRANT CREATE, USAGE ON SCHEMA public TO "{name}"')
    runtime.reset()
    url = f"postgresql://{name}@127.0.0.1:{server.port}/{name}"
    setup_instance.init(str(instance["tmp"] / "plain"), db=url, name=name)
    assert "pg_trgm could not be created" in capsys.readouterr().out
    ln.save([ln.ULabel(name=f"label {i}") for i in range(5)])
    assert ln.ULabel.search("label 3").first().name == "label 3"
    assert search_ids(ln.ULabel.filter(), "label").complete  # 5 rows: the whole registry
    with runtime.connection().engine.connect() as conn:
        indexes = conn.execute(
            sa.text("SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%trgm'")
        ).scalar()
    assert indexes == 0


def test_every_searchable_registry_has_its_index(instance: dict) -> None:
    """A registry added with search fields needs its create_search_index line (ARCHITECTURE)."""
    from sqlmodel import SQLModel

    import lamin_kernel.bionty  # noqa: F401 - the bionty registries
    from lamin_kernel.query.search import search_fields
    from lamin_kernel.query.search_run import search_run
    from lamin_kernel.query.search_sources import search_index_of

    setup_instance.init(instance["storage"], modules=["bionty"])
    missing = []
    with search_run() as run:
        for mapper in SQLModel._sa_registry.mappers:
            model = mapper.class_
            fields = search_fields(model) if hasattr(model, "__lk_search_fields__") else []
            index = search_index_of(run, model.__tablename__) if fields else None
            if fields and not set(fields) <= index.fields:
                missing.append(f"{model.__tablename__} {fields}")
    assert missing == []
