"""cells: the call site of a run's inputs and outputs (notebook cell, or file and line)

Revision ID: 0008_cells
Revises: 0007_search
Create Date: 2026-12-07 15:00:00

A run's input links get the cell that loaded the artifact or collection (cell id, execution
count, hash of the cell's source then) or the script's file and line; new output link tables
record the same for what a run saved. Links made before this revision keep empty call sites.
Plain ADD COLUMNs: a batch operation would copy the tables on SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_cells"
down_revision = "0007_search"
branch_labels = None
depends_on = None

INPUT_TABLES = ("lk_run_input_artifact", "lk_run_input_collection")
OUTPUT_TABLES = {
    "lk_run_output_artifact": ("artifact_id", "lk_artifact"),
    "lk_run_output_collection": ("collection_id", "lk_collection"),
}


def _call_site_columns() -> list[sa.Column]:
    return [
        sa.Column("cell_id", sa.String(length=64), nullable=True),
        sa.Column("execution_count", sa.Integer(), nullable=True),
        sa.Column("cell_source_hash", sa.String(length=32), nullable=True),
        sa.Column("call_file", sa.String(length=1024), nullable=True),
        sa.Column("call_line", sa.Integer(), nullable=True),
    ]


def upgrade() -> None:
    for table in INPUT_TABLES:
        for column in _call_site_columns():
            op.add_column(table, column)
    for table, (column, target) in OUTPUT_TABLES.items():
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("run_id", sa.Integer(), nullable=False),
            sa.Column(column, sa.Integer(), nullable=False),
            *_call_site_columns(),
            sa.ForeignKeyConstraint(["run_id"], ["lk_run.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint([column], [f"{target}.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("run_id", column),
        )
        op.create_index(f"ix_{table}_run_id", table, ["run_id"], unique=False)
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def downgrade() -> None:
    for table, (column, _target) in OUTPUT_TABLES.items():
        op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_index(f"ix_{table}_run_id", table_name=table)
        op.drop_table(table)
    for table in INPUT_TABLES:
        with op.batch_alter_table(table) as batch:
            for column in reversed(_call_site_columns()):
                batch.drop_column(column.name)
