"""Search in the list endpoint: the same ranking as `QuerySet.search()`, paged, on both backends."""

from __future__ import annotations

from functools import reduce
from operator import or_

import pytest

import lamin_kernel as ln
from lamin_kernel.query.q import Q
from lamin_kernel.server.search import contains_text, search_fields
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
    "smaple",  # no row contains it: the fuzzy search ranks the whole registry
]


@pytest.fixture
def labels(instance: dict) -> list:
    return [ln.ULabel(name=n, description=DESCRIPTIONS.get(n)).save() for n in NAMES]


def icontains(text: str) -> Q:
    return reduce(or_, (Q(**{f"{f}__icontains": text}) for f in search_fields(ln.ULabel)))


def ranked(text: str, field: str) -> list:
    """`QuerySet.search()` over the rows that contain the text, or over all if none does."""
    qs = ln.ULabel.filter(icontains(text))
    return (qs if qs.exists() else ln.ULabel.filter()).search(text, limit=None).to_list(field)


@pytest.mark.backends("sqlite-local", "postgres-local")
async def test_search_pages_rank_as_queryset_search(api: Fetch, labels: list) -> None:
    for text in TEXTS:
        expected = ranked(text, "uid")
        status, body, _ = await api(
            "registries", "ULabel", "records", params={"search": text, "page_size": 3}
        )
        assert status == 200, body
        assert body["total"] == len(expected), text
        pages = [r["uid"] for r in body["records"]]
        for page in range(2, (len(expected) + 2) // 3 + 1):
            _, body, _ = await api(
                "registries",
                "ULabel",
                "records",
                params={"search": text, "page_size": 3, "page": page},
            )
            pages += [r["uid"] for r in body["records"]]
        assert pages == expected, text


@pytest.mark.backends("sqlite-local", "postgres-local")
async def test_search_with_sort_orders_the_matches(api: Fetch, labels: list) -> None:
    expected = ranked("0123", "name")
    status, body, _ = await api(
        "registries", "ULabel", "records", params={"search": "0123", "sort": "-name"}
    )
    assert status == 200, body
    names = [r["name"] for r in body["records"]]
    assert names == sorted(expected, reverse=True) and body["total"] == len(expected)


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_contains_text_selects_what_icontains_selects(labels: list) -> None:
    """Testing the text's run of digits and punctuation first changes no result."""
    fields = search_fields(ln.ULabel)
    assert fields == ["name", "description"]
    for text in [*TEXTS, "MPLE 01", "E_0", "e 0123 A", "/0123/", "%", "0123 again"]:
        expected = ln.ULabel.filter(icontains(text)).order_by("id").to_list("id")
        assert ln.ULabel.filter(contains_text(fields, text)).order_by("id").to_list("id") == (
            expected
        ), text
