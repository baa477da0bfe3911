"""compat: extra_data on artifacts and runs

LaminDB 2.12 has a free-form JSON field `extra_data` on Artifact and Run. Existing rows get
NULL. The columns are added in place (no table is recreated on SQLite).

Revision ID: 0015_compat
Revises: 0014_compat
Create Date: 2026-12-07 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_compat"
down_revision = "0014_compat"
branch_labels = None
depends_on = None

TABLES = ("lk_artifact", "lk_run")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("extra_data", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN extra_data')  # SQLite 3.35+, PostgreSQL
