"""SQLite planner statistics: a prefix filter on a large registry walks the key index."""

from __future__ import annotations

from sqlalchemy import text

import lamin_kernel as ln
from lamin_kernel.db import statistics
from lamin_kernel.setup.session import write_transaction

N_CLONES = 3000


def clone_artifact_rows(n: int) -> None:
    """n rows copied from the one saved artifact, with their own uid, key and hash."""
    with write_transaction() as session:
        session.execute(
            text(
                """
                WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < :last)
                INSERT INTO lk_artifact (is_locked, created_at, branch_id, created_on_id,
                    space_id, created_by_id, uid, key, suffix, kind, size, hash, is_latest,
                    storage_id, _hash_type, _key_is_virtual)
                SELECT a.is_locked, a.created_at, a.branch_id, a.created_on_id, a.space_id,
                    a.created_by_id, printf('C%07d000000000000', c.i),
                    printf('bulk/%06d.txt', c.i), a.suffix, a.kind, a.size,
                    printf('h%021d', c.i), a.is_latest, a.storage_id, a._hash_type,
                    a._key_is_virtual
                FROM c, lk_artifact a WHERE a.id = (SELECT min(id) FROM lk_artifact)
                """
            ),
            {"last": n - 1},
        )


def test_prefix_filter_uses_the_key_index_after_statistics_refresh(instance, tmp_path):
    seed = tmp_path / "seed.txt"
    seed.write_text("seed")
    ln.Artifact(str(seed), key="seed/seed.txt").save()
    clone_artifact_rows(N_CLONES)
    with write_transaction() as session:
        conn = session.connection()
        assert "lk_artifact" in statistics.refresh_if_stale(conn)
        stat = conn.execute(
            text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_lk_artifact_branch_id'")
        ).scalar_one()
        # every row is on main: the whole table shares one branch_id, not a sample's worth
        assert stat.split() == [str(N_CLONES + 1), str(N_CLONES + 1)]
        plan = conn.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM lk_artifact "
                "WHERE key LIKE 'bulk/0001%' AND branch_id IN (1)"
            )
        ).all()
    assert any("ix_lk_artifact_key" in row[-1] for row in plan), plan
    assert ln.Artifact.filter(key__startswith="bulk/0001").count() == 100
