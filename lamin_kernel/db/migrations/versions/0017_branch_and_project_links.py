"""compat: projects of branches, blocks and references; labels and users of branches;
projects that come before and after a project

LaminDB 2.12's `branch.projects` / `project.branches`, `branch.ulabels` / `ulabel.branches`,
`branch.users` / `user.branches`, `project.blocks` / `block.projects`, `project.references` /
`reference.projects`, `project.predecessors` / `project.successors`. New empty tables only.

Revision ID: 0017_links
Revises: 0016_compat
Create Date: 2026-12-08 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_links"
down_revision = "0016_compat"
branch_labels = None
depends_on = None

# link table -> (first column, its table), (second column, its table)
LINKS = {
    "lk_branch_project": (("branch_id", "lk_branch"), ("project_id", "lk_project")),
    "lk_branch_ulabel": (("branch_id", "lk_branch"), ("ulabel_id", "lk_ulabel")),
    "lk_branch_user": (("branch_id", "lk_branch"), ("user_id", "lk_user")),
    "lk_block_project": (("block_id", "lk_block"), ("project_id", "lk_project")),
    "lk_project_reference": (("project_id", "lk_project"), ("reference_id", "lk_reference")),
    "lk_project_project": (("successor_id", "lk_project"), ("predecessor_id", "lk_project")),
}


def upgrade() -> None:
    for table, (first, second) in LINKS.items():
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column(first[0], sa.Integer(), nullable=False),
            sa.Column(second[0], sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint([first[0]], [f"{first[1]}.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint([second[0]], [f"{second[1]}.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint(first[0], second[0]),
        )
        for column in (first[0], second[0]):
            op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def downgrade() -> None:
    for table, (first, second) in reversed(LINKS.items()):
        for column in (second[0], first[0]):
            op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_table(table)
