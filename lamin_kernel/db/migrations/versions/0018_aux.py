"""compat: `_aux` on labels, features, schemas, projects, references, records and branches

LaminDB 2.12 keeps auxiliary metadata of these registries in a JSON column `_aux` (the
emoji of a type or branch, `record.emoji`). Existing rows get NULL; the columns are added in
place (no table is recreated on SQLite).

Revision ID: 0018_aux
Revises: 0017_links
Create Date: 2026-12-08 00:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_aux"
down_revision = "0017_links"
branch_labels = None
depends_on = None

TABLES = (
    "lk_ulabel",
    "lk_record",
    "lk_feature",
    "lk_schema",
    "lk_project",
    "lk_reference",
    "lk_branch",
)


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("_aux", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN _aux')  # SQLite 3.35+, PostgreSQL
