"""uniqueness: one live ULabel, Feature, Record (per type) and Project per name

Hand-written: partial unique indexes (see lamin_kernel/db/unique_names.py). Duplicates made
before this revision are kept, every one of them; the later ones of each name are left out
of the index and the oldest is the record that name returns.

Revision ID: 0012_uniqueness
Revises: 0011_scale
Create Date: 2026-12-07 15:45:00
"""

from __future__ import annotations

from alembic import op

from lamin_kernel.db.unique_names import create_unique_name_indexes, drop_unique_name_indexes

revision = "0012_uniqueness"
down_revision = "0011_scale"
branch_labels = None
depends_on = None

# table -> the columns that make a name one record (frozen here: later changes to the
# runtime's NAME_KEYS need a migration of their own)
NAME_KEYS = {
    "lk_ulabel": ("name", "type_id", "is_type"),
    "lk_feature": ("name", "type_id", "is_type"),
    "lk_record": ("name", "type_id", "is_type"),
    "lk_project": ("name",),
}


def upgrade() -> None:
    create_unique_name_indexes(op.get_bind(), NAME_KEYS)


def downgrade() -> None:
    drop_unique_name_indexes(op.get_bind(), NAME_KEYS)
