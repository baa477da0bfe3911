"""Search in the list endpoint: the same ranking as `QuerySet.search()`, paged, on both backends."""

from __future__ import annotations

import pytest

import lamin_kernel as ln
from lamin_kernel.server.search import CANDIDATES
from tests.server.conftest import Fetch

NAMES = [
    "Sample 0123",
    "sample_0123",
    "SAMPLE 0123 again",
    "batch/0123/sample",
    "0123",
    "pre0123post",
    "Batch 7",
    "50% done",
    "under_score",
    "a/b/c",
    "Ünïcode 0123",
    "report 2024-01-02",
]
DESCRIPTIONS = {"Batch 7": "the SAMPLE 0123 was re-run", "a/b/c": "50%_done"}
TEXTS = [
    "sample 0123",
    "0123",
    "SAMPLE",
    "batch/0123",
    "50%",
    "%_",
    "_",
    "a/b",
    "2024-01",
    "ünïcode",
    "re-run",
    "smaple",  # no row contains it: fuzzy matches only
]


@pytest.fixture
def labels(instance: dict, monkeypatch: pytest.MonkeyPatch) -> list:
    # these tests are about ranking and paging; a loaded machine must not make the one-second
    # search budget cut a page short (the budget has tests of its own: test_search_service.py)
    monkeypatch.setenv("LAMIN_SEARCH_TIMEOUT", "30")
    return [ln.ULabel(name=n, description=DESCRIPTIONS.get(n)).save() for n in NAMES]


async def pages(api: Fetch, text: str, page_size: int) -> tuple[list[str], dict]:
    """Every page of a search, concatenated, and the first page's body."""
    uids: list[str] = []
    first: dict = {}
    page = 1
    while True:
        params = {"search": text, "page_size": page_size, "page": page}
        status, body, _ = await api("registries", "ULabel", "records", params=params)
        assert status == 200, body
        first = first or body
        uids += [r["uid"] for r in body["records"]]
        if not body["records"]:
            return uids, first
        page += 1


@pytest.mark.backends("sqlite-local", "postgres-local")
async def test_search_pages_rank_as_queryset_search(api: Fetch, labels: list) -> None:
    for text in TEXTS:
        expected = ln.ULabel.search(text, limit=CANDIDATES).to_list("uid")
        assert expected, text
        uids, body = await pages(api, text, 3)
        assert uids == expected, text
        assert body["total"] == len(expected) and body["partial"] is False, text


@pytest.mark.backends("sqlite-local", "postgres-local")
async def test_search_with_sort_orders_the_matches(api: Fetch, labels: list) -> None:
    expected = ln.ULabel.search("0123", limit=CANDIDATES).to_list("name")
    status, body, _ = await api(
        "registries", "ULabel", "records", params={"search": "0123", "sort": "-name"}
    )
    assert status == 200, body
    names = [r["name"] for r in body["records"]]
    assert names == sorted(expected, reverse=True) and body["total"] == len(expected)


@pytest.mark.backends("sqlite-local")
async def test_a_short_search_says_when_it_scanned_part_of_the_registry(
    api: Fetch, labels: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lamin_kernel.query import search_sources

    monkeypatch.setattr(search_sources, "SCAN_ROWS", 4)
    status, body, _ = await api("registries", "ULabel", "records", params={"search": "_"})
    assert status == 200 and body["partial"] is True
    status, body, _ = await api("registries", "ULabel", "records", params={"search": "0123"})
    assert status == 200 and body["partial"] is False
