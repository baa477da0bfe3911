"""SQLite plans of the list endpoint's queries do not depend on planner statistics.

With statistics that call branch_id selective (a sample, or none at all), SQLite used to walk
the branch_id index for the visibility filter and sort every row for a page sorted by key.
"""

from __future__ import annotations

from sqlalchemy import text

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.setup.session import write_transaction
from tests.support.artifact_rows import insert_artifacts

N_ROWS = 2000


def mislead_the_planner() -> None:
    """Statistics that say a branch holds 10 rows (a sample or a stale statistic can say so)."""
    with write_transaction() as session:
        session.execute(text('ANALYZE "lk_artifact"'))
        session.execute(
            text("UPDATE sqlite_stat1 SET stat = :stat WHERE idx = 'ix_lk_artifact_branch_id'"),
            {"stat": f"{N_ROWS} 10"},
        )
    runtime.connection().engine.dispose()  # new connections load the statistics


def plan(statement: object) -> str:
    engine = runtime.connection().engine
    sql = statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
    with engine.connect() as conn:
        return " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))


def test_list_queries_ignore_branch_statistics(instance: dict) -> None:
    insert_artifacts(N_ROWS)
    mislead_the_planner()
    artifact = ln.Artifact
    by_key = artifact.filter().order_by("-key", "-id")[0:50].statement(artifact.id)
    prefix = artifact.filter(key__startswith="bulk/0012")

    assert plan(by_key) == "SCAN lk_artifact USING INDEX ix_lk_artifact_key"
    assert "ix_lk_artifact_key (key>? AND key<?)" in plan(prefix.order_by("-id").statement())
    assert "ix_lk_artifact_key (key>? AND key<?)" in plan(prefix.statement(artifact.id))
    # the same sort with a plain branch filter: these statistics do mislead SQLite
    plain = by_key.where(artifact.branch_id.in_([1]))
    assert "ix_lk_artifact_branch_id" in plan(plain.with_only_columns(artifact.id))

    assert artifact.filter().order_by("-key", "-id").first().key == f"bulk/{N_ROWS - 1:06d}.txt"
    assert prefix.count() == 100
