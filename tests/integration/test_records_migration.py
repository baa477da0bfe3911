"""A database made before the records migration (0009_records) upgrades without loss."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
import sqlalchemy as sa

from lamin_kernel import runtime
from lamin_kernel.db import bootstrap, migrate
from lamin_kernel.db.engine import make_engine
from lamin_kernel.db.migrate import HEAD_REVISION

NEW_TABLES = {"lk_record_parent", "lk_ulabel_parent", "lk_run_input_record", "lk_block"}


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_labels_made_before_types_and_blocks_upgrade(
    instance: dict, request: pytest.FixtureRequest
) -> None:
    if instance["db"] is None:
        url = f"sqlite:///{instance['tmp'] / 'before_records.db'}"
    else:
        url = request.getfixturevalue("postgres").create_database(
            f"lk_before_records_{uuid4().hex[:8]}"
        )
    runtime.reset()
    engine = make_engine(url)
    migrate.upgrade(engine, "0008_cells")
    with engine.begin() as conn:
        bootstrap.ensure_defaults(conn)
        user = bootstrap.ensure_user(conn, "anonymous", "00000000", None)
        common = {"u": user, "no": False, "now": datetime(2026, 1, 1, tzinfo=UTC)}
        tracked = "is_locked, created_at, branch_id, created_on_id, space_id, created_by_id"
        values = ":no, :now, 1, 1, 1, :u"
        for table, columns, row in (
            ("lk_project", "uid, name", "'abcdefghijkl', 'old project'"),
            ("lk_reference", "uid, name", "'abcdefghijkm', 'old reference'"),
            ("lk_record", "uid, name, is_type", "'abcdefghijklmnop', 'old record', :no"),
            ("lk_ulabel", "uid, name, is_type", "'abcdefgh', 'old label', :no"),
        ):
            conn.execute(
                sa.text(f"INSERT INTO {table} ({columns}, {tracked}) VALUES ({row}, {values})"),
                common,
            )
    assert migrate.ensure_current(engine)
    assert migrate.current_revision(engine) == HEAD_REVISION
    assert set(sa.inspect(engine).get_table_names()) >= NEW_TABLES
    with engine.begin() as conn:
        for table in ("lk_project", "lk_reference"):
            rows = conn.execute(sa.text(f"SELECT name, is_type, type_id FROM {table}")).all()
            assert [(r[1], r[2]) for r in rows] == [(False, None)]
        record = conn.execute(sa.text("SELECT name, schema_id, reference FROM lk_record")).one()
        assert tuple(record) == ("old record", None, None)
        label = conn.execute(sa.text("SELECT name, updated_at FROM lk_ulabel")).one()
        assert tuple(label) == ("old label", None)
    runtime.reset()
