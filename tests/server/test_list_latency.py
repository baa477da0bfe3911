"""Latency of the list endpoints on 100,000 artifacts (issue 6: a page of 50 in <= 50 ms p95).

Printed, not asserted (machines differ); `make bench` keeps the figures. Skipped in
`make test` (inserting 100,000 rows twice takes minutes); run it with
`LAMIN_LATENCY_ARTIFACTS=100000 pytest tests/server/test_list_latency.py -s`.
"""

from __future__ import annotations

import os
import statistics
import time

import pytest
from sqlalchemy import text

from lamin_kernel.setup.session import write_transaction
from tests.server.conftest import Fetch
from tests.support.artifact_rows import insert_artifacts

N_ARTIFACTS = int(os.environ.get("LAMIN_LATENCY_ARTIFACTS", "0"))
REPEATS = 60


async def timed(api: Fetch, repeats: int, *parts: str, params: dict) -> list[float]:
    times = []
    for _ in range(repeats + 1):
        t0 = time.perf_counter()
        status, body, _ = await api(*parts, params=params)
        times.append(time.perf_counter() - t0)
        assert status == 200, body
    return times[1:]  # the first call warms caches and imports


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


@pytest.mark.slow
@pytest.mark.skipif(N_ARTIFACTS == 0, reason="set LAMIN_LATENCY_ARTIFACTS=100000 to measure")
@pytest.mark.backends("sqlite-local", "postgres-local")
async def test_list_latency_on_100k_artifacts(api: Fetch, instance: dict) -> None:
    t0 = time.perf_counter()
    insert_artifacts(N_ARTIFACTS)
    backend = instance["backend"]
    print(f"\n{backend}: inserted {N_ARTIFACTS} artifacts in {time.perf_counter() - t0:.1f} s")
    records = ("registries", "Artifact", "records")
    cases = {
        "page 1 (page_size=50)": (records, {"page_size": 50}, REPEATS),
        "middle page": (records, {"page_size": 50, "page": N_ARTIFACTS // 100}, REPEATS),
        "sort=-key": (records, {"page_size": 50, "sort": "-key"}, REPEATS),
        "filter suffix": (records, {"page_size": 50, "filter": "suffix:exact:.csv"}, REPEATS),
        "filter key prefix": (
            records,
            {"page_size": 50, "filter": "key:startswith:bulk/0012"},
            REPEATS,
        ),
        "registries (counts)": (("registries",), {}, 20),
        "search (1 match)": (records, {"page_size": 50, "search": "bulk/001234"}, 20),
        "search (many)": (records, {"page_size": 50, "search": "number 99"}, 20),
        "search (typo: fuzzy)": (records, {"page_size": 50, "search": "bluk artefact"}, 3),
    }
    for title in ("as inserted", "after ANALYZE (planner statistics)"):
        if title.startswith("after"):
            with write_transaction() as session:
                session.execute(text("ANALYZE"))
        print(f"\n{title}\n{'request':<24}{'median ms':>10}{'p95 ms':>10}")
        for name, (parts, params, repeats) in cases.items():
            times = await timed(api, repeats, *parts, params=params)
            print(f"{name:<24}{statistics.median(times) * 1e3:>10.1f}{p95(times) * 1e3:>10.1f}")
