"""search indexes: FTS5 trigram tables (SQLite) or pg_trgm GIN indexes (PostgreSQL)

Hand-written: the index of each registry's search fields (see lamin_kernel/db/search_index.py),
filled from the rows already there.

Revision ID: 0007_search
Revises: 0006_features
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

from alembic import op

from lamin_kernel.db.search_index import create_search_indexes, drop_search_indexes

revision = "0007_search"
down_revision = "0006_features"
branch_labels = None
depends_on = None

# table -> the fields `Registry.search()` looks at (each registry's __lk_search_fields__,
# plus synonyms where the table has them)
SEARCH_FIELDS = {
    "lk_user": ("handle", "name"),
    "lk_branch": ("name", "description"),
    "lk_space": ("name", "description"),
    "lk_storage": ("root", "description"),
    "lk_transform": ("key", "description"),
    "lk_run": ("name", "description"),
    "lk_artifact": ("key", "description"),
    "lk_collection": ("key", "description"),
    "lk_ulabel": ("name", "description"),
    "lk_record": ("name", "description"),
    "lk_project": ("name", "description"),
    "lk_reference": ("name", "description"),
    "lk_feature": ("name", "description", "synonyms"),
    "lk_schema": ("name", "description"),
}


def upgrade() -> None:
    create_search_indexes(op.get_bind(), SEARCH_FIELDS)


def downgrade() -> None:
    drop_search_indexes(op.get_bind(), SEARCH_FIELDS)
