"""bionty sources: Source.dataframe_artifact_id, and one Source row per installed public source.

As in LaminDB, an instance with the bionty module lists the public sources it can use right
from its creation (`bt.Source.filter(entity="bionty.CellType")`), one currently used per
entity, organism and source name. This migration adds them to existing instances (the rows
of the releases installed when it runs; rows made on first use before are kept); a new
database gets them from `init`, once its default branch and space exist.

Revision ID: bionty_0002
Revises: bionty_0001
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "bionty_0002"
down_revision = "bionty_0001"
branch_labels = None
depends_on = None

KEY = ("entity", "organism", "name", "version")
FOREIGN_KEY = "fk_lkbt_source_dataframe_artifact_id_lk_artifact"


def _installed_sources() -> list[dict[str, str]]:
    """The installed public sources; none if their packages cannot be read (rows then come
    on first use)."""
    try:
        from lamin_kernel.bionty.public.sources import list_sources

        return list_sources()
    except Exception:  # noqa: BLE001 - a missing data package must not block the migration
        return []


def _seed_sources() -> None:
    from lamin_kernel.db.uid import base62

    conn = op.get_bind()
    has_branch = conn.execute(sa.text("SELECT id FROM lk_branch WHERE id = 1")).first()
    has_space = conn.execute(sa.text("SELECT id FROM lk_space WHERE id = 1")).first()
    if has_branch is None or has_space is None:
        return  # a new database: `init` adds the rows once its default branch and space exist
    table = sa.table(
        "lkbt_source",
        *(sa.column(c) for c in (*KEY, "uid", "description", "url", "source_website")),
        *(sa.column(c) for c in ("in_db", "currently_used", "is_locked")),
        *(sa.column(c) for c in ("created_at", "updated_at")),
        *(sa.column(c) for c in ("branch_id", "created_on_id", "space_id")),
    )
    rows = conn.execute(
        sa.text("SELECT entity, organism, name, version, currently_used FROM lkbt_source")
    )
    present, in_use = set(), set()
    for entity, organism, name, version, used in rows:
        present.add((entity, organism, name, version))
        if used:
            in_use.add((entity, organism, name))
    now = datetime.now(UTC)
    new = []
    for info in _installed_sources():
        key = tuple(info[k] for k in KEY)
        if key in present:
            continue
        present.add(key)
        used = key[:3] not in in_use
        in_use.add(key[:3])
        new.append(
            {
                **{k: info[k] for k in KEY},
                "uid": base62(8),
                "description": info.get("description"),
                "url": info.get("url"),
                "source_website": info.get("source_website"),
                "in_db": False,
                "currently_used": used,
                "is_locked": False,
                "created_at": now,
                "updated_at": now,
                "branch_id": 1,
                "created_on_id": 1,
                "space_id": 1,
            }
        )
    if new:
        op.bulk_insert(table, new)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # a plain ADD COLUMN with its REFERENCES clause: a batch copy of the table would have
        # to drop lkbt_source, which the records' rows refer to
        op.execute(
            "ALTER TABLE lkbt_source ADD COLUMN dataframe_artifact_id INTEGER "
            "REFERENCES lk_artifact (id)"
        )
    else:
        op.add_column("lkbt_source", sa.Column("dataframe_artifact_id", sa.Integer()))
        op.create_foreign_key(
            FOREIGN_KEY, "lkbt_source", "lk_artifact", ["dataframe_artifact_id"], ["id"]
        )
    op.create_index(
        "ix_lkbt_source_dataframe_artifact_id", "lkbt_source", ["dataframe_artifact_id"]
    )
    _seed_sources()


def downgrade() -> None:
    op.drop_index("ix_lkbt_source_dataframe_artifact_id", table_name="lkbt_source")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(FOREIGN_KEY, "lkbt_source", type_="foreignkey")
    op.drop_column("lkbt_source", "dataframe_artifact_id")
