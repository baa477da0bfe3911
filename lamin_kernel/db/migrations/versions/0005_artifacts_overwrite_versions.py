"""artifacts: overwrite_versions; a collection's schema

Revision ID: 0005_artifacts
Revises: 0004_setup
Create Date: 2026-12-07 12:30:00

An artifact whose versions share one store (a folder, a zarr streamed into with
Artifact.from_lazy) records it, as LaminDB's `_overwrite_versions` does. Rows made before
this revision each keep their own store: false. A collection may name the schema its
artifacts share (LaminDB's Collection.schema).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005_artifacts'
down_revision = '0004_setup'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: a batch operation would copy the table on SQLite, and dropping the
    # old copy cascades to the link tables
    op.add_column(
        'lk_artifact',
        sa.Column('_overwrite_versions', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    if op.get_bind().dialect.name == 'sqlite':  # a key added inline, without a table copy
        op.execute(
            "ALTER TABLE lk_collection ADD COLUMN schema_id INTEGER REFERENCES lk_schema (id)"
        )
    else:
        op.add_column('lk_collection', sa.Column('schema_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            'fk_lk_collection_schema_id', 'lk_collection', 'lk_schema', ['schema_id'], ['id']
        )
    op.create_index('ix_lk_collection_schema_id', 'lk_collection', ['schema_id'], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint('fk_lk_collection_schema_id', 'lk_collection', type_='foreignkey')
    op.drop_index('ix_lk_collection_schema_id', table_name='lk_collection')
    op.drop_column('lk_collection', 'schema_id')
    op.drop_column('lk_artifact', '_overwrite_versions')
