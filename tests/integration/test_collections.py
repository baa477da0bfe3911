"""Collections: ordered, hashed, versioned sets of artifacts; load, open, mapped; run inputs."""

from __future__ import annotations

import anndata as ad
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.records.collection_create import members_hash

BACKENDS = ("sqlite-local", "postgres-local")


def frame(offset: int, columns: tuple[str, ...] = ("a", "b")) -> pd.DataFrame:
    return pd.DataFrame(
        {c: [offset + i for i in range(3)] for c in columns},
        index=[f"r{offset + i}" for i in range(3)],
    )


def anndata(seed: int, genes: list[str], obs: dict[str, list]) -> ad.AnnData:
    rng = np.random.default_rng(seed)
    n = len(next(iter(obs.values())))
    X = sp.csr_matrix(rng.integers(0, 4, (n, len(genes))).astype(np.float32))
    index = [f"cell{seed}_{i}" for i in range(n)]
    return ad.AnnData(X, obs=pd.DataFrame(obs, index=index), var=pd.DataFrame(index=genes))


def two_anndata_artifacts() -> tuple[ln.Artifact, ln.Artifact]:
    first = anndata(1, ["g1", "g2", "g3"], {"cell_type": ["B", "T", "T"], "donor": ["d1"] * 3})
    second = anndata(2, ["g2", "g3", "g4"], {"cell_type": ["NK", "B"], "cell_medium": ["x", "y"]})
    return (
        ln.Artifact.from_anndata(first, key="sc/one.h5ad").save(),
        ln.Artifact.from_anndata(second, key="sc/two.h5ad").save(),
    )


@pytest.mark.backends(*BACKENDS)
def test_collection_is_ordered_and_hashed_over_members(instance: dict) -> None:
    a1 = ln.Artifact.from_dataframe(frame(0), key="t/one.parquet").save()
    a2 = ln.Artifact.from_dataframe(frame(10), key="t/two.parquet").save()
    collection = ln.Collection([a2, a1], key="my-collection", description="two tables").save()
    assert len(collection.uid) == 20 and collection.uid.endswith("0000")
    assert collection.hash == members_hash([a2, a1]) != members_hash([a1, a2])
    assert [a.uid for a in collection.ordered_artifacts] == [a2.uid, a1.uid]
    assert list(collection.ordered_artifacts.to_dataframe().index) == [a2.id, a1.id]
    assert {a.id for a in collection.artifacts} == {a1.id, a2.id}
    assert collection.artifacts.count() == 2
    assert ln.Collection.get(key="my-collection").id == collection.id
    assert a1.collections.first().id == collection.id


@pytest.mark.backends(*BACKENDS)
def test_describe_reads_like_the_tutorial(instance: dict) -> None:
    artifact = ln.Artifact.from_dataframe(frame(0), key="d.parquet").save()
    collection = ln.Collection([artifact], key="my-RNA-seq-collection").save()
    text = collection.describe(return_str=True)
    assert text.splitlines()[0] == "Collection: my-RNA-seq-collection (0000)"
    for part in (f"uid: {collection.uid}", "branch: main", "space: all", "created_by: anonymous"):
        assert part in text
    assert "hash" not in text
    assert ".artifacts" in ln.Collection.describe(return_str=True)


@pytest.mark.backends(*BACKENDS)
def test_same_members_return_the_existing_collection(
    instance: dict, capsys: pytest.CaptureFixture
) -> None:
    a1 = ln.Artifact.from_dataframe(frame(0), key="one.parquet").save()
    a2 = ln.Artifact.from_dataframe(frame(10), key="two.parquet").save()
    first = ln.Collection([a1, a2], key="c").save()
    again = ln.Collection([a1, a2], key="c")
    assert again.id == first.id and again.uid == first.uid
    assert "returning collection with same hash" in capsys.readouterr().out
    assert ln.Collection.filter().count() == 1


@pytest.mark.backends(*BACKENDS)
def test_new_members_under_a_key_make_the_next_version(instance: dict) -> None:
    a1 = ln.Artifact.from_dataframe(frame(0), key="one.parquet").save()
    a2 = ln.Artifact.from_dataframe(frame(10), key="two.parquet").save()
    a3 = ln.Artifact.from_dataframe(frame(20), key="three.parquet").save()
    v1 = ln.Collection([a1, a2], key="c").save()
    v2 = ln.Collection([a1, a2, a3], key="c").save()
    assert v2.uid[:16] == v1.uid[:16] and v2.uid.endswith("0001")
    assert ln.Collection.get(v1.uid).is_latest is False and v2.is_latest
    assert [c.uid for c in v2.versions] == [v2.uid, v1.uid]
    assert ln.Collection.get(key="c").uid == v2.uid
    v3 = ln.Collection([a3], revises=v2, version="3").save()
    assert v3.uid.endswith("0002") and v3.key == "c" and v3.version_tag == "3"
    assert [a.uid for a in v1.ordered_artifacts] == [a1.uid, a2.uid]


@pytest.mark.backends("sqlite-local")
def test_bad_input_writes_nothing(instance: dict) -> None:
    saved = ln.Artifact.from_dataframe(frame(0), key="one.parquet").save()
    unsaved = ln.Artifact.from_dataframe(frame(5), key="unsaved.parquet")
    label = ln.ULabel(name="x").save()
    cases = [
        ((), {}, "needs its artifacts"),
        (([],), {}, "at least one"),
        (([unsaved],), {}, "save the artifact"),
        (([saved, label],), {}, "Artifact records"),
        (([saved, saved],), {}, "listed twice"),
        (([saved],), {"key": "/abs"}, "absolute"),
        (([saved],), {"revises": saved}, "revises must be a Collection"),
        (([saved],), {"color": "red"}, "can be passed, you passed"),
    ]
    for args, kwargs, message in cases:
        with pytest.raises(ln.errors.InvalidArgument, match=message):
            ln.Collection(*args, **kwargs)
    assert ln.Collection.filter().count() == 0


@pytest.mark.backends(*BACKENDS)
def test_load_concatenates_dataframes(instance: dict) -> None:
    a1 = ln.Artifact.from_dataframe(frame(0), key="one.parquet").save()
    a2 = ln.Artifact.from_dataframe(frame(10, ("a", "c")), key="two.parquet").save()
    collection = ln.Collection([a1, a2], key="tables").save()
    outer = collection.load()
    assert list(outer.index) == ["r0", "r1", "r2", "r10", "r11", "r12"]
    assert list(outer.columns) == ["a", "b", "c"] and outer["c"].isna().sum() == 3
    assert list(collection.load(join="inner").columns) == ["a"]
    with pytest.raises(ln.errors.InvalidArgument, match="join"):
        collection.load(join="left")


@pytest.mark.backends(*BACKENDS)
def test_load_concatenates_anndata_with_source_column(instance: dict) -> None:
    a1, a2 = two_anndata_artifacts()
    collection = ln.Collection([a1, a2], key="sc").save()
    inner = collection.load(join="inner")
    assert inner.shape == (5, 2) and list(inner.var_names) == ["g2", "g3"]
    assert list(inner.obs["artifact_uid"]) == [a1.uid] * 3 + [a2.uid] * 2
    outer = collection.load(join="outer")
    assert outer.shape == (5, 4) and set(outer.var_names) == {"g1", "g2", "g3", "g4"}
    assert outer.obs["cell_medium"].isna().sum() == 3


@pytest.mark.backends(*BACKENDS)
def test_open_streams_parquet_and_h5ad(instance: dict) -> None:
    t1 = ln.Artifact.from_dataframe(frame(0), key="one.parquet").save()
    t2 = ln.Artifact.from_dataframe(frame(10, ("a", "c")), key="two.parquet").save()
    dataset = ln.Collection([t1, t2], key="tables").save().open()
    assert dataset.count_rows() == 6 and set(dataset.schema.names) >= {"a", "b", "c"}
    assert sorted(dataset.to_table(columns=["a"]).column("a").to_pylist()) == [0, 1, 2, 10, 11, 12]
    a1, a2 = two_anndata_artifacts()
    backed = ln.Collection([a1, a2], key="sc").save().open()
    assert [b.isbacked for b in backed] == [True, True] and backed[1].n_obs == 2
    mixed = ln.Collection([t1, a1], key="mixed").save()
    with pytest.raises(ln.errors.UnsupportedObject):
        mixed.open()
    with pytest.raises(ln.errors.UnsupportedObject):
        mixed.load()


@pytest.mark.backends(*BACKENDS)
def test_mapped_over_different_obs_columns_under_both_joins(instance: dict) -> None:
    a1, a2 = two_anndata_artifacts()
    collection = ln.Collection([a1, a2], key="sc").save()
    inner = collection.mapped(obs_keys=["cell_type", "cell_medium"])
    assert len(inner) == 5 and list(inner.var_joint) == ["g2", "g3"]
    reference = collection.load(join="inner")
    for i in range(5):
        np.testing.assert_array_equal(inner[i]["X"], reference.X[i].toarray()[0])
    assert [inner[i]["cell_medium"] for i in range(5)] == [-1, -1, -1, 0, 1]
    assert inner.get_merged_categories("cell_type") == ["B", "NK", "T"]
    outer = collection.mapped(obs_keys="donor", join="outer")
    assert outer.shape == (5, 4) and [outer[i]["donor"] for i in (0, 4)] == [0, -1]
    reference = collection.load(join="outer")
    reference = reference[:, list(outer.var_joint)]
    for i in range(5):
        np.testing.assert_array_equal(outer[i]["X"], reference.X[i].toarray()[0])
    weights = outer.get_label_weights("donor")
    assert weights.tolist() == [1 / 3] * 3 + [1 / 2] * 2
    tables = ln.Collection(ln.Artifact.from_dataframe(frame(0), key="t.parquet").save())
    with pytest.raises(ln.errors.UnsupportedObject, match="AnnData"):
        tables.save().mapped()


@pytest.mark.backends("sqlite-s3")
def test_remote_members_are_cached_then_read(instance: dict) -> None:
    a1, a2 = two_anndata_artifacts()
    collection = ln.Collection([a1, a2], key="sc").save()
    dataset = collection.mapped(obs_keys="cell_type", join="outer")
    assert dataset.shape == (5, 4) and all(not p.startswith("s3://") for p in dataset.paths)
    t1 = ln.Artifact.from_dataframe(frame(0), key="one.parquet").save()
    t2 = ln.Artifact.from_dataframe(frame(10), key="two.parquet").save()
    assert ln.Collection([t1, t2], key="tables").save().open().count_rows() == 6
    assert len(collection.load()) == 5


def start_run(key: str) -> tuple[ln.Run, object]:
    transform = ln.Transform(key=key, kind="script").save()
    run = ln.Run(transform_id=transform.id).save()
    return run, runtime.set_current_run(run, transform)


@pytest.mark.backends(*BACKENDS)
def test_collections_are_outputs_and_inputs_of_runs(instance: dict) -> None:
    a1, a2 = two_anndata_artifacts()
    producer, tokens = start_run("make.py")
    collection = ln.Collection([a1, a2], key="sc").save()
    collection.load()  # loading what this run made does not make it an input
    runtime.restore_current_run(tokens)
    assert collection.run_id == producer.id
    consumer, tokens = start_run("train.py")
    try:
        collection.mapped(obs_keys="cell_type")
        collection.load()
        other = ln.Collection([a2], key="other").save()
        other.load(is_run_input=False)
    finally:
        runtime.restore_current_run(tokens)
    consumer = ln.Run.get(consumer.id)
    assert [c.id for c in consumer.input_collections] == [collection.id]
    assert consumer.input_artifacts == []
    assert [r.id for r in collection.input_of_runs] == [consumer.id]
    assert ln.Collection.filter(input_of_runs=consumer).one().id == collection.id


@pytest.mark.backends(*BACKENDS)
def test_a_deleted_member_gives_a_clear_error(instance: dict) -> None:
    a1 = ln.Artifact.from_dataframe(frame(0), key="one.parquet").save()
    a2 = ln.Artifact.from_dataframe(frame(10), key="two.parquet").save()
    collection = ln.Collection([a1, a2], key="c").save()
    a2.delete()
    with pytest.raises(ln.errors.DoesNotExist, match=rf"{a2.uid} are in the trash.*restore"):
        collection.load()
    with pytest.raises(ln.errors.DoesNotExist, match="in the trash"):
        collection.mapped()
    a2.restore()
    assert len(collection.load()) == 6
    a1.delete(permanent=True)
    for access in (collection.load, collection.open, collection.cache, collection.mapped):
        with pytest.raises(ln.errors.DoesNotExist, match="deleted permanently"):
            access()
    assert [a.uid for a in collection.ordered_artifacts] == [a2.uid]


@pytest.mark.backends("sqlite-local")
def test_zarr_and_h5ad_members_map_and_load_together(instance: dict) -> None:
    adata = anndata(3, ["g1", "g2"], {"cell_type": ["B", "T", "B", "NK"]})
    zarr_member = ln.Artifact.from_anndata(adata, key="sc/cells.zarr").save()
    h5ad_member = ln.Artifact.from_anndata(adata[:2].copy(), key="sc/cells.h5ad").save()
    collection = ln.Collection([zarr_member, h5ad_member], key="mixed-formats").save()
    dataset = collection.mapped(obs_keys="cell_type")
    assert len(dataset) == 6 and dataset.members[0].kind == "zarr"
    for i, row in enumerate([0, 1, 2, 3, 0, 1]):
        np.testing.assert_array_equal(dataset[i]["X"], adata.X[row].toarray()[0])
    assert [dataset[i]["cell_type"] for i in range(6)] == [0, 2, 0, 1, 0, 2]
    assert collection.load().n_obs == 6
