"""Many artifact rows inserted straight into the table (no bytes), for list and plan tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

import lamin_kernel as ln
from lamin_kernel.db.uid import base62
from lamin_kernel.setup.session import connection, write_transaction

SUFFIXES = (".parquet", ".csv", ".h5ad", ".txt")


def insert_artifacts(n: int, batch: int = 10_000) -> None:
    """Rows keyed bulk/000000.<suffix>..., on main, in bulk (only listing is exercised)."""
    table = ln.Artifact.__table__
    extras = connection().extras
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for offset in range(0, n, batch):
        rows = [
            {
                "uid": base62(16) + "0000",
                "key": f"bulk/{i:06d}{SUFFIXES[i % 4]}",
                "description": f"bulk artifact number {i}",
                "suffix": SUFFIXES[i % 4],
                "kind": "dataset",
                "otype": "DataFrame" if i % 4 == 0 else None,
                "size": 1000 + i,
                "hash": base62(22),
                "_hash_type": "md5",
                "n_observations": i % 500,
                "is_latest": True,
                "is_locked": False,
                "_key_is_virtual": True,
                "storage_id": extras["storage_id"],
                "created_by_id": extras["user_id"],
                "branch_id": 1,
                "created_on_id": 1,
                "space_id": 1,
                "created_at": start + timedelta(seconds=i),
                "updated_at": start + timedelta(seconds=i),
            }
            for i in range(offset, min(offset + batch, n))
        ]
        with write_transaction() as session:
            session.execute(insert(table), rows)
