"""GET instance, registries, records (pages, sort, search, filters, columns) and one record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import lamin_kernel as ln
from tests.server.conftest import XSS, Fetch


def uids(body: dict) -> list[str]:
    return [r["uid"] for r in body["records"]]


async def test_instance(api: Fetch, instance: dict) -> None:
    status, body, _ = await api("instance")
    settings = instance["settings"]
    assert status == 200
    assert body == {
        "name": settings.name,
        "owner": settings.owner,
        "slug": settings.slug,
        "storage": {"root": instance["storage"], "type": "local"},
        "db": "sqlite",
        "modules": [],
        "branch": "main",
    }


async def test_registries_with_counts_and_fields(api: Fetch, seeded: dict) -> None:
    status, body, _ = await api("registries")
    assert status == 200
    by_name = {r["name"]: r for r in body["registries"]}
    assert {"Artifact", "Run", "Transform", "ULabel", "Collection", "Feature"} <= set(by_name)
    assert "JsonValue" not in by_name  # no uid: not browsable
    artifact = by_name["Artifact"]
    assert artifact["module"] == "core" and artifact["count"] == 6
    fields = {f["name"]: f for f in artifact["fields"]}
    assert fields["uid"] == {"name": "uid", "type": "str", "relation": None}
    assert fields["size"]["type"] == "int" and fields["is_latest"]["type"] == "bool"
    assert fields["created_at"]["type"] == "datetime"
    assert fields["run_id"]["relation"] == "Run" and fields["storage_id"]["relation"] == "Storage"
    assert fields["ulabels__name"] == {"name": "ulabels__name", "type": "str", "relation": "ULabel"}
    assert "transform__key" in fields and "hash_type" not in fields
    assert by_name["Run"]["count"] == 2 and by_name["ULabel"]["count"] == 1


async def test_first_page_newest_first(api: Fetch, seeded: dict) -> None:
    status, body, _ = await api("registries", "Artifact", "records")
    assert status == 200
    assert body["registry"] == "Artifact" and body["total"] == 6
    assert body["page"] == 1 and body["page_size"] == 50
    assert [r["id"] for r in body["records"]] == sorted(
        (r["id"] for r in body["records"]), reverse=True
    )
    assert body["columns"][:3] == ["uid", "key", "description"]
    row = next(r for r in body["records"] if r["uid"] == seeded["table"].uid)
    assert row["description"] == XSS  # JSON carries the text; the client escapes it
    assert row["size"] == seeded["table"].size and isinstance(row["size"], int)
    assert row["run_id"] == seeded["run"].id and row["is_latest"] is True
    assert row["created_at"].startswith("20") and "T" in row["created_at"]
    text_row = next(r for r in body["records"] if r["uid"] == seeded["text"].uid)
    assert text_row["run_id"] is None and text_row["n_observations"] is None


async def test_pages_and_columns(api: Fetch, seeded: dict) -> None:
    _, everything, _ = await api("registries", "Artifact", "records")
    status, body, _ = await api(
        "registries",
        "Artifact",
        "records",
        params={"page": 2, "page_size": 4, "columns": "key,suffix"},
    )
    assert status == 200 and body["total"] == 6 and body["columns"] == ["key", "suffix"]
    assert uids(body) == uids(everything)[4:]
    assert set(body["records"][0]) == {"id", "uid", "key", "suffix"}
    _, beyond, _ = await api("registries", "Artifact", "records", params={"page": 9})
    assert beyond["records"] == [] and beyond["total"] == 6


async def test_sort(api: Fetch, seeded: dict) -> None:
    _, body, _ = await api("registries", "Artifact", "records", params={"sort": "key"})
    keys = [r["key"] for r in body["records"]]
    assert keys == sorted(keys)
    same_key = [r["id"] for r in body["records"] if r["key"] == "data/table.parquet"]
    assert same_key == sorted(same_key, reverse=True)  # ties: newest first
    _, body, _ = await api("registries", "Artifact", "records", params={"sort": "-size"})
    sizes = [r["size"] for r in body["records"]]
    assert sizes == sorted(sizes, reverse=True)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["suffix:exact:.parquet"], ["table", "first"]),
        (["ulabels__name:in:Experiment A,Other"], ["table"]),
        (["key:startswith:data/", "is_latest:exact:true"], ["csv", "table"]),
        (["transform__key:exact:pipeline.py", "suffix:exact:.csv"], ["csv"]),
        (["run_id:isnull:true"], ["report", "image", "text"]),
        (["description:icontains:ONERROR"], ["table"]),
        (
            ["created_at:gte:2000-01-01T00:00:00Z", "size:gt:0", "suffix:in:.png,.txt"],
            ["image", "text"],
        ),
    ],
)
async def test_filters(api: Fetch, seeded: dict, filters: list[str], expected: list[str]) -> None:
    status, body, _ = await api(
        "registries", "Artifact", "records", params=[("filter", f) for f in filters]
    )
    assert status == 200, body
    assert uids(body) == [seeded[name].uid for name in expected]
    assert body["total"] == len(expected)


async def test_search(api: Fetch, seeded: dict) -> None:
    status, body, _ = await api("registries", "Artifact", "records", params={"search": "notes"})
    assert status == 200 and uids(body)[0] == seeded["text"].uid
    _, body, _ = await api("registries", "ULabel", "records", params={"search": "experiment"})
    assert uids(body) == [seeded["label"].uid]
    _, body, _ = await api(
        "registries", "Artifact", "records", params={"search": "table", "sort": "key"}
    )
    keys = [r["key"] for r in body["records"]]
    assert keys == sorted(keys) and "data/table.csv" in keys


async def test_record_detail(api: Fetch, seeded: dict) -> None:
    table = seeded["table"]
    status, body, _ = await api("registries", "Artifact", "records", table.uid)
    assert status == 200 and body["registry"] == "Artifact"
    assert body["record"]["uid"] == table.uid and body["record"]["description"] == XSS
    assert body["record"]["id"] == table.id
    run_uid = seeded["run"].uid
    assert body["links"]["run"] == {
        "registry": "Run",
        "uid": run_uid,
        "label": f"pipeline.py · run {run_uid[:7]}",  # links carry names, not only uids
    }
    assert body["links"]["transform"] == {
        "registry": "Transform",
        "uid": seeded["transform"].uid,
        "label": "pipeline.py",
    }
    assert body["links"]["storage"]["registry"] == "Storage"
    assert body["label"] == "data/table.parquet" and body["module"] == "core"
    assert body["links"]["schema"] is None
    assert [v["uid"] for v in body["versions"]] == [table.uid, seeded["first"].uid]
    assert body["versions"][0]["is_latest"] is True and body["versions"][1]["is_latest"] is False
    assert body["labels"]["ulabels"] == [
        {"uid": seeded["label"].uid, "name": "Experiment A", "registry": "ULabel"}
    ]
    assert body["features"] == {"temperature": 21.6}
    assert body["describe"]["title"].startswith("Artifact: data/table.parquet")
    assert ["uid", table.uid] in body["describe"]["fields"]


async def test_run_and_label_detail(api: Fetch, seeded: dict) -> None:
    status, body, _ = await api("registries", "Run", "records", seeded["run"].uid)
    assert status == 200
    assert body["links"]["transform"]["uid"] == seeded["transform"].uid
    assert body["links"]["report"]["uid"] == seeded["report"].uid
    assert body["links"]["report"]["registry"] == "Artifact"
    assert body["versions"] == [] and body["features"] == {}
    status, body, _ = await api("registries", "ULabel", "records", seeded["label"].uid)
    assert status == 200 and body["record"]["name"] == "Experiment A"


async def test_trashed_record_still_opens_by_uid(api: Fetch, seeded: dict) -> None:
    seeded["text"].delete()
    _, listing, _ = await api("registries", "Artifact", "records")
    assert seeded["text"].uid not in uids(listing)
    status, body, _ = await api("registries", "Artifact", "records", seeded["text"].uid)
    assert status == 200 and body["record"]["branch_id"] == -1


@pytest.fixture
def bionty_instance(tmp_path: Path) -> Iterator[None]:
    pytest.importorskip("lamin_kernel.bionty")
    from lamin_kernel import runtime
    from lamin_kernel.setup import instance as setup_instance

    runtime.reset()
    setup_instance.init(str(tmp_path / "bt-storage"), name="bt-test", modules=["bionty"])
    yield
    runtime.reset()


async def test_bionty_registries_when_the_instance_has_the_module(
    api: Fetch, bionty_instance: None
) -> None:
    import pandas as pd

    import lamin_kernel.bionty as bt

    cell_type = bt.CellType(name=XSS).save()
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="cells.parquet").save()
    artifact.cell_types.add(cell_type)
    _, body, _ = await api("registries")
    modules = {r["name"]: r["module"] for r in body["registries"]}
    assert modules["CellType"] == "bionty" and modules["Artifact"] == "core"
    status, body, _ = await api("registries", "CellType", "records")
    assert status == 200 and body["records"][0]["name"] == XSS
    status, body, _ = await api(
        "registries", "Artifact", "records", params={"filter": f"cell_types__name:exact:{XSS}"}
    )
    assert uids(body) == [artifact.uid]
    _, body, _ = await api("registries", "Artifact", "records", artifact.uid)
    assert body["labels"]["cell_types"] == [
        {"uid": cell_type.uid, "name": XSS, "registry": "CellType"}
    ]


async def test_bionty_registries_are_not_served_without_the_module(
    api: Fetch, instance: dict
) -> None:
    _, body, _ = await api("registries")
    assert all(r["module"] == "core" for r in body["registries"])
    status, body, _ = await api("registries", "CellType", "records")
    assert status == 404


async def test_feature_filters(api: Fetch, seeded: dict) -> None:
    if getattr(ln.Artifact, "__lk_filter_resolver__", None) is None:
        pytest.xfail("feature lookups in Artifact.filter() are not there yet (curation layer)")
    from tests.server.conftest import link_rows

    experiment = ln.Feature(name="experiment", dtype="cat[ULabel]").save()
    link_rows(
        "ArtifactULabel",
        artifact_id=seeded["csv"].id,
        ulabel_id=seeded["label"].id,
        feature_id=experiment.id,
    )
    records = ("registries", "Artifact", "records")
    for spec, expected in (
        ("temperature:gt:20", ["table"]),
        ("temperature:lt:20", []),
        ("temperature:exact:21.6", ["table"]),
        ("experiment:exact:Experiment A", ["csv"]),
        ("experiment:in:Experiment A,Other", ["csv"]),
    ):
        status, body, _ = await api(*records, params={"filter": spec})
        assert status == 200, (spec, body)
        assert uids(body) == [seeded[name].uid for name in expected], spec
    status, body, _ = await api(*records, params={"filter": "temperature:gt:warm"})
    assert status == 400 and "number" in body["error"]["message"]
    _, body, _ = await api("registries")
    fields = {
        f["name"]: f for r in body["registries"] if r["name"] == "Artifact" for f in r["fields"]
    }
    assert fields["temperature"] == {"name": "temperature", "type": "float", "relation": "Feature"}
    assert fields["experiment"]["type"] == "str"
    _, body, _ = await api("registries", "Artifact", "records", seeded["csv"].uid)
    assert body["features"] == {"experiment": "Experiment A"}
