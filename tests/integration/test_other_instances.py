"""Two local instances: ln.DB("other") reads, save(using=...) writes into the other one."""

from __future__ import annotations

from pathlib import Path

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.setup import instance as setup_instance


@pytest.fixture
def two_instances(tmp_path: Path) -> dict:
    """`source` holds a label; `target` is connected."""
    runtime.reset()
    source = setup_instance.init(str(tmp_path / "source"), name="source")
    ln.ULabel(name="from source").save()
    target = setup_instance.init(str(tmp_path / "target"), name="target")
    yield {"source": source.slug, "target": target.slug, "tmp": tmp_path}
    runtime.reset()


def test_db_reads_another_instance_without_touching_the_connected_one(two_instances: dict):
    db = ln.DB(two_instances["source"])
    assert repr(db) == f"DB('{two_instances['source']}')"
    assert db.ULabel.filter().to_list("name") == ["from source"]
    assert db.ULabel.get(name="from source").name == "from source"
    assert list(db.ULabel.filter().to_dataframe()["name"]) == ["from source"]
    assert ln.ULabel.filter().count() == 0
    assert ln.DB("source").ULabel.count() == 1  # by name, as LaminDB takes it
    with pytest.raises(TypeError, match="cannot create records through"):
        db.ULabel(name="no")
    with pytest.raises(AttributeError, match="not found in lamindb core registries"):
        db.NotARegistry  # noqa: B018


def test_ln_save_using_writes_into_the_other_instance(two_instances: dict):
    ln.save([ln.ULabel(name=f"remote {i}") for i in range(3)], using=two_instances["source"])
    db = ln.DB(two_instances["source"])
    assert db.ULabel.filter(name__startswith="remote").count() == 3
    assert ln.ULabel.filter(name__startswith="remote").count() == 0
    db.ULabel.filter(name__startswith="remote").delete(permanent=True)
    assert db.ULabel.filter(name__startswith="remote").count() == 0
    assert db.ULabel.count() == 1


def test_db_of_the_connected_instance_is_the_instance_itself(two_instances: dict):
    ln.ULabel(name="here").save()
    assert ln.DB(two_instances["target"]).ULabel.filter().to_list("name") == ["here"]


@pytest.fixture
def source_with_data(tmp_path: Path) -> dict:
    """`source` holds an artifact with a typed label, a schema and a collection."""
    runtime.reset()
    source = setup_instance.init(str(tmp_path / "source"), name="source")
    (tmp_path / "README.md").write_text("# hello")
    kind = ln.ULabel(name="Kind", is_type=True).save()
    label = ln.ULabel(name="A", type=kind).save()
    artifact = ln.Artifact(tmp_path / "README.md", key="README.md").save()
    artifact.ulabels.add(label)
    feature = ln.Feature(name="tissue", dtype=str).save()
    schema = ln.Schema(name="tissues", features=[feature]).save()
    collection = ln.Collection([artifact], key="docs").save()
    uids = {"artifact": artifact.uid, "schema": schema.uid, "feature": feature.uid}
    uids["collection"] = collection.uid
    target = setup_instance.init(str(tmp_path / "target"), name="target")
    yield {"source": source.slug, "target": target.slug, "tmp": tmp_path, **uids}
    runtime.reset()


def test_an_artifact_read_elsewhere_is_saved_here_with_a_transfer_run(source_with_data):
    db = ln.DB(source_with_data["source"])
    artifact = db.Artifact.get(key="README.md")
    artifact.save()
    assert artifact.uid == source_with_data["artifact"]
    assert ln.Artifact.get(key="README.md").id == artifact.id
    assert artifact.run.status == "completed" and artifact.run.finished_at is not None
    assert artifact.run.transform.key.startswith("__lamindb_transfer__/")
    assert artifact.storage.root == str(source_with_data["tmp"] / "source")
    assert artifact.load() == "# hello"  # the bytes stay where they are
    assert artifact.ulabels.count() == 0  # the row only, by default
    with pytest.raises(ln.errors.IntegrityError, match="managed storage locations"):
        artifact.delete(permanent=True)


def test_annotations_bring_the_labels_and_their_types(source_with_data):
    db = ln.DB(source_with_data["source"])
    artifact = db.Artifact.get(key="README.md")
    artifact.save(transfer="annotations")
    assert [u.name for u in artifact.ulabels] == ["A"]
    assert ln.ULabel.get(name="A").type.name == "Kind"
    again = db.Artifact.get(key="README.md").save(transfer="annotations")
    assert again.id == artifact.id and ln.ULabel.filter().count() == 2
    assert ln.Run.filter().count() == 1  # one transfer run per source and initiating run
    with pytest.raises(ln.errors.InvalidArgument, match="transfer should be one of"):
        db.Artifact.get(key="README.md").save(transfer="everything")


def test_a_schema_brings_its_features_keeping_their_uids(source_with_data):
    local = ln.Feature(name="tissue", dtype=str).save()
    local_schema = ln.Schema(name="local panel", features=[local]).save()
    hash_before = local_schema.hash
    db = ln.DB(source_with_data["source"])
    row_only = db.Schema.get(source_with_data["schema"]).save(transfer="record")
    assert row_only.features.count() == 0
    schema = db.Schema.get(source_with_data["schema"]).save()
    assert schema.id == row_only.id
    # one live Feature per name here: the local "tissue" is the source's feature and takes
    # its uid, so the schema's member has the uid it has in the source
    assert [f.uid for f in schema.features] == [source_with_data["feature"]]
    assert [f.id for f in schema.features] == [local.id]
    assert ln.Feature.filter(name="tissue").count() == 1
    assert ln.Feature.get(local.id).uid == source_with_data["feature"]
    # the local schema of that feature is hashed again over the member's new uid
    assert ln.Schema.get(local_schema.id).hash != hash_before
    assert (
        ln.Schema.get(local_schema.id).hash == ln.Schema(features=[ln.Feature.get(local.id)]).hash
    )


def test_a_collection_brings_its_artifacts(source_with_data):
    collection = ln.DB(source_with_data["source"]).Collection.get(key="docs")
    collection.save()
    assert [a.uid for a in collection.ordered_artifacts] == [source_with_data["artifact"]]


def test_only_the_latest_version_is_transferred(source_with_data):
    tmp = source_with_data["tmp"]
    ln.connect(source_with_data["source"])
    (tmp / "README.md").write_text("# hello again")
    ln.Artifact(tmp / "README.md", key="README.md").save()
    ln.connect(source_with_data["target"])
    old = ln.DB(source_with_data["source"]).Artifact.get(source_with_data["artifact"])
    with pytest.raises(NotImplementedError, match="not the latest in its version history"):
        old.save()
    assert ln.Artifact.filter().count() == 0


def test_save_using_writes_one_record_into_the_other_instance(two_instances: dict):
    kind = ln.Record(name="remote kind", is_type=True).save(using=two_instances["source"])
    db = ln.DB(two_instances["source"])
    assert db.Record.get(name="remote kind").uid == kind.uid
    assert ln.Record.filter(name="remote kind").count() == 0
    child = ln.Record(name="child", type=db.Record.get(name="remote kind"))
    assert child.type.uid == kind.uid


def test_records_made_from_records_of_another_instance_are_made_there(two_instances: dict):
    where = two_instances["source"]
    db = ln.DB(where)
    gene_type = ln.Record(name="gene type", is_type=True).save(using=where)
    genes = ln.Feature(name="genes", dtype=gene_type).save(using=where)  # resolved there
    pool = [ln.Record(name=f"g{i}", type=gene_type).save(using=where) for i in range(3)]
    ln.Record(name="sample", features={genes: pool[:2]}).save(using=where)
    remote = db.Record.get(name="sample")
    assert remote.features.get_values() == {"genes": {"g0", "g1"}}  # read in that instance
    frame = db.Record.filter(name="sample").to_dataframe(include="features")
    assert frame["genes"].tolist() == [{"g0", "g1"}]
    assert ln.Record.filter().count() == 0 and ln.Feature.filter().count() == 0


def test_annotations_bring_feature_values(tmp_path: Path) -> None:
    import pandas as pd

    runtime.reset()
    setup_instance.init(str(tmp_path / "values-source"), name="values-source")
    ln.Feature(name="temperature", dtype=float).save()
    ln.Feature(name="experiment", dtype="cat[ULabel]").save()
    ln.ULabel(name="exp1").save()
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="a.parquet").save()
    artifact.features.add_values({"temperature": 21.5, "experiment": "exp1"})
    setup_instance.init(str(tmp_path / "values-target"), name="values-target")
    copy = ln.DB("values-source").Artifact.get(key="a.parquet")
    copy.save(transfer="annotations")
    assert copy.features.get_values() == {"experiment": "exp1", "temperature": 21.5}
    assert ln.Feature.filter().count() == 2
    runtime.reset()


def score_sheet_in(where: str | None) -> ln.Record:
    score = ln.Feature(name="score", dtype=float).save(using=where)
    schema = ln.Schema([score], name="scores").save(using=where)
    return ln.Record(name="Scores", is_type=True, schema=schema).save(using=where)


def test_a_record_batch_is_saved_into_the_instance_of_its_type(two_instances: dict):
    import pandas as pd

    where = two_instances["source"]
    db = ln.DB(where)
    frame = pd.DataFrame({"__lamindb_record_name__": ["r1", "r2"], "score": [0.5, 1.5]})
    local_sheet = score_sheet_in(None)
    batch = ln.Record.from_dataframe(frame, type=local_sheet)
    with pytest.raises(ln.errors.InvalidArgument, match=f"record type 'Scores'.*'{where}'"):
        batch.save(using=where)
    assert db.Record.filter(name__in=["r1", "r2"]).count() == 0
    assert ln.Record.filter(name__in=["r1", "r2"]).count() == 0

    remote_sheet = score_sheet_in(where)
    saved = ln.Record.from_dataframe(frame, type=db.Record.get(uid=remote_sheet.uid)).save(
        using=where
    )
    assert [record.name for record in saved] == ["r1", "r2"]
    assert db.Record.get(name="r2").features.get_values() == {"score": 1.5}
    assert ln.Record.filter(name__in=["r1", "r2"]).count() == 0


def test_the_sheet_of_another_instances_records_is_read_there(two_instances: dict):
    where = two_instances["source"]
    gene_type = ln.Record(name="gene type", is_type=True).save(using=where)
    genes = ln.Feature(name="genes", dtype=gene_type).save(using=where)
    schema = ln.Schema([genes], name="screen").save(using=where)
    screen = ln.Record(name="Screen", is_type=True, schema=schema).save(using=where)
    pool = [ln.Record(name=f"g{i}", type=gene_type).save(using=where) for i in range(3)]
    ln.Record(name="hit", type=screen, features={genes: pool[:2]}).save(using=where)

    frame = ln.DB(where).Record.filter(name="hit").to_dataframe(include="features")
    assert frame["__lamindb_record_name__"].tolist() == ["hit"]
    assert frame["genes"].tolist() == [{"g0", "g1"}]  # several labels in one cell
    assert ln.Record.filter().count() == 0
