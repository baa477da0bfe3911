"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 08:58:20.614855
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# Foreign keys are kept apart from the tables: the registries reference each other in cycles
# (artifact -> run -> artifact), which PostgreSQL can only create after all tables exist,
# while SQLite can only declare them inline.
FOREIGN_KEYS = [
    ("lk_artifact", ["branch_id"], ["lk_branch.id"], None),
    ("lk_artifact", ["created_by_id"], ["lk_user.id"], None),
    ("lk_artifact", ["created_on_id"], ["lk_branch.id"], None),
    ("lk_artifact", ["run_id"], ["lk_run.id"], None),
    ("lk_artifact", ["schema_id"], ["lk_schema.id"], None),
    ("lk_artifact", ["space_id"], ["lk_space.id"], None),
    ("lk_artifact", ["storage_id"], ["lk_storage.id"], None),
    ("lk_run", ["branch_id"], ["lk_branch.id"], None),
    ("lk_run", ["created_by_id"], ["lk_user.id"], None),
    ("lk_run", ["created_on_id"], ["lk_branch.id"], None),
    ("lk_run", ["environment_id"], ["lk_artifact.id"], None),
    ("lk_run", ["initiated_by_run_id"], ["lk_run.id"], None),
    ("lk_run", ["plan_id"], ["lk_artifact.id"], None),
    ("lk_run", ["report_id"], ["lk_artifact.id"], None),
    ("lk_run", ["run_id"], ["lk_run.id"], None),
    ("lk_run", ["space_id"], ["lk_space.id"], None),
    ("lk_run", ["transform_id"], ["lk_transform.id"], "CASCADE"),
    ("lk_schema", ["branch_id"], ["lk_branch.id"], None),
    ("lk_schema", ["created_by_id"], ["lk_user.id"], None),
    ("lk_schema", ["created_on_id"], ["lk_branch.id"], None),
    ("lk_schema", ["run_id"], ["lk_run.id"], None),
    ("lk_schema", ["space_id"], ["lk_space.id"], None),
    ("lk_schema", ["type_id"], ["lk_schema.id"], None),
    ("lk_storage", ["branch_id"], ["lk_branch.id"], None),
    ("lk_storage", ["created_by_id"], ["lk_user.id"], None),
    ("lk_storage", ["created_on_id"], ["lk_branch.id"], None),
    ("lk_storage", ["run_id"], ["lk_run.id"], None),
    ("lk_storage", ["space_id"], ["lk_space.id"], None),
    ("lk_transform", ["branch_id"], ["lk_branch.id"], None),
    ("lk_transform", ["created_by_id"], ["lk_user.id"], None),
    ("lk_transform", ["created_on_id"], ["lk_branch.id"], None),
    ("lk_transform", ["environment_id"], ["lk_artifact.id"], None),
    ("lk_transform", ["plan_id"], ["lk_artifact.id"], None),
    ("lk_transform", ["run_id"], ["lk_run.id"], None),
    ("lk_transform", ["space_id"], ["lk_space.id"], None),
    ("lk_artifact_schema", ["artifact_id"], ["lk_artifact.id"], "CASCADE"),
    ("lk_artifact_schema", ["schema_id"], ["lk_schema.id"], "CASCADE"),
    ("lk_branch", ["created_by_id"], ["lk_user.id"], None),
    ("lk_run_input_artifact", ["artifact_id"], ["lk_artifact.id"], "CASCADE"),
    ("lk_run_input_artifact", ["run_id"], ["lk_run.id"], "CASCADE"),
    ("lk_schema_component", ["component_id"], ["lk_schema.id"], "CASCADE"),
    ("lk_schema_component", ["composite_id"], ["lk_schema.id"], "CASCADE"),
    ("lk_space", ["created_by_id"], ["lk_user.id"], None),
    ("lk_collection", ["branch_id"], ["lk_branch.id"], None),
    ("lk_collection", ["created_by_id"], ["lk_user.id"], None),
    ("lk_collection", ["created_on_id"], ["lk_branch.id"], None),
    ("lk_collection", ["meta_artifact_id"], ["lk_artifact.id"], None),
    ("lk_collection", ["run_id"], ["lk_run.id"], None),
    ("lk_collection", ["space_id"], ["lk_space.id"], None),
    ("lk_feature", ["branch_id"], ["lk_branch.id"], None),
    ("lk_feature", ["created_by_id"], ["lk_user.id"], None),
    ("lk_feature", ["created_on_id"], ["lk_branch.id"], None),
    ("lk_feature", ["run_id"], ["lk_run.id"], None),
    ("lk_feature", ["space_id"], ["lk_space.id"], None),
    ("lk_feature", ["type_id"], ["lk_feature.id"], None),
    ("lk_project", ["branch_id"], ["lk_branch.id"], None),
    ("lk_project", ["created_by_id"], ["lk_user.id"], None),
    ("lk_project", ["created_on_id"], ["lk_branch.id"], None),
    ("lk_project", ["run_id"], ["lk_run.id"], None),
    ("lk_project", ["space_id"], ["lk_space.id"], None),
    ("lk_record", ["branch_id"], ["lk_branch.id"], None),
    ("lk_record", ["created_by_id"], ["lk_user.id"], None),
    ("lk_record", ["created_on_id"], ["lk_branch.id"], None),
    ("lk_record", ["run_id"], ["lk_run.id"], None),
    ("lk_record", ["space_id"], ["lk_space.id"], None),
    ("lk_record", ["type_id"], ["lk_record.id"], None),
    ("lk_reference", ["branch_id"], ["lk_branch.id"], None),
    ("lk_reference", ["created_by_id"], ["lk_user.id"], None),
    ("lk_reference", ["created_on_id"], ["lk_branch.id"], None),
    ("lk_reference", ["run_id"], ["lk_run.id"], None),
    ("lk_reference", ["space_id"], ["lk_space.id"], None),
    ("lk_ulabel", ["branch_id"], ["lk_branch.id"], None),
    ("lk_ulabel", ["created_by_id"], ["lk_user.id"], None),
    ("lk_ulabel", ["created_on_id"], ["lk_branch.id"], None),
    ("lk_ulabel", ["run_id"], ["lk_run.id"], None),
    ("lk_ulabel", ["space_id"], ["lk_space.id"], None),
    ("lk_ulabel", ["type_id"], ["lk_ulabel.id"], None),
    ("lk_artifact_project", ["artifact_id"], ["lk_artifact.id"], "CASCADE"),
    ("lk_artifact_project", ["project_id"], ["lk_project.id"], "CASCADE"),
    ("lk_artifact_record", ["artifact_id"], ["lk_artifact.id"], "CASCADE"),
    ("lk_artifact_record", ["feature_id"], ["lk_feature.id"], "CASCADE"),
    ("lk_artifact_record", ["record_id"], ["lk_record.id"], "CASCADE"),
    ("lk_artifact_reference", ["artifact_id"], ["lk_artifact.id"], "CASCADE"),
    ("lk_artifact_reference", ["reference_id"], ["lk_reference.id"], "CASCADE"),
    ("lk_artifact_ulabel", ["artifact_id"], ["lk_artifact.id"], "CASCADE"),
    ("lk_artifact_ulabel", ["created_by_id"], ["lk_user.id"], None),
    ("lk_artifact_ulabel", ["feature_id"], ["lk_feature.id"], "CASCADE"),
    ("lk_artifact_ulabel", ["run_id"], ["lk_run.id"], None),
    ("lk_artifact_ulabel", ["ulabel_id"], ["lk_ulabel.id"], "CASCADE"),
    ("lk_collection_artifact", ["artifact_id"], ["lk_artifact.id"], "CASCADE"),
    ("lk_collection_artifact", ["collection_id"], ["lk_collection.id"], "CASCADE"),
    ("lk_jsonvalue", ["branch_id"], ["lk_branch.id"], None),
    ("lk_jsonvalue", ["created_by_id"], ["lk_user.id"], None),
    ("lk_jsonvalue", ["created_on_id"], ["lk_branch.id"], None),
    ("lk_jsonvalue", ["feature_id"], ["lk_feature.id"], "CASCADE"),
    ("lk_jsonvalue", ["run_id"], ["lk_run.id"], None),
    ("lk_jsonvalue", ["space_id"], ["lk_space.id"], None),
    ("lk_run_input_collection", ["collection_id"], ["lk_collection.id"], "CASCADE"),
    ("lk_run_input_collection", ["run_id"], ["lk_run.id"], "CASCADE"),
    ("lk_schema_feature", ["feature_id"], ["lk_feature.id"], "CASCADE"),
    ("lk_schema_feature", ["schema_id"], ["lk_schema.id"], "CASCADE"),
    ("lk_artifact_jsonvalue", ["artifact_id"], ["lk_artifact.id"], "CASCADE"),
    ("lk_artifact_jsonvalue", ["jsonvalue_id"], ["lk_jsonvalue.id"], "CASCADE"),
]


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _inline_foreign_keys(table: str) -> list[sa.ForeignKeyConstraint]:
    if not _is_sqlite():
        return []
    return [
        sa.ForeignKeyConstraint(cols, refs, ondelete=ondelete)
        for t, cols, refs, ondelete in FOREIGN_KEYS
        if t == table
    ]


def _add_foreign_keys_after() -> None:
    if _is_sqlite():
        return
    for i, (table, cols, refs, ondelete) in enumerate(FOREIGN_KEYS):
        ref_table = refs[0].split(".")[0]
        op.create_foreign_key(
            f"fk_{table}_{cols[0]}_{i}",
            table,
            ref_table,
            cols,
            [r.split(".")[-1] for r in refs],
            ondelete=ondelete,
        )


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "lk_artifact",
        sa.Column("is_locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("created_on_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=20), nullable=True),
        sa.Column("key", sa.String(length=1024), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("suffix", sa.String(length=30), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("otype", sa.String(length=64), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("hash", sa.String(length=22), nullable=True),
        sa.Column("n_files", sa.BigInteger(), nullable=True),
        sa.Column("n_observations", sa.BigInteger(), nullable=True),
        sa.Column("version_tag", sa.String(length=30), nullable=True),
        sa.Column("is_latest", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("storage_id", sa.Integer(), nullable=False),
        sa.Column("schema_id", sa.Integer(), nullable=True),
        sa.Column("_hash_type", sa.String(length=30), nullable=True),
        sa.Column("_key_is_virtual", sa.Boolean(), nullable=False),
        sa.Column("_real_key", sa.String(length=1024), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_artifact"),
    )
    with op.batch_alter_table("lk_artifact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_artifact_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_artifact_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_artifact_hash"), ["hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_artifact_is_latest"), ["is_latest"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_artifact_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_artifact_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_artifact_otype"), ["otype"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_artifact_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_artifact_schema_id"), ["schema_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_artifact_size"), ["size"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_artifact_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_artifact_storage_id"), ["storage_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_artifact_suffix"), ["suffix"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_artifact_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_run",
        sa.Column("is_locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("created_on_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=150), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("entrypoint", sa.String(length=255), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("params", sa.JSON(), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("reference_type", sa.String(length=25), nullable=True),
        sa.Column("cli_args", sa.Text(), nullable=True),
        sa.Column("_status", sa.String(length=20), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("transform_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("environment_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("initiated_by_run_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_run"),
    )
    with op.batch_alter_table("lk_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_run_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_run_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_run_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_run_environment_id"), ["environment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_run_finished_at"), ["finished_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_run_initiated_by_run_id"), ["initiated_by_run_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_run_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_run_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_run_report_id"), ["report_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_run_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_run_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_run_started_at"), ["started_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_run_transform_id"), ["transform_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_run_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_schema",
        sa.Column("is_locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("created_on_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=150), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("n_members", sa.Integer(), nullable=True),
        sa.Column("coerce", sa.Boolean(), nullable=True),
        sa.Column("flexible", sa.Boolean(), nullable=False),
        sa.Column("itype", sa.String(length=120), nullable=True),
        sa.Column("otype", sa.String(length=64), nullable=True),
        sa.Column("dtype", sa.String(length=64), nullable=True),
        sa.Column("hash", sa.String(length=22), nullable=True),
        sa.Column("minimal_set", sa.Boolean(), nullable=False),
        sa.Column("ordered_set", sa.Boolean(), nullable=False),
        sa.Column("maximal_set", sa.Boolean(), nullable=False),
        sa.Column("is_type", sa.Boolean(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_schema"),
    )
    with op.batch_alter_table("lk_schema", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_schema_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_schema_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_schema_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_schema_hash"), ["hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_schema_is_type"), ["is_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_schema_itype"), ["itype"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_schema_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_schema_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_schema_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_schema_type_id"), ["type_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_schema_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_storage",
        sa.Column("is_locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("created_on_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=12), nullable=True),
        sa.Column("root", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=True),
        sa.Column("instance_uid", sa.String(length=12), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_storage"),
    )
    with op.batch_alter_table("lk_storage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_storage_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_storage_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_storage_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_storage_root"), ["root"], unique=True)
        batch_op.create_index(batch_op.f("ix_lk_storage_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_storage_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_storage_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_transform",
        sa.Column("is_locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("created_on_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=16), nullable=True),
        sa.Column("key", sa.String(length=1024), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source_code", sa.Text(), nullable=True),
        sa.Column("hash", sa.String(length=22), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("reference_type", sa.String(length=25), nullable=True),
        sa.Column("version_tag", sa.String(length=30), nullable=True),
        sa.Column("is_latest", sa.Boolean(), nullable=False),
        sa.Column("environment_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_transform"),
    )
    with op.batch_alter_table("lk_transform", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_transform_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_transform_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_transform_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_transform_environment_id"), ["environment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_transform_hash"), ["hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_transform_is_latest"), ["is_latest"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_transform_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_transform_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_transform_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_transform_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_transform_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_transform_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=8), nullable=True),
        sa.Column("handle", sa.String(), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_user"),
    )
    with op.batch_alter_table("lk_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_user_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_user_handle"), ["handle"], unique=True)
        batch_op.create_index(batch_op.f("ix_lk_user_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_user_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_artifact_schema",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.Column("schema_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_artifact_schema"),
        sa.UniqueConstraint("artifact_id", "schema_id", "slot"),
    )
    with op.batch_alter_table("lk_artifact_schema", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_schema_artifact_id"), ["artifact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_schema_schema_id"), ["schema_id"], unique=False
        )

    op.create_table(
        "lk_branch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=12), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_branch"),
    )
    with op.batch_alter_table("lk_branch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_branch_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_branch_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_branch_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_branch_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_run_input_artifact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_run_input_artifact"),
        sa.UniqueConstraint("run_id", "artifact_id"),
    )
    with op.batch_alter_table("lk_run_input_artifact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lk_run_input_artifact_artifact_id"), ["artifact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_run_input_artifact_run_id"), ["run_id"], unique=False
        )

    op.create_table(
        "lk_schema_component",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("composite_id", sa.Integer(), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_schema_component"),
        sa.UniqueConstraint("composite_id", "slot"),
    )
    with op.batch_alter_table("lk_schema_component", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lk_schema_component_component_id"), ["component_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_schema_component_composite_id"), ["composite_id"], unique=False
        )

    op.create_table(
        "lk_space",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=12), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_space"),
    )
    with op.batch_alter_table("lk_space", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_space_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_space_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_space_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_space_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_collection",
        sa.Column("is_locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("created_on_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=20), nullable=True),
        sa.Column("key", sa.String(length=1024), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("hash", sa.String(length=22), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("reference_type", sa.String(length=25), nullable=True),
        sa.Column("version_tag", sa.String(length=30), nullable=True),
        sa.Column("is_latest", sa.Boolean(), nullable=False),
        sa.Column("meta_artifact_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_collection"),
    )
    with op.batch_alter_table("lk_collection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_collection_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_collection_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_collection_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_collection_hash"), ["hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_collection_is_latest"), ["is_latest"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_collection_key"), ["key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_collection_meta_artifact_id"), ["meta_artifact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_collection_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_collection_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_collection_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_feature",
        sa.Column("is_locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("created_on_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=12), nullable=True),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("_dtype_str", sa.String(length=255), nullable=True),
        sa.Column("unit", sa.String(length=30), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("array_rank", sa.Integer(), nullable=False),
        sa.Column("array_size", sa.Integer(), nullable=False),
        sa.Column("array_shape", sa.JSON(), nullable=True),
        sa.Column("synonyms", sa.Text(), nullable=True),
        sa.Column("default_value", sa.JSON(), nullable=True),
        sa.Column("nullable", sa.Boolean(), nullable=False),
        sa.Column("coerce", sa.Boolean(), nullable=True),
        sa.Column("is_type", sa.Boolean(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_feature"),
    )
    with op.batch_alter_table("lk_feature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_feature__dtype_str"), ["_dtype_str"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_feature_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_feature_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_feature_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_feature_is_type"), ["is_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_feature_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_feature_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_feature_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_feature_type_id"), ["type_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_feature_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_project",
        sa.Column("is_locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("created_on_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=12), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("abbr", sa.String(length=32), nullable=True),
        sa.Column("url", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_project"),
    )
    with op.batch_alter_table("lk_project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_project_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_project_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_project_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_project_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_project_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_project_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_project_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_record",
        sa.Column("is_locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("created_on_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=150), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_type", sa.Boolean(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_record"),
    )
    with op.batch_alter_table("lk_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_record_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_record_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_record_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_record_is_type"), ["is_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_record_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_record_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_record_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_record_type_id"), ["type_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_record_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_reference",
        sa.Column("is_locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("created_on_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=12), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=255), nullable=True),
        sa.Column("doi", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_reference"),
    )
    with op.batch_alter_table("lk_reference", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_reference_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_reference_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_reference_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_reference_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_reference_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_reference_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_reference_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_ulabel",
        sa.Column("is_locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("created_on_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=8), nullable=True),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("reference_type", sa.String(length=25), nullable=True),
        sa.Column("is_type", sa.Boolean(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_ulabel"),
    )
    with op.batch_alter_table("lk_ulabel", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_ulabel_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_ulabel_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_ulabel_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_ulabel_is_type"), ["is_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_ulabel_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_ulabel_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_ulabel_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_ulabel_type_id"), ["type_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_ulabel_uid"), ["uid"], unique=True)

    op.create_table(
        "lk_artifact_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_artifact_project"),
        sa.UniqueConstraint("artifact_id", "project_id"),
    )
    with op.batch_alter_table("lk_artifact_project", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_project_artifact_id"), ["artifact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_project_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "lk_artifact_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("feature_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_artifact_record"),
        sa.UniqueConstraint("artifact_id", "record_id", "feature_id"),
    )
    with op.batch_alter_table("lk_artifact_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_record_artifact_id"), ["artifact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_record_feature_id"), ["feature_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_record_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "lk_artifact_reference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.Column("reference_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_artifact_reference"),
        sa.UniqueConstraint("artifact_id", "reference_id"),
    )
    with op.batch_alter_table("lk_artifact_reference", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_reference_artifact_id"), ["artifact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_reference_reference_id"), ["reference_id"], unique=False
        )

    op.create_table(
        "lk_artifact_ulabel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.Column("ulabel_id", sa.Integer(), nullable=False),
        sa.Column("feature_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_artifact_ulabel"),
        sa.UniqueConstraint("artifact_id", "ulabel_id", "feature_id"),
    )
    with op.batch_alter_table("lk_artifact_ulabel", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_ulabel_artifact_id"), ["artifact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_ulabel_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_ulabel_feature_id"), ["feature_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_ulabel_ulabel_id"), ["ulabel_id"], unique=False
        )

    op.create_table(
        "lk_collection_artifact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.Column("order_index", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_collection_artifact"),
        sa.UniqueConstraint("collection_id", "artifact_id"),
    )
    with op.batch_alter_table("lk_collection_artifact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lk_collection_artifact_artifact_id"), ["artifact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_collection_artifact_collection_id"), ["collection_id"], unique=False
        )

    op.create_table(
        "lk_jsonvalue",
        sa.Column("is_locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("created_on_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("hash", sa.String(length=22), nullable=True),
        sa.Column("feature_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_jsonvalue"),
    )
    with op.batch_alter_table("lk_jsonvalue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lk_jsonvalue_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lk_jsonvalue_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_jsonvalue_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_jsonvalue_feature_id"), ["feature_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lk_jsonvalue_hash"), ["hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_jsonvalue_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lk_jsonvalue_space_id"), ["space_id"], unique=False)

    op.create_table(
        "lk_run_input_collection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_run_input_collection"),
        sa.UniqueConstraint("run_id", "collection_id"),
    )
    with op.batch_alter_table("lk_run_input_collection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lk_run_input_collection_collection_id"), ["collection_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_run_input_collection_run_id"), ["run_id"], unique=False
        )

    op.create_table(
        "lk_schema_feature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schema_id", sa.Integer(), nullable=False),
        sa.Column("feature_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_schema_feature"),
        sa.UniqueConstraint("schema_id", "feature_id"),
    )
    with op.batch_alter_table("lk_schema_feature", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lk_schema_feature_feature_id"), ["feature_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_schema_feature_schema_id"), ["schema_id"], unique=False
        )

    op.create_table(
        "lk_artifact_jsonvalue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.Column("jsonvalue_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        *_inline_foreign_keys("lk_artifact_jsonvalue"),
        sa.UniqueConstraint("artifact_id", "jsonvalue_id"),
    )
    with op.batch_alter_table("lk_artifact_jsonvalue", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_jsonvalue_artifact_id"), ["artifact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lk_artifact_jsonvalue_jsonvalue_id"), ["jsonvalue_id"], unique=False
        )

    _add_foreign_keys_after()
    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("lk_artifact_jsonvalue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_artifact_jsonvalue_jsonvalue_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_jsonvalue_artifact_id"))

    op.drop_table("lk_artifact_jsonvalue")
    with op.batch_alter_table("lk_schema_feature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_schema_feature_schema_id"))
        batch_op.drop_index(batch_op.f("ix_lk_schema_feature_feature_id"))

    op.drop_table("lk_schema_feature")
    with op.batch_alter_table("lk_run_input_collection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_run_input_collection_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_run_input_collection_collection_id"))

    op.drop_table("lk_run_input_collection")
    with op.batch_alter_table("lk_jsonvalue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_jsonvalue_space_id"))
        batch_op.drop_index(batch_op.f("ix_lk_jsonvalue_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_jsonvalue_hash"))
        batch_op.drop_index(batch_op.f("ix_lk_jsonvalue_feature_id"))
        batch_op.drop_index(batch_op.f("ix_lk_jsonvalue_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_jsonvalue_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_jsonvalue_branch_id"))

    op.drop_table("lk_jsonvalue")
    with op.batch_alter_table("lk_collection_artifact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_collection_artifact_collection_id"))
        batch_op.drop_index(batch_op.f("ix_lk_collection_artifact_artifact_id"))

    op.drop_table("lk_collection_artifact")
    with op.batch_alter_table("lk_artifact_ulabel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_artifact_ulabel_ulabel_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_ulabel_feature_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_ulabel_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_ulabel_artifact_id"))

    op.drop_table("lk_artifact_ulabel")
    with op.batch_alter_table("lk_artifact_reference", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_artifact_reference_reference_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_reference_artifact_id"))

    op.drop_table("lk_artifact_reference")
    with op.batch_alter_table("lk_artifact_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_artifact_record_record_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_record_feature_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_record_artifact_id"))

    op.drop_table("lk_artifact_record")
    with op.batch_alter_table("lk_artifact_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_artifact_project_project_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_project_artifact_id"))

    op.drop_table("lk_artifact_project")
    with op.batch_alter_table("lk_ulabel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_ulabel_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_ulabel_type_id"))
        batch_op.drop_index(batch_op.f("ix_lk_ulabel_space_id"))
        batch_op.drop_index(batch_op.f("ix_lk_ulabel_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_ulabel_name"))
        batch_op.drop_index(batch_op.f("ix_lk_ulabel_is_type"))
        batch_op.drop_index(batch_op.f("ix_lk_ulabel_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_ulabel_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_ulabel_branch_id"))

    op.drop_table("lk_ulabel")
    with op.batch_alter_table("lk_reference", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_reference_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_reference_space_id"))
        batch_op.drop_index(batch_op.f("ix_lk_reference_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_reference_name"))
        batch_op.drop_index(batch_op.f("ix_lk_reference_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_reference_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_reference_branch_id"))

    op.drop_table("lk_reference")
    with op.batch_alter_table("lk_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_record_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_record_type_id"))
        batch_op.drop_index(batch_op.f("ix_lk_record_space_id"))
        batch_op.drop_index(batch_op.f("ix_lk_record_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_record_name"))
        batch_op.drop_index(batch_op.f("ix_lk_record_is_type"))
        batch_op.drop_index(batch_op.f("ix_lk_record_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_record_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_record_branch_id"))

    op.drop_table("lk_record")
    with op.batch_alter_table("lk_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_project_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_project_space_id"))
        batch_op.drop_index(batch_op.f("ix_lk_project_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_project_name"))
        batch_op.drop_index(batch_op.f("ix_lk_project_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_project_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_project_branch_id"))

    op.drop_table("lk_project")
    with op.batch_alter_table("lk_feature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_feature_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_feature_type_id"))
        batch_op.drop_index(batch_op.f("ix_lk_feature_space_id"))
        batch_op.drop_index(batch_op.f("ix_lk_feature_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_feature_name"))
        batch_op.drop_index(batch_op.f("ix_lk_feature_is_type"))
        batch_op.drop_index(batch_op.f("ix_lk_feature_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_feature_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_feature_branch_id"))
        batch_op.drop_index(batch_op.f("ix_lk_feature__dtype_str"))

    op.drop_table("lk_feature")
    with op.batch_alter_table("lk_collection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_collection_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_collection_space_id"))
        batch_op.drop_index(batch_op.f("ix_lk_collection_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_collection_meta_artifact_id"))
        batch_op.drop_index(batch_op.f("ix_lk_collection_key"))
        batch_op.drop_index(batch_op.f("ix_lk_collection_is_latest"))
        batch_op.drop_index(batch_op.f("ix_lk_collection_hash"))
        batch_op.drop_index(batch_op.f("ix_lk_collection_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_collection_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_collection_branch_id"))

    op.drop_table("lk_collection")
    with op.batch_alter_table("lk_space", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_space_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_space_name"))
        batch_op.drop_index(batch_op.f("ix_lk_space_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_space_created_at"))

    op.drop_table("lk_space")
    with op.batch_alter_table("lk_schema_component", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_schema_component_composite_id"))
        batch_op.drop_index(batch_op.f("ix_lk_schema_component_component_id"))

    op.drop_table("lk_schema_component")
    with op.batch_alter_table("lk_run_input_artifact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_run_input_artifact_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_run_input_artifact_artifact_id"))

    op.drop_table("lk_run_input_artifact")
    with op.batch_alter_table("lk_branch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_branch_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_branch_name"))
        batch_op.drop_index(batch_op.f("ix_lk_branch_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_branch_created_at"))

    op.drop_table("lk_branch")
    with op.batch_alter_table("lk_artifact_schema", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_artifact_schema_schema_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_schema_artifact_id"))

    op.drop_table("lk_artifact_schema")
    with op.batch_alter_table("lk_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_user_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_user_name"))
        batch_op.drop_index(batch_op.f("ix_lk_user_handle"))
        batch_op.drop_index(batch_op.f("ix_lk_user_created_at"))

    op.drop_table("lk_user")
    with op.batch_alter_table("lk_transform", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_transform_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_transform_space_id"))
        batch_op.drop_index(batch_op.f("ix_lk_transform_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_transform_plan_id"))
        batch_op.drop_index(batch_op.f("ix_lk_transform_kind"))
        batch_op.drop_index(batch_op.f("ix_lk_transform_key"))
        batch_op.drop_index(batch_op.f("ix_lk_transform_is_latest"))
        batch_op.drop_index(batch_op.f("ix_lk_transform_hash"))
        batch_op.drop_index(batch_op.f("ix_lk_transform_environment_id"))
        batch_op.drop_index(batch_op.f("ix_lk_transform_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_transform_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_transform_branch_id"))

    op.drop_table("lk_transform")
    with op.batch_alter_table("lk_storage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_storage_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_storage_space_id"))
        batch_op.drop_index(batch_op.f("ix_lk_storage_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_storage_root"))
        batch_op.drop_index(batch_op.f("ix_lk_storage_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_storage_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_storage_branch_id"))

    op.drop_table("lk_storage")
    with op.batch_alter_table("lk_schema", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_schema_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_schema_type_id"))
        batch_op.drop_index(batch_op.f("ix_lk_schema_space_id"))
        batch_op.drop_index(batch_op.f("ix_lk_schema_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_schema_name"))
        batch_op.drop_index(batch_op.f("ix_lk_schema_itype"))
        batch_op.drop_index(batch_op.f("ix_lk_schema_is_type"))
        batch_op.drop_index(batch_op.f("ix_lk_schema_hash"))
        batch_op.drop_index(batch_op.f("ix_lk_schema_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_schema_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_schema_branch_id"))

    op.drop_table("lk_schema")
    with op.batch_alter_table("lk_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_run_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_run_transform_id"))
        batch_op.drop_index(batch_op.f("ix_lk_run_started_at"))
        batch_op.drop_index(batch_op.f("ix_lk_run_space_id"))
        batch_op.drop_index(batch_op.f("ix_lk_run_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_run_report_id"))
        batch_op.drop_index(batch_op.f("ix_lk_run_plan_id"))
        batch_op.drop_index(batch_op.f("ix_lk_run_name"))
        batch_op.drop_index(batch_op.f("ix_lk_run_initiated_by_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_run_finished_at"))
        batch_op.drop_index(batch_op.f("ix_lk_run_environment_id"))
        batch_op.drop_index(batch_op.f("ix_lk_run_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_run_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_run_branch_id"))

    op.drop_table("lk_run")
    with op.batch_alter_table("lk_artifact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lk_artifact_uid"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_suffix"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_storage_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_space_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_size"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_schema_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_run_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_otype"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_kind"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_key"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_is_latest"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_hash"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_created_at"))
        batch_op.drop_index(batch_op.f("ix_lk_artifact_branch_id"))

    op.drop_table("lk_artifact")
    # ### end Alembic commands ###
