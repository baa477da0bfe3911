"""bionty search indexes: FTS5 trigram tables (SQLite) or pg_trgm GIN indexes (PostgreSQL)

Hand-written, like the core's 0007_search (lamin_kernel/db/search_index.py).

Revision ID: bionty_0004_search
Revises: bionty_0003_features
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

from alembic import op

from lamin_kernel.db.search_index import create_search_indexes, drop_search_indexes

revision = "bionty_0004_search"
down_revision = "bionty_0003_features"
branch_labels = None
depends_on = None

_ONTOLOGY = ("name", "ontology_id", "abbr", "description", "synonyms")
SEARCH_FIELDS = {
    "lkbt_source": ("entity", "name", "description"),
    "lkbt_organism": ("name", "scientific_name", "ontology_id", "synonyms"),
    "lkbt_gene": ("symbol", "ensembl_gene_id", "description", "synonyms"),
    "lkbt_protein": ("name", "uniprotkb_id", "gene_symbol", "synonyms"),
    "lkbt_cellmarker": ("name", "gene_symbol", "description", "synonyms"),
    "lkbt_cellline": _ONTOLOGY,
    "lkbt_celltype": _ONTOLOGY,
    "lkbt_developmentalstage": _ONTOLOGY,
    "lkbt_disease": _ONTOLOGY,
    "lkbt_ethnicity": _ONTOLOGY,
    "lkbt_experimentalfactor": _ONTOLOGY,
    "lkbt_pathway": _ONTOLOGY,
    "lkbt_phenotype": _ONTOLOGY,
    "lkbt_tissue": _ONTOLOGY,
}


def upgrade() -> None:
    create_search_indexes(op.get_bind(), SEARCH_FIELDS)


def downgrade() -> None:
    drop_search_indexes(op.get_bind(), SEARCH_FIELDS)
