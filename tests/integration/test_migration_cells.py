"""0008_cells: run input links gain call-site columns and output link tables appear, on an
instance made before it (tests/fixtures/instance_0007: two tracked script runs at 0007_search,
the second loading the first's table and saving a doubled one and a collection)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest
import sqlalchemy as sa

import lamin_kernel as ln
from lamin_kernel import models, runtime
from lamin_kernel.db import bootstrap, migrate
from lamin_kernel.db.engine import make_engine
from lamin_kernel.db.migrate import HEAD_REVISION, current_revision
from lamin_kernel.records import provenance
from lamin_kernel.setup import instance as setup_instance
from lamin_kernel.tracking import state

FIXTURE = Path(__file__).parent.parent / "fixtures" / "instance_0007"
BEFORE = "0007_search"


def test_instance_made_before_cells_upgrades_and_keeps_its_links(tmp_path: Path) -> None:
    root = tmp_path / "instance_0007"
    shutil.copytree(FIXTURE, root)
    db_file = root / ".lamindb" / "lamin.db"
    with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(BEFORE,)]
        links_before = conn.execute(
            "SELECT id, run_id, artifact_id FROM lk_run_input_artifact"
        ).fetchall()
    assert len(links_before) == 1
    runtime.reset()
    setup_instance.init(str(root))
    try:
        assert current_revision(runtime.connection().engine) == HEAD_REVISION
        table = ln.Artifact.get(key="fixture/table.parquet")
        doubled = ln.Artifact.get(key="fixture/doubled.parquet")
        [link] = models.RunInputArtifact.filter().to_list()
        assert (link.id, link.run_id, link.artifact_id) == links_before[0]
        assert link.artifact_id == table.id and link.run_id == doubled.run_id
        assert (link.cell_id, link.execution_count, link.call_file) == (None, None, None)
        assert models.RunOutputArtifact.filter().count() == 0  # not invented for old runs
        assert provenance.creation_site(doubled) is None
        assert doubled.load()["value"].tolist() == [3.0, 5.0]
        cells = provenance.run_cells(doubled.run)
        assert [c["key"] for c in cells] == [provenance.UNKNOWN_CELL]
        ln.track(transform=ln.Transform(key="after-upgrade", kind="pipeline").save())
        doubled.load()
        run = ln.context.run
        new_link = models.RunInputArtifact.get(run_id=run.id)
        assert new_link.call_file.endswith(Path(__file__).name) and new_link.call_line is not None
        ln.finish()
    finally:
        state.reset()
        runtime.reset()


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_database_at_0007_search_upgrades_with_its_input_links(
    instance: dict, request: pytest.FixtureRequest
) -> None:
    if instance["db"] is None:
        url = f"sqlite:///{instance['tmp'] / 'before_cells.db'}"
    else:
        url = request.getfixturevalue("postgres").create_database(f"lk_cells_{uuid4().hex[:8]}")
    runtime.reset()
    engine = make_engine(url)
    migrate.upgrade(engine, BEFORE)
    now, no = datetime(2026, 1, 1, tzinfo=UTC), False
    with engine.begin() as conn:
        bootstrap.ensure_defaults(conn)
        user = bootstrap.ensure_user(conn, "anonymous", "00000000", None)
        storage = bootstrap.ensure_storage(conn, str(instance["tmp"]), "local", None, user)
        values = {"u": user, "no": no, "yes": True, "now": now, "s": storage}
        conn.execute(
            sa.text(
                "INSERT INTO lk_transform (id, uid, key, kind, is_latest, is_locked, created_at,"
                " branch_id, created_on_id, space_id, created_by_id) VALUES"
                " (1, 'abcdefghijkl0000', 'old.py', 'script', :yes, :no, :now, 1, 1, 1, :u)"
            ),
            values,
        )
        conn.execute(
            sa.text(
                "INSERT INTO lk_run (id, uid, transform_id, _status, is_locked, created_at,"
                " branch_id, created_on_id, space_id, created_by_id) VALUES"
                " (1, 'abcdefghijklmnop', 1, 'completed', :no, :now, 1, 1, 1, :u)"
            ),
            values,
        )
        conn.execute(
            sa.text(
                "INSERT INTO lk_artifact (id, uid, key, suffix, size, hash, _hash_type,"
                " _key_is_virtual, _overwrite_versions, is_latest, is_locked, created_at,"
                " branch_id, created_on_id, space_id, storage_id, created_by_id, run_id) VALUES"
                " (1, 'abcdefghijklmnop0000', 'in.csv', '.csv', 3, 'h', 'md5', :yes, :no, :yes,"
                " :no, :now, 1, 1, 1, :s, :u, NULL)"
            ),
            values,
        )
        conn.execute(
            sa.text("INSERT INTO lk_run_input_artifact (run_id, artifact_id) VALUES (1, 1)")
        )
    assert migrate.ensure_current(engine)
    assert migrate.current_revision(engine) == HEAD_REVISION
    with engine.begin() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT run_id, artifact_id, cell_id, execution_count, cell_source_hash,"
                " call_file, call_line FROM lk_run_input_artifact"
            )
        ).all()
        assert [tuple(r) for r in rows] == [(1, 1, None, None, None, None, None)]
        conn.execute(
            sa.text(
                "INSERT INTO lk_run_output_artifact (run_id, artifact_id, cell_id,"
                " execution_count) VALUES (1, 1, 'c1', 7)"
            )
        )
        with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():  # foreign keys hold
            conn.execute(
                sa.text(
                    "INSERT INTO lk_run_output_collection (run_id, collection_id) VALUES (1, 99)"
                )
            )
        with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():  # one row per pair
            conn.execute(
                sa.text("INSERT INTO lk_run_output_artifact (run_id, artifact_id) VALUES (1, 1)")
            )
    engine.dispose()
