"""compat: link rows say who made them, when and in which run; features of project and
reference links

LaminDB 2.12's link models have `created_at`, `created_by` and (unless the link belongs to a
run or holds one) `run`; links of projects and references to artifacts, records and
transforms have the `feature` they are a value of; an artifact's schema link has
`feature_ref_is_semantic`. Rows linked before get their owner's creation time and creator,
and no run. On SQLite each changed link table is copied once (no search triggers or name
indexes are on them), with the structures of the tables they refer to reflected once.

Revision ID: 0019_compat
Revises: 0018_aux
Create Date: 2026-12-08 00:10:00
"""

from __future__ import annotations

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0019_compat"
down_revision = "0018_aux"
branch_labels = None
depends_on = None

CREATED = ("created_at", "created_by_id")
TRACKED = (*CREATED, "run_id")
# link table -> (owner column, owner table: where old rows' time and creator come from),
# the columns added
LINKS: dict[str, tuple[tuple[str, str], tuple[str, ...]]] = {
    "lk_artifact_schema": (("artifact_id", "lk_artifact"), (*TRACKED, "feature_ref_is_semantic")),
    "lk_artifact_jsonvalue": (("artifact_id", "lk_artifact"), TRACKED),
    "lk_artifact_record": (("artifact_id", "lk_artifact"), TRACKED),
    "lk_artifact_project": (("artifact_id", "lk_artifact"), (*TRACKED, "feature_id")),
    "lk_artifact_reference": (("artifact_id", "lk_artifact"), (*TRACKED, "feature_id")),
    "lk_collection_project": (("collection_id", "lk_collection"), TRACKED),
    "lk_collection_artifact": (("collection_id", "lk_collection"), TRACKED),
    "lk_collection_reference": (("collection_id", "lk_collection"), TRACKED),
    "lk_feature_project": (("feature_id", "lk_feature"), TRACKED),
    "lk_schema_project": (("schema_id", "lk_schema"), TRACKED),
    "lk_schema_component": (("composite_id", "lk_schema"), TRACKED),
    "lk_project_record": (("record_id", "lk_record"), (*TRACKED, "feature_id")),
    "lk_reference_record": (("record_id", "lk_record"), (*TRACKED, "feature_id")),
    "lk_run_project": (("run_id", "lk_run"), CREATED),
    "lk_transform_project": (("transform_id", "lk_transform"), TRACKED),
    "lk_transform_reference": (("transform_id", "lk_transform"), TRACKED),
    "lk_transform_record": (("transform_id", "lk_transform"), (*TRACKED, "feature_id")),
    "lk_transform_ulabel": (("transform_id", "lk_transform"), TRACKED),
    "lk_transform_transform": (("successor_id", "lk_transform"), TRACKED),
    "lk_ulabel_project": (("ulabel_id", "lk_ulabel"), TRACKED),
    "lk_project_user": (("project_id", "lk_project"), TRACKED),
    "lk_branch_project": (("branch_id", "lk_branch"), TRACKED),
    "lk_branch_ulabel": (("branch_id", "lk_branch"), TRACKED),
    "lk_branch_user": (("branch_id", "lk_branch"), TRACKED),
    "lk_block_project": (("block_id", "lk_block"), TRACKED),
    "lk_project_reference": (("project_id", "lk_project"), TRACKED),
    "lk_project_project": (("successor_id", "lk_project"), TRACKED),
    "lk_artifact_user": (("artifact_id", "lk_artifact"), ("run_id",)),
    "lk_artifact_artifact": (("artifact_id", "lk_artifact"), ("run_id",)),
    "lk_collection_record": (("collection_id", "lk_collection"), ("run_id",)),
}


# column -> the table its foreign key refers to, and what deleting a row of it does
FOREIGN_KEYS = {
    "created_by_id": ("lk_user", None),
    "run_id": ("lk_run", None),
    "feature_id": ("lk_feature", "CASCADE"),
}


def _column(name: str) -> sa.Column:
    if name == "created_at":  # NOT NULL: the copy gives old rows the time of the upgrade,
        # then they get their owner's time below
        return sa.Column(
            name,
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("CURRENT_TIMESTAMP"),
        )
    if name == "feature_ref_is_semantic":
        return sa.Column(name, sa.Boolean(), nullable=True)
    return sa.Column(name, sa.Integer(), nullable=True)


def upgrade() -> None:
    with warnings.catch_warnings():  # batch mode reflects the tables the links refer to,
        # whose expression indexes (db/unique_names.py) SQLAlchemy cannot reflect
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        _upgrade()


class Structures:
    """The tables a SQLite batch copies, reflected into one MetaData: the tables the links
    refer to (artifact, run, user, ...) are reflected once for all 60 batches, not once per
    batch (which made this migration, and so every new SQLite instance, take seconds)."""

    def __init__(self) -> None:
        self.bind = op.get_bind()
        self.metadata = sa.MetaData()

    def of(self, table: str) -> sa.Table | None:
        if self.bind.dialect.name != "sqlite":
            return None  # other databases alter in place: nothing is copied
        if table in self.metadata.tables:  # changed by the batch before: read it again
            self.metadata.remove(self.metadata.tables[table])
        return sa.Table(table, self.metadata, autoload_with=self.bind)


def _upgrade() -> None:
    structures = Structures()
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, ((owner_column, owner), columns) in LINKS.items():
        # one batch a table (on SQLite one copy of it): columns, foreign keys and indexes
        with op.batch_alter_table(table, copy_from=structures.of(table)) as batch:
            for name in columns:
                batch.add_column(_column(name))
                if name in FOREIGN_KEYS:
                    target, ondelete = FOREIGN_KEYS[name]
                    batch.create_foreign_key(
                        f"fk_{table}_{name}", target, [name], ["id"], ondelete=ondelete
                    )
            if "created_at" in columns:
                batch.create_index(f"ix_{table}_created_at", ["created_at"], unique=False)
            if "feature_id" in columns:
                batch.create_index(f"ix_{table}_feature_id", ["feature_id"], unique=False)
        if "created_at" not in columns:
            continue
        of_owner = f'FROM "{owner}" o WHERE o.id = "{table}".{owner_column}'
        op.execute(
            f'UPDATE "{table}" SET created_at = COALESCE((SELECT o.created_at {of_owner}), '
            f"created_at), created_by_id = (SELECT o.created_by_id {of_owner})"
        )
        if postgres:  # the models have no server default; SQLite keeps it (dropping it
            # would copy the table again), where no insert leaves the column out
            op.alter_column(table, "created_at", server_default=None)


def downgrade() -> None:
    for table, (_, columns) in reversed(LINKS.items()):
        with op.batch_alter_table(table) as batch:
            if "created_at" in columns:
                batch.drop_index(f"ix_{table}_created_at")
            if "feature_id" in columns:
                batch.drop_index(f"ix_{table}_feature_id")
            for name in reversed(columns):
                if name in FOREIGN_KEYS:
                    batch.drop_constraint(f"fk_{table}_{name}", type_="foreignkey")
                batch.drop_column(name)
