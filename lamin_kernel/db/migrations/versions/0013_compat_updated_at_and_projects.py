"""compat: updated_at on seven more registries; projects of features and schemas

LaminDB 2.12 has `updated_at` on Feature, Schema, Collection, Run, Transform, Storage and
User, and links features and schemas to projects (`feature.projects`, `project.schemas`).
Existing rows get their `created_at` as `updated_at`. The columns are added in place (no
table is recreated on SQLite, so the name indexes and search triggers stay).

Revision ID: 0013_compat
Revises: 0012_uniqueness
Create Date: 2026-12-07 18:44:44
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_compat"
down_revision = "0012_uniqueness"
branch_labels = None
depends_on = None

TABLES_WITH_UPDATED_AT = (
    "lk_collection",
    "lk_feature",
    "lk_run",
    "lk_schema",
    "lk_storage",
    "lk_transform",
    "lk_user",
)
# link table -> the column of its record
PROJECT_LINKS = {"lk_feature_project": ("feature_id", "lk_feature"), "lk_schema_project": ("schema_id", "lk_schema")}


def _create_project_link(table: str, column: str, target: str) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint([column], [f"{target}.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_id"], ["lk_project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(column, "project_id"),
    )
    op.create_index(f"ix_{table}_{column}", table, [column], unique=False)
    op.create_index(f"ix_{table}_project_id", table, ["project_id"], unique=False)


def upgrade() -> None:
    for table, (column, target) in PROJECT_LINKS.items():
        _create_project_link(table, column, target)
    for table in TABLES_WITH_UPDATED_AT:
        op.add_column(table, sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        op.execute(f'UPDATE "{table}" SET updated_at = created_at')


def downgrade() -> None:
    for table in TABLES_WITH_UPDATED_AT:
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN updated_at')  # SQLite 3.35+, PostgreSQL
    for table, (column, _) in PROJECT_LINKS.items():
        op.drop_index(f"ix_{table}_project_id", table_name=table)
        op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_table(table)
