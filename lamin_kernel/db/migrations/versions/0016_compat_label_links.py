"""compat: references of records, transforms and collections; users of projects; records and
labels of transforms

LaminDB 2.12's plain label links: `record.references`, `transform.references`,
`collection.references`, `project.users`, `transform.records`, `transform.ulabels` (and their
reverse relations). New empty tables only.

Revision ID: 0016_compat
Revises: 0015_compat
Create Date: 2026-12-07 22:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_compat"
down_revision = "0015_compat"
branch_labels = None
depends_on = None

# link table -> (first column, its table), (second column, its table)
LINKS = {
    "lk_reference_record": (("record_id", "lk_record"), ("reference_id", "lk_reference")),
    "lk_transform_reference": (("transform_id", "lk_transform"), ("reference_id", "lk_reference")),
    "lk_collection_reference": (
        ("collection_id", "lk_collection"),
        ("reference_id", "lk_reference"),
    ),
    "lk_project_user": (("project_id", "lk_project"), ("user_id", "lk_user")),
    "lk_transform_record": (("transform_id", "lk_transform"), ("record_id", "lk_record")),
    "lk_transform_ulabel": (("transform_id", "lk_transform"), ("ulabel_id", "lk_ulabel")),
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
