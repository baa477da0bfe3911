"""A rerun reads the input versions the original run read, whatever read path the code
takes: get by key or uid stem, filter(...).one()/first()/last()/one_or_none(), iteration,
queries by label and by feature, a relation iterated or sliced directly (``label.artifacts``,
``collection.artifacts``), collections and their artifacts; load(), cache() and open()
then read those versions' bytes. A newer version saved since is not picked up."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel.tracking import environment_store
from lamin_kernel.tracking.rerun import rerun

from .test_cell_provenance import run_script

READS = """\
import json, os
import lamin_kernel as ln

ln.track()
key = "in/table.parquet"
by_key = ln.Artifact.filter(key=key)
found = {
    "get_key": ln.Artifact.get(key=key),
    "filter_one": by_key.filter(is_latest=True).one(),
    "filter_first": by_key.first(),
    "filter_last": by_key.last(),
    "filter_newest_first": by_key.order_by("-created_at").first(),
    "one_or_none": ln.Artifact.filter(key=key, is_latest=True).one_or_none(),
    "iterated": list(by_key)[-1],
    "uid_stem": ln.Artifact.get(os.environ["PIN_STEM"]),
    "by_label": ln.Artifact.filter(ulabels__name="batch-1").order_by("-id").first(),
    "by_feature": ln.Artifact.filter(batch="b1").order_by("-id").first(),
    "label_relation": [a for a in ln.ULabel.get(name="batch-1").artifacts][-1],
    "label_relation_slice": ln.ULabel.get(name="batch-1").artifacts[0:5][-1],
}
found["get_key"].load()
found["by_label"].cache()
found["by_feature"].open()
collection = ln.Collection.get(key="in/coll")
members = [a.uid for a in collection.artifacts.all()]
members_iterated = [a.uid for a in collection.artifacts]
collection.load()
report = {name: record.uid for name, record in found.items()}
report.update(
    {"collection": collection.uid, "members": members, "members_iterated": members_iterated}
)
with open(os.environ["PIN_REPORT"], "w") as handle:
    json.dump(report, handle)
ln.finish()
"""


@pytest.fixture(autouse=True)
def forget_environment() -> None:
    environment_store.forget()


def table_version(values: list[int]) -> ln.Artifact:
    frame = pd.DataFrame({"a": values})
    artifact = ln.Artifact.from_dataframe(frame, key="in/table.parquet").save()
    artifact.ulabels.add(ln.ULabel.get(name="batch-1"))
    artifact.features.add_values({"batch": "b1"})
    return artifact


def test_every_read_path_of_a_rerun_finds_the_original_versions(
    instance: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    ln.ULabel(name="batch-1").save()
    ln.Feature(name="batch", dtype=str).save()
    first = table_version([1, 2, 3])
    first_collection = ln.Collection([first], key="in/coll").save()
    report = instance["tmp"] / "report.json"
    monkeypatch.setenv("PIN_REPORT", str(report))
    monkeypatch.setenv("PIN_STEM", first.uid[:16])
    run_script(instance["tmp"], "reads.py", READS)
    original = ln.Run.filter(transform__key="reads.py").order_by("id").first()
    seen = json.loads(report.read_text())
    not_records = ("collection", "members", "members_iterated")
    records = {k: v for k, v in seen.items() if k not in not_records}
    assert records == dict.fromkeys(records, first.uid) and len(records) == 12
    assert seen["collection"] == first_collection.uid and seen["members"] == [first.uid]
    assert seen["members_iterated"] == [first.uid]
    inputs = {a.uid for a in original.input_artifacts} | {c.uid for c in original.input_collections}
    assert {first.uid, first_collection.uid} <= inputs

    second = table_version([4, 5, 6])  # newer versions, found by every path without pins
    other = ln.Artifact.from_dataframe(pd.DataFrame({"a": [0]}), key="in/other.parquet").save()
    second_collection = ln.Collection([second, other], key="in/coll").save()
    assert ln.Artifact.get(key="in/table.parquet").uid == second.uid
    run_script(instance["tmp"], "reads.py", READS)
    unpinned = json.loads(report.read_text())
    assert unpinned["get_key"] == second.uid and unpinned["by_feature"] == second.uid
    assert unpinned["filter_one"] == second.uid and unpinned["filter_last"] == second.uid
    assert unpinned["collection"] == second_collection.uid
    assert unpinned["label_relation"] == second.uid  # the label links both versions
    assert unpinned["members_iterated"] == [second.uid, other.uid]

    result = rerun(original.uid, check=True)
    pinned = json.loads(report.read_text())
    assert pinned == seen  # every path: the versions the original run read
    assert pinned["collection"] == first_collection.uid and pinned["members"] == [first.uid]
    assert pinned["label_relation"] == first.uid and pinned["members_iterated"] == [first.uid]
    assert result.checks == []  # the code saves nothing


def pin_to(first: ln.Artifact) -> None:
    """Pin ``first``'s family as a rerun's process does (tracking.rerun_pins)."""
    from lamin_kernel import runtime
    from lamin_kernel.query.pins import PINNED_VERSION

    stem = first.uid[:16]
    runtime.add_hook(PINNED_VERSION, lambda _, uid: first.uid if uid[:16] == stem else None)


def test_a_pin_maps_newer_versions_of_its_family_and_keeps_older_ones(instance: dict) -> None:
    older = ln.Artifact.from_dataframe(pd.DataFrame({"a": [0]}), key="x.parquet").save()
    first = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="x.parquet").save()
    second = ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="x.parquet").save()
    pin_to(first)
    assert ln.Artifact.get(key="x.parquet").uid == first.uid
    assert ln.Artifact.get(second.uid).uid == first.uid
    assert ln.Artifact.get(older.uid).uid == older.uid  # it existed when the original ran
    assert ln.Artifact.filter(key="x.parquet").order_by("-id").first().uid == first.uid
    assert [a.uid for a in ln.Artifact.filter(key="x.parquet")] == [older.uid, first.uid]
    assert ln.Artifact.filter(key="x.parquet").count() == 3  # counts are not records


def test_reads_from_another_instance_are_not_pinned(tmp_path) -> None:
    from lamin_kernel import runtime
    from lamin_kernel.setup import instance as setup_instance

    runtime.reset()
    source = setup_instance.init(str(tmp_path / "source"), name="source")
    first = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="x.parquet").save()
    second = ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="x.parquet").save()
    setup_instance.init(str(tmp_path / "target"), name="target")
    try:
        pin_to(first)  # a pin names this instance's records: the inputs a run recorded
        assert ln.DB(source.slug).Artifact.get(key="x.parquet").uid == second.uid
    finally:
        runtime.reset()
