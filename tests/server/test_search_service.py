"""Slow searches never starve the server: they run in a pool of their own, a full pool refuses
more at once, and each search stops at its deadline.

The searches are made slow for certain, not by timing: another PostgreSQL session holds an
exclusive lock on the table they read, so they wait until the test releases it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

import lamin_kernel as ln
from lamin_kernel.server.service import SEARCH_WORKERS
from tests.server.conftest import Fetch

WAIT_LIMIT_S = 60  # a guard against a hung test, not a measurement


@pytest.fixture
def table_lock(instance: dict, monkeypatch: pytest.MonkeyPatch) -> Iterator[psycopg.Connection]:
    """lk_ulabel locked by another session until the test commits `lock`; searches wait for
    it up to WAIT_LIMIT_S (a test may shorten that)."""
    monkeypatch.setenv("LAMIN_SEARCH_TIMEOUT", str(WAIT_LIMIT_S))
    ln.ULabel(name="locked label").save()
    lock = psycopg.connect(instance["db"])
    lock.execute("LOCK TABLE lk_ulabel IN ACCESS EXCLUSIVE MODE")
    yield lock
    lock.close()


async def sessions_waiting_for_the_lock(db_url: str, expected: int) -> None:
    """Return once `expected` sessions wait for a lock (the searches reached the table)."""
    with psycopg.connect(db_url, autocommit=True) as watcher:
        for _ in range(WAIT_LIMIT_S * 20):
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            ).fetchone()[0]
            if waiting >= expected:
                return
            await asyncio.sleep(0.05)
    raise AssertionError(f"fewer than {expected} searches reached the locked table")


def searches(api: Fetch, n: int) -> list[asyncio.Task]:
    return [
        asyncio.ensure_future(
            api("registries", "ULabel", "records", params={"search": f"locked {i}"})
        )
        for i in range(n)
    ]


@pytest.fixture
def service(jp_serverapp: Any, http_server_client: Any) -> Any:
    http_server_client.max_clients = 50  # the test client itself must not queue requests
    return jp_serverapp.web_app.settings["lamin_kernel_service"]


@pytest.mark.backends("postgres-local")
async def test_the_instance_answers_while_searches_wait(
    api: Fetch, instance: dict, table_lock: psycopg.Connection, service: Any
) -> None:
    in_flight = searches(api, 8)
    await sessions_waiting_for_the_lock(instance["db"], SEARCH_WORKERS)
    for route in (("instance",), ("registries", "Artifact", "records")):
        status, body, _ = await api(*route)
        assert status == 200, body
    assert service.searches == 8 and not any(task.done() for task in in_flight)
    table_lock.commit()  # releases the lock
    for status, body, _ in await asyncio.gather(*in_flight):
        assert status == 200 and body["partial"] is False, body
    assert service.searches == 0


@pytest.mark.backends("postgres-local")
async def test_a_full_search_pool_refuses_more_at_once(
    api: Fetch, instance: dict, table_lock: psycopg.Connection, service: Any
) -> None:
    accepted = searches(api, service.search_capacity)
    await sessions_waiting_for_the_lock(instance["db"], SEARCH_WORKERS)
    status, body, _ = await api("registries", "ULabel", "records", params={"search": "one more"})
    assert status == 503 and "try again" in body["error"]["message"]
    table_lock.commit()
    assert all(status == 200 for status, _, _ in await asyncio.gather(*accepted))
    status, body, _ = await api("registries", "ULabel", "records", params={"search": "locked"})
    assert status == 200 and [r["name"] for r in body["records"]] == ["locked label"]


@pytest.mark.backends("postgres-local")
async def test_a_search_stops_at_its_deadline(
    api: Fetch, table_lock: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAMIN_SEARCH_TIMEOUT", "0.5")
    status, body, _ = await api("registries", "ULabel", "records", params={"search": "locked"})
    assert status == 200 and body["partial"] is True and body["records"] == []
    table_lock.commit()
    status, body, _ = await api("registries", "ULabel", "records", params={"search": "locked"})
    assert status == 200 and body["partial"] is False and body["total"] == 1
