"""compat: projects of records, runs, transforms and labels; transform predecessors; project status

LaminDB 2.12 links projects to records, runs, transforms and ULabels (`record.projects`,
`project.runs`, ...), transforms to the transforms before them (`transform.predecessors` /
`successors`, with a free-form `config`), and gives projects a status stored as
`_status_code`. Existing projects get code 0 ("completed"), LaminDB's database default; new
ones are made "planned". Tables are created and the column added in place (lk_project is not
recreated on SQLite, so its name index and search triggers stay).

Revision ID: 0014_compat
Revises: 0013_compat
Create Date: 2026-12-07 21:49:05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_compat"
down_revision = "0013_compat"
branch_labels = None
depends_on = None

# link table -> (column naming the owner, its table), (column naming the other, its table)
LINKS = {
    "lk_project_record": (("record_id", "lk_record"), ("project_id", "lk_project")),
    "lk_run_project": (("run_id", "lk_run"), ("project_id", "lk_project")),
    "lk_transform_project": (("transform_id", "lk_transform"), ("project_id", "lk_project")),
    "lk_ulabel_project": (("ulabel_id", "lk_ulabel"), ("project_id", "lk_project")),
    "lk_transform_transform": (
        ("successor_id", "lk_transform"),
        ("predecessor_id", "lk_transform"),
    ),
}


def _create_link(table: str, owner: tuple[str, str], other: tuple[str, str]) -> None:
    extra = (
        [sa.Column("config", sa.JSON(), nullable=True)] if table == "lk_transform_transform" else []
    )
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(owner[0], sa.Integer(), nullable=False),
        sa.Column(other[0], sa.Integer(), nullable=False),
        *extra,
        sa.ForeignKeyConstraint([owner[0]], [f"{owner[1]}.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint([other[0]], [f"{other[1]}.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(owner[0], other[0]),
    )
    for column in (owner[0], other[0]):
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def upgrade() -> None:
    for table, (owner, other) in LINKS.items():
        _create_link(table, owner, other)
    op.add_column(
        "lk_project", sa.Column("_status_code", sa.Integer(), server_default="0", nullable=False)
    )
    op.create_index("ix_lk_project__status_code", "lk_project", ["_status_code"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_lk_project__status_code", table_name="lk_project")
    op.execute('ALTER TABLE "lk_project" DROP COLUMN _status_code')  # SQLite 3.35+, PostgreSQL
    for table, (owner, other) in reversed(LINKS.items()):
        for column in (other[0], owner[0]):
            op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_table(table)
