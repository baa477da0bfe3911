"""Instances made by older schema versions open with the current code, without loss."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pandas as pd
import pytest
import sqlalchemy as sa

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.db import bootstrap, migrate
from lamin_kernel.db.engine import make_engine
from lamin_kernel.db.migrate import HEAD_REVISION, current_revision
from lamin_kernel.db.prefix_indexes import is_prefix_index
from lamin_kernel.db.search_index import is_search_index_object
from lamin_kernel.db.unique_names import is_unique_name_index
from lamin_kernel.setup import instance

FIXTURES = Path(__file__).parent.parent / "fixtures"
# revision -> the fixture folder made by that schema (see tests/fixtures/)
SCHEMA_FIXTURES = {"0001": "instance_0001", "0002": "instance_0002"}


def row_counts(db_file: Path) -> dict[str, int]:
    """Rows per table of an SQLite file, read without lamin_kernel (search indexes aside)."""
    with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as conn:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name != "alembic_version" and not is_search_index_object(name)
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.parametrize("revision", sorted(SCHEMA_FIXTURES))
def test_instance_from_an_older_schema_opens_and_migrates(tmp_path: Path, revision: str) -> None:
    root = tmp_path / SCHEMA_FIXTURES[revision]
    shutil.copytree(FIXTURES / SCHEMA_FIXTURES[revision], root)
    db_file = root / ".lamindb" / "lamin.db"
    with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(revision,)]
    before = row_counts(db_file)
    runtime.reset()
    instance.init(str(root))
    engine = runtime.connection().engine
    assert current_revision(engine) == HEAD_REVISION != revision
    after = row_counts(db_file)
    assert {t: after[t] for t in before} == before  # no row lost, none added
    artifacts = ln.Artifact.filter(key="fixture/table.parquet").order_by("id").to_list()
    assert len(artifacts) == 2 and artifacts[1].is_latest and not artifacts[0].is_latest
    assert artifacts[0].description == f"made at schema {revision}"
    assert artifacts[0].load()["value"].tolist() == [1.5, 2.5]
    assert artifacts[1].ulabels.all().one().name == "fixture label"
    assert artifacts[0].transform.key == "make_fixture.py"
    run = artifacts[0].run
    assert run.imported_packages is None  # a column added by 0003, empty for old runs
    new = ln.Artifact.from_dataframe(pd.DataFrame({"v": [9]}), key="after/upgrade.parquet").save()
    assert new.storage.root == str(root)
    label = ln.ULabel.get(name="fixture label")
    run.ulabels.add(label)  # link tables added by 0003
    assert ln.Run.filter(ulabels__name="fixture label").one().id == run.id
    runtime.reset()


def test_rows_of_schema_0002_survive_with_their_links(tmp_path: Path) -> None:
    root = tmp_path / "instance_0002"
    shutil.copytree(FIXTURES / "instance_0002", root)
    runtime.reset()
    instance.init(str(root))
    latest = ln.Artifact.get(key="fixture/table.parquet")
    assert latest.schema.name == "fixture schema"
    assert [s.name for s in latest.feature_sets] == ["fixture schema"]
    previous = latest.versions.to_list()[-1]
    assert previous.features.get_values() == {"value": 2.0}
    typed = ln.ULabel.get(name="typed label")
    assert typed.type.name == "fixture type" and typed.type.is_type
    collection = ln.Collection.get(key="fixture/collection")
    assert [a.id for a in collection.ordered_artifacts] == [previous.id, latest.id]
    collection.ulabels.add(typed)
    assert ln.Collection.filter(ulabels=typed).one().id == collection.id
    assert [r.id for r in previous.input_of_runs] == [previous.run_id]
    with sqlite3.connect(root / ".lamindb" / "lamin.db") as conn:
        reports = conn.execute("SELECT passed, artifact_id FROM lk_validation_report").fetchall()
    assert reports == [(1, latest.id)]
    runtime.reset()


@pytest.mark.backends("sqlite-local", "postgres-local")
def insert_old_transform(conn: sa.Connection, common: dict) -> None:
    """A transform row as an older schema has it (`common`: user id, False, a time)."""
    conn.execute(
        sa.text(
            "INSERT INTO lk_transform (uid, key, kind, is_latest, is_locked, created_at,"
            " branch_id, created_on_id, space_id, created_by_id) VALUES"
            " ('abcdefghijkl0000', 'old.py', 'script', :yes, :no, :now, 1, 1, 1, :u)"
        ),
        {**common, "yes": True},
    )


def test_schema_0002_database_upgrades_to_head(
    instance: dict, request: pytest.FixtureRequest
) -> None:
    """A database at 0002 with a run gets 0003's tables and column; its rows are kept."""
    if instance["db"] is None:
        url = f"sqlite:///{instance['tmp'] / 'at_0002.db'}"
    else:
        url = request.getfixturevalue("postgres").create_database(f"lk_at_0002_{uuid4().hex[:8]}")
    runtime.reset()
    engine = make_engine(url)
    migrate.upgrade(engine, "0002")
    now, no = datetime(2026, 1, 1, tzinfo=UTC), False
    with engine.begin() as conn:
        bootstrap.ensure_defaults(conn)
        user_id = bootstrap.ensure_user(conn, "anonymous", "00000000", None)
        common = {"u": user_id, "no": no, "now": now}
        insert_old_transform(conn, common)
        conn.execute(
            sa.text(
                "INSERT INTO lk_run (uid, transform_id, _status, is_locked, created_at,"
                " branch_id, created_on_id, space_id, created_by_id) VALUES"
                " ('abcdefghijklmnop', 1, 'completed', :no, :now, 1, 1, 1, :u)"
            ),
            common,
        )
        conn.execute(
            sa.text(
                "INSERT INTO lk_ulabel (uid, name, is_type, is_locked, created_at, branch_id,"
                " created_on_id, space_id, created_by_id) VALUES"
                " ('abcdefgh', 'old label', :no, :no, :now, 1, 1, 1, :u)"
            ),
            common,
        )
    assert migrate.current_revision(engine) == "0002"
    assert migrate.ensure_current(engine)
    assert migrate.current_revision(engine) == HEAD_REVISION
    inspector = sa.inspect(engine)
    assert {"lk_collection_ulabel", "lk_run_ulabel"} <= set(inspector.get_table_names())
    assert "imported_packages" in {c["name"] for c in inspector.get_columns("lk_run")}
    with engine.begin() as conn:
        runs = conn.execute(sa.text("SELECT uid, _status, imported_packages FROM lk_run")).all()
        assert [tuple(r) for r in runs] == [("abcdefghijklmnop", "completed", None)]
        conn.execute(
            sa.text(
                "INSERT INTO lk_run_ulabel (run_id, ulabel_id, created_at) VALUES (1, 1, :now)"
            ),
            {"now": now},
        )
        # the new table's foreign keys hold
        with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():
            conn.execute(
                sa.text(
                    "INSERT INTO lk_run_ulabel (run_id, ulabel_id, created_at) VALUES (1, 99, :now)"
                ),
                {"now": now},
            )
    engine.dispose()


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")  # the core's FK cycles
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_core_models_match_their_migrations(instance: dict) -> None:
    """Every change to the core registries comes with its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    def is_core(obj: object, name: str, type_: str, *_: object) -> bool:
        if type_ == "index" and is_prefix_index(name):  # hand-written, PostgreSQL only
            return False
        table = obj if type_ == "table" else getattr(obj, "table", None)
        table_name = getattr(table, "name", "")
        return not table_name.startswith("lkbt_") and not is_search_index_object(table_name)

    def is_model_object(name: str | None, type_: str, parents: dict) -> bool:
        if is_unique_name_index(name):  # written by hand (db/unique_names.py)
            return False
        return not is_search_index_object(name or parents.get("table_name"))

    engine = runtime.connection().engine
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": is_core, "include_name": is_model_object}
        )
        assert compare_metadata(context, SQLModel.metadata) == []


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_branches_of_schema_0003_get_lamindb_statuses_and_a_space(
    instance: dict, request: pytest.FixtureRequest
) -> None:
    """0004_setup: no status becomes standalone, the old 'deleted' becomes closed; space 'all'."""
    if instance["db"] is None:
        url = f"sqlite:///{instance['tmp'] / 'at_0003.db'}"
    else:
        url = request.getfixturevalue("postgres").create_database(f"lk_at_0003_{uuid4().hex[:8]}")
    runtime.reset()
    engine = make_engine(url)
    migrate.upgrade(engine, "0003")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO lk_space (id, uid, name, created_at) VALUES (1, :u, 'all', :t)"),
            {"u": "a" * 12, "t": now},
        )
        for branch_id, name, status in [
            (1, "main", None),
            (2, "old", "deleted"),
            (3, "m", "merged"),
        ]:
            conn.execute(
                sa.text(
                    "INSERT INTO lk_branch (id, uid, name, status, created_at)"
                    " VALUES (:i, :u, :n, :s, :t)"
                ),
                {"i": branch_id, "u": name.ljust(12, "0"), "n": name, "s": status, "t": now},
            )
    assert migrate.ensure_current(engine)
    with engine.begin() as conn:
        rows = conn.execute(sa.text("SELECT name, status, space_id FROM lk_branch ORDER BY id"))
        assert [tuple(r) for r in rows] == [
            ("main", "standalone", 1),
            ("old", "closed", 1),
            ("m", "merged", 1),
        ]
    engine.dispose()


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_links_of_schema_0016_get_their_owners_creator_and_time_and_no_run(
    instance: dict, request: pytest.FixtureRequest
) -> None:
    """0017 adds who made a link, when and in which run: old links get their owner's."""
    if instance["db"] is None:
        url = f"sqlite:///{instance['tmp'] / 'at_0016.db'}"
    else:
        url = request.getfixturevalue("postgres").create_database(f"lk_at_0016_{uuid4().hex[:8]}")
    runtime.reset()
    engine = make_engine(url)
    migrate.upgrade(engine, "0016_compat")
    made = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    with engine.begin() as conn:
        bootstrap.ensure_defaults(conn)
        user_id = bootstrap.ensure_user(conn, "anonymous", "00000000", None)
        common = {"u": user_id, "no": False, "now": made}
        insert_old_transform(conn, common)
        conn.execute(
            sa.text(
                "INSERT INTO lk_project (uid, name, is_type, is_locked, created_at, branch_id,"
                " created_on_id, space_id, created_by_id) VALUES"
                " ('abcdefghijkl', 'old project', :no, :no, :now, 1, 1, 1, :u)"
            ),
            common,
        )
        conn.execute(
            sa.text("INSERT INTO lk_transform_project (transform_id, project_id) VALUES (1, 1)")
        )
    assert migrate.ensure_current(engine)
    assert migrate.current_revision(engine) == HEAD_REVISION
    with engine.begin() as conn:
        row = conn.execute(
            sa.text("SELECT created_at, created_by_id, run_id FROM lk_transform_project")
        ).one()
        assert row.created_by_id == user_id and row.run_id is None
        created_at = row.created_at if isinstance(row.created_at, datetime) else None
        if created_at is None:  # SQLite returns the stored text
            created_at = datetime.fromisoformat(str(row.created_at))
        assert created_at.replace(tzinfo=UTC) == made
    columns = {c["name"]: c for c in sa.inspect(engine).get_columns("lk_transform_project")}
    assert not columns["created_at"]["nullable"]  # required from now on
    engine.dispose()
