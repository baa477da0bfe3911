"""branch status vocabulary and space

Branch.status takes LaminDB's five values (standalone, draft, review, merged, closed): the
built-in branches and branches made before had none (now standalone), and branches deleted
while merged records still named them were 'deleted' (now 'closed'). Branches get a space,
like LaminDB's (space 'all' for every existing one). Neither change rebuilds lk_branch, which
SQLite could not do while other tables reference it: the column stays nullable in the
database (the registry always writes a status) and space_id has no constraint.

Revision ID: 0004_setup
Revises: 0003
Create Date: 2026-12-07 12:04:00.740981
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_setup"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE lk_branch SET status = 'standalone' WHERE status IS NULL")
    op.execute("UPDATE lk_branch SET status = 'closed' WHERE status = 'deleted'")
    op.add_column(
        "lk_branch",
        sa.Column("space_id", sa.Integer(), nullable=False, server_default=sa.text("1")),
    )
    op.create_index("ix_lk_branch_space_id", "lk_branch", ["space_id"], unique=False)
    op.create_index("ix_lk_branch_status", "lk_branch", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_lk_branch_status", table_name="lk_branch")
    op.drop_index("ix_lk_branch_space_id", table_name="lk_branch")
    with op.batch_alter_table("lk_branch", schema=None) as batch_op:
        batch_op.drop_column("space_id")
    op.execute("UPDATE lk_branch SET status = 'deleted' WHERE status = 'closed'")
