"""What the JupyterLab pages show, called as a notebook user would: a page of a registry's rows
(query.record_rows), one record's detail (records.record_detail) and runs with their feature
values (records.run_summary)."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel.errors import DoesNotExist
from lamin_kernel.query.record_rows import rows_page
from lamin_kernel.records.record_detail import record_by_uid, record_detail, record_ref
from lamin_kernel.records.run_summary import compare_runs, run_summaries

BACKENDS = ("sqlite-local", "postgres-local")


def table(key: str, **kwargs: object) -> ln.Artifact:
    frame = pd.DataFrame({"key": [key]})
    return ln.Artifact.from_dataframe(frame, key=key, **kwargs).save()


@pytest.mark.backends(*BACKENDS)
def test_rows_page_pages_sorts_and_searches(instance: dict) -> None:
    for i in range(5):
        table(f"rows/{i}.parquet")
    qs = ln.Artifact.filter(key__startswith="rows/")
    first = rows_page(qs, ["key", "size"], order=["key"], page=1, page_size=2)
    assert first.total == 5 and first.complete
    assert [r["key"] for r in first.rows] == ["rows/0.parquet", "rows/1.parquet"]
    assert set(first.rows[0]) == {"id", "key", "size"}
    last = rows_page(qs, ["key"], order=["key"], page=3, page_size=2)
    assert [r["key"] for r in last.rows] == ["rows/4.parquet"]
    found = rows_page(qs, ["key"], search="3.parquet")
    assert found.total >= 1 and found.rows[0]["key"] == "rows/3.parquet"
    # nothing matches: an empty page, and the next call works as before
    assert rows_page(qs.filter(key="none"), ["key"]).total == 0
    assert rows_page(qs, ["key"], page_size=1).total == 5


@pytest.mark.backends(*BACKENDS)
def test_record_detail_names_links_labels_and_features(instance: dict) -> None:
    transform = ln.Transform(key="detail.py", kind="script").save()
    run = ln.Run(transform=transform).save()
    artifact = table("detail/a.parquet", run=run)
    label = ln.ULabel(name="batch 1").save()
    artifact.ulabels.add(label)
    ln.Feature(name="temperature", dtype=float).save()
    artifact.features.add_values({"temperature": 21.5})
    detail = record_detail(record_by_uid(ln.Artifact, artifact.uid))
    assert detail["label"] == "detail/a.parquet" and detail["registry"] == "Artifact"
    assert detail["links"]["run"] == record_ref(run)
    assert detail["links"]["transform"] == {
        "registry": "Transform",
        "uid": transform.uid,
        "label": "detail.py",
    }
    assert detail["labels"]["ulabels"] == [
        {"uid": label.uid, "name": "batch 1", "registry": "ULabel"}
    ]
    assert detail["features"] == {"temperature": 21.5}
    assert detail["record"]["key"] == "detail/a.parquet" and detail["record"]["id"] == artifact.id
    assert detail["describe"]["title"].startswith("Artifact: detail/a.parquet")
    assert [v["uid"] for v in detail["versions"]] == [artifact.uid]
    # only the listed registries are linked; a missing uid is DoesNotExist
    limited = record_detail(artifact, registries={"Artifact": ln.Artifact}, columns=["key"])
    assert "run" not in limited["links"] and limited["labels"] == {}
    assert set(limited["record"]) == {"id", "key"}
    with pytest.raises(DoesNotExist, match="does not exist"):
        record_by_uid(ln.Artifact, "A" * 20)


@pytest.mark.backends(*BACKENDS)
def test_runs_carry_their_feature_values(instance: dict) -> None:
    transform = ln.Transform(key="fit.py", kind="script").save()
    one = ln.Run(transform=transform, params={"lr": 0.1}).save()
    two = ln.Run(transform=transform, params={"lr": 0.2}).save()
    ln.Feature(name="accuracy", dtype=float).save()
    ln.Feature(name="model", dtype=str).save()
    one.features.add_values({"accuracy": 0.9, "model": "mlp"})
    two.features.add_values({"accuracy": 0.7})
    runs = {r["uid"]: r for r in run_summaries(transform)}
    assert runs[one.uid]["features"] == one.features.get_values()
    assert runs[two.uid]["features"] == {"accuracy": 0.7}
    compared = compare_runs([one, two])
    assert compared["features"] == [
        {"name": "accuracy", "values": [0.9, 0.7], "differs": True},
        {"name": "model", "values": ["mlp", None], "differs": True},
    ]
    assert record_detail(one)["features"] == {"accuracy": 0.9, "model": "mlp"}


@pytest.mark.backends(*BACKENDS)
def test_related_records_are_named_and_bounded(instance: dict) -> None:
    from lamin_kernel.records.record_detail import related_records

    members = [table(f"related/{i}.parquet") for i in range(3)]
    collection = ln.Collection(members, key="related").save()
    found = related_records(collection, limit=2)["artifacts"]
    # the newest two, named, and a sign that there are more
    assert [r["uid"] for r in found["records"]] == [members[2].uid, members[1].uid]
    assert found["records"][0]["label"] == "related/2.parquet" and found["more"] is True
    assert related_records(collection)["artifacts"]["more"] is False
    feature = ln.Feature(name="depth", dtype=int).save()
    schema = ln.Schema(features=[feature], name="depth schema").save()
    assert related_records(schema)["features"]["records"] == [
        {"registry": "Feature", "uid": feature.uid, "label": "depth"}
    ]
    # labels are listed as labels, not here
    label = ln.ULabel(name="tag").save()
    collection.ulabels.add(label)
    assert "ulabels" not in related_records(collection)
    assert record_detail(collection)["related"]["artifacts"]["records"][0]["uid"] == members[2].uid
