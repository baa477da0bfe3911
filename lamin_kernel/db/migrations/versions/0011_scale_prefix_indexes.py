"""scale: PostgreSQL indexes for key and uid prefix lookups

Revision ID: 0011_scale
Revises: 0010_records
Create Date: 2026-12-07 15:00:00

Hand-written (see lamin_kernel/db/prefix_indexes.py): byte-ordered indexes on the key and uid
of artifacts, collections and transforms, so that `key__startswith` and a uid stem plan from
an index on PostgreSQL as they do on SQLite. Nothing changes on SQLite.
"""

from __future__ import annotations

from alembic import op

from lamin_kernel.db.prefix_indexes import create_prefix_indexes, drop_prefix_indexes

revision = "0011_scale"
down_revision = "0010_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_prefix_indexes(op.get_bind())


def downgrade() -> None:
    drop_prefix_indexes(op.get_bind())
