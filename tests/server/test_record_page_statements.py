"""A record page sends a bounded number of SQL statements: one per relation kind, whatever the
number of linked labels, feature values, inputs and versions, and what its describe() tree
and its own sections both show is read once."""

from __future__ import annotations

from typing import Any

import pytest

import lamin_kernel as ln
from tests.server.conftest import Fetch, link_rows
from tests.support.loads import counting_reads

MAX_STATEMENTS = 34  # 31 for an artifact with every section filled (2026-12-07)


def statements_of_selects(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


async def page_statements(api: Fetch, artifact: Any) -> list[str]:
    with counting_reads() as reads:
        status, body, _ = await api("registries", "Artifact", "records", artifact.uid)
    assert status == 200 and body["record"]["uid"] == artifact.uid
    return statements_of_selects(reads.statements)


def link_more(artifact: Any, run: Any, n: int, tag: str) -> None:
    labels = [ln.ULabel(name=f"{tag} label {i}") for i in range(n)]
    ln.save(labels)
    artifact.ulabels.add(*labels)
    for i in range(n):
        feature = ln.Feature(name=f"{tag}_feature_{i}", dtype="float").save()
        value = ln.JsonValue(value=float(i), feature_id=feature.id).save()
        link_rows("ArtifactJsonValue", artifact_id=artifact.id, jsonvalue_id=value.id)
    run.input_artifacts.add(*[ln.Artifact.get(key=f"inputs/{tag}{i}.txt") for i in range(n)])


@pytest.mark.backends("sqlite-local", "postgres-local")
async def test_a_record_page_reads_each_relation_once(
    api: Fetch, seeded: dict, tmp_path: Any
) -> None:
    table, run = seeded["table"], seeded["run"]
    for tag in ("a", "b"):
        for i in range(10):
            path = tmp_path / f"{tag}{i}.txt"
            path.write_text(f"input {tag}{i}\n")
            ln.Artifact(path, key=f"inputs/{tag}{i}.txt").save()
    link_more(table, run, 2, "a")
    few = await page_statements(api, table)
    assert len(few) <= MAX_STATEMENTS, "\n".join(few)
    link_more(table, run, 10, "b")
    many = await page_statements(api, table)
    assert len(many) == len(few), "\n".join(many)  # per relation kind, not per linked row
    status, body, _ = await api("registries", "Artifact", "records", table.uid)
    assert len(body["labels"]["ulabels"]) == 1 + 2 + 10
    assert len(body["features"]) == 1 + 2 + 10
    label_queries = [s for s in many if "SELECT lk_ulabel." in s and "lk_artifact_ulabel" in s]
    assert len(label_queries) == 1  # the describe() tree and the labels share one read
    # a second request reads afresh: nothing of the first page is kept across requests
    table.ulabels.add(ln.ULabel(name="added later").save())
    status, body, _ = await api("registries", "Artifact", "records", table.uid)
    assert len(body["labels"]["ulabels"]) == 14
