"""A pooled PostgreSQL connection the server dropped while it sat unused is replaced."""

from __future__ import annotations

import psycopg
import pytest

import lamin_kernel as ln
from lamin_kernel.db import engine as db_engine
from lamin_kernel.setup.session import connection


def drop_other_connections(url: str) -> int:
    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as db:
        rows = db.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


@pytest.mark.backends("postgres-local")
def test_a_connection_dropped_while_idle_is_replaced(
    instance: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    ln.ULabel(name="before").save()
    monkeypatch.setattr(db_engine, "PING_AFTER_IDLE_S", 0.0)  # every checkout counts as idle
    assert drop_other_connections(connection().engine.url.render_as_string(False)) >= 1
    assert ln.ULabel.filter(name="before").count() == 1
    ln.ULabel(name="after").save()
    assert ln.ULabel.filter(name__in=["before", "after"]).count() == 2
