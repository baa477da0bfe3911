"""open(), from_lazy, versions that share a store, delete(storage=...), replace(), labels and
the loaders by suffix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import zarr

import lamin_kernel as ln
from lamin_kernel import errors


def test_from_lazy_writes_into_storage_then_registers_in_place(instance: dict) -> None:
    with pytest.raises(ValueError, match="suffix argument .zarr and the suffix of key .h5ad"):
        ln.Artifact.from_lazy(suffix=".zarr", overwrite_versions=True, key="data.h5ad")
    lazy = ln.Artifact.from_lazy(suffix=".zarr", overwrite_versions=True, key="data.zarr")
    assert ".lamindb" in lazy.path.as_posix()
    group = zarr.open(str(lazy.path), mode="w")
    group["values"] = np.arange(3)
    artifact = lazy.save()
    assert artifact.key == "data.zarr" and artifact.overwrite_versions
    assert artifact.uid[:16] in artifact.path.as_posix() and artifact.n_files is not None
    with artifact.open() as access:
        assert access.storage["values"][...].tolist() == [0, 1, 2]
    assert access.closed
    artifact.delete(permanent=True, storage=True)
    assert not lazy.path.exists()


def test_a_new_lazy_version_moves_into_the_family_store(instance: dict) -> None:
    first = ln.Artifact.from_lazy(suffix=".zarr", overwrite_versions=True, key="grow.zarr")
    zarr.open(str(first.path), mode="w")["a"] = np.ones(2)
    v1 = first.save()
    second = ln.Artifact.from_lazy(suffix=".zarr", overwrite_versions=True, key="grow.zarr")
    zarr.open(str(second.path), mode="w")["a"] = np.zeros(2)
    v2 = second.save()
    assert v2.uid[:16] == v1.uid[:16] and v2.path == v1.path
    assert v2.open().storage["a"][...].tolist() == [0, 0]
    with pytest.raises(ValueError, match="overwritten by a newer version"):
        ln.Artifact.get(v1.uid).open()


def test_open_modes_follow_overwrite_versions(instance: dict) -> None:
    lazy = ln.Artifact.from_lazy(suffix=".zarr", overwrite_versions=False, key="fixed.zarr")
    zarr.open(str(lazy.path), mode="w")["x"] = np.ones(1)
    fixed = lazy.save()
    with pytest.raises(ValueError, match="overwrite_versions=False"):
        fixed.open(mode="r+")
    frame = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="t.parquet").save()
    with pytest.raises(ValueError, match="It is not allowed to open a .parquet object"):
        frame.open(mode="r+")
    with pytest.raises(ValueError, match="Unknown engine"):
        frame.open(engine="spark")
    assert frame.open().to_table().to_pandas()["a"].tolist() == [1]


def test_writing_into_an_anndata_store_updates_its_hash(instance: dict) -> None:
    import anndata as ad

    adata = ad.AnnData(np.ones((3, 2)))
    lazy = ln.Artifact.from_lazy(suffix=".zarr", overwrite_versions=True, key="cells.zarr")
    adata.write_zarr(str(lazy.path))
    artifact = lazy.save()
    before = artifact.hash
    with artifact.open(mode="r+") as access:
        assert access.shape == (3, 2)
        access.add_column("obs", "ones", np.ones(3))
    assert ln.Artifact.get(artifact.uid).hash != before
    assert artifact.load().obs["ones"].tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="mode='r\\+'"):
        artifact.open().add_column("obs", "twos", np.ones(3))


def test_folders_share_one_store_across_versions(instance: dict, tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    v1 = ln.Artifact(folder, key="images").save()
    (folder / "b.txt").write_text("b")
    v2 = ln.Artifact(folder, key="images").save()
    assert v1.overwrite_versions and v2.path == v1.path and v2.n_files == 2
    assert ln.Artifact.get(v1.uid).n_files == 1
    v2.delete(permanent=True)  # the latest of a shared store takes every version along
    assert ln.Artifact.filter(key="images", branch_id__gte=-1).count() == 0
    assert not Path(str(v2.path)).exists()


def test_delete_with_storage_false_keeps_the_bytes(instance: dict, tmp_path: Path) -> None:
    (tmp_path / "k.txt").write_text("keep")
    artifact = ln.Artifact(tmp_path / "k.txt", key="k.txt").save()
    where = Path(str(artifact.path))
    artifact.delete()
    assert ln.Artifact.filter(key="k.txt", branch_id=-1).count() == 1 and where.exists()
    artifact.restore()
    assert ln.Artifact.get(key="k.txt").branch_id == 1
    artifact.delete(permanent=True, storage=False)
    assert where.exists() and ln.Artifact.filter(key="k.txt", branch_id__gte=-1).count() == 0


def test_delete_of_a_real_key_needs_storage_true(instance: dict, tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("r")
    real = ln.Artifact(tmp_path / "r.txt", key="real/r.txt", key_is_virtual=False).save()
    where = Path(str(real.path))
    real.delete(permanent=True)
    assert where.exists()  # a file at a real path stays unless storage=True
    (tmp_path / "s.txt").write_text("s")
    other = ln.Artifact(tmp_path / "s.txt", key="real/s.txt", key_is_virtual=False).save()
    other.delete(permanent=True, storage=True)
    assert not Path(str(other.path)).exists()


def test_replace_keeps_the_artifact_and_its_version(instance: dict, tmp_path: Path) -> None:
    (tmp_path / "v.txt").write_text("one")
    artifact = ln.Artifact(tmp_path / "v.txt", key="notes/v.txt").save()
    uid, old_path = artifact.uid, Path(str(artifact.path))
    (tmp_path / "new.md").write_text("two")
    artifact.replace(tmp_path / "new.md")
    assert Path(str(artifact.path)).read_text() == "one"  # nothing happens before save()
    artifact.save()
    assert artifact.uid == uid and artifact.key == "notes/v.md" and artifact.suffix == ".md"
    assert artifact.load() == "two" and not old_path.exists()
    assert ln.Artifact.get(uid).hash == artifact.hash
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "x").write_text("x")
    with pytest.raises(errors.InvalidArgument, match="replace a file with a folder"):
        artifact.replace(folder)


def test_labels_with_features_and_add_from(instance: dict, tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1]})
    first = ln.Artifact.from_dataframe(frame, key="one.parquet").save()
    second = ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="two.parquet").save()
    feature = ln.Feature(name="experiment", dtype="cat[ULabel]").save()
    label = ln.ULabel(name="exp1").save()
    project = ln.Project(name="p1").save()
    first.labels.add(label, feature=feature)
    first.labels.add([project])
    assert first.labels.get(feature).one().name == "exp1"
    assert first.labels.get(feature, flat_names=True) == ["exp1"]
    second.labels.add_from(first)
    assert [u.name for u in second.ulabels] == ["exp1"]
    assert [p.name for p in second.projects] == ["p1"]
    assert second.labels.get(feature, flat_names=True) == ["exp1"]
    with pytest.raises(errors.InvalidArgument, match="not a string"):
        first.labels.add("exp2")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("c.yaml", "a: 1\nb: [x, y]\n", {"a": 1, "b": ["x", "y"]}),
        ("c.json", '{"a": 1}', {"a": 1}),
        ("c.fasta", ">s\nACGT\n", ">s\nACGT\n"),
    ],
)
def test_loaders(instance: dict, tmp_path: Path, name: str, content: str, expected) -> None:
    (tmp_path / name).write_text(content)
    assert ln.Artifact(tmp_path / name, key=name).save().load() == expected


def test_display_formats_give_their_path_outside_a_notebook(instance: dict, tmp_path: Path):
    (tmp_path / "p.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    artifact = ln.Artifact(tmp_path / "p.svg", key="p.svg").save()
    assert Path(str(artifact.load())) == Path(str(artifact.path))


def test_fcs_needs_its_reader_and_unknown_suffixes_say_what_to_do(instance, tmp_path: Path):
    (tmp_path / "s.fcs").write_bytes(b"FCS3.1    ")
    fcs = ln.Artifact(tmp_path / "s.fcs", key="s.fcs").save()
    try:
        import readfcs  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install readfcs"):
            fcs.load()
    (tmp_path / "b.bin").write_bytes(b"\x00\x01")
    with pytest.raises(NotImplementedError, match="no loader for .bin files"):
        ln.Artifact(tmp_path / "b.bin", key="b.bin").save().load()


def test_a_new_storage_moves_the_bytes(instance: dict, tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text("move me")
    artifact = ln.Artifact(tmp_path / "m.txt", key="m.txt").save()
    before = Path(str(artifact.path))
    other = ln.Storage(root=str(tmp_path / "second")).save()
    artifact.storage = other
    artifact.save()
    assert not before.exists() and Path(str(artifact.path)).read_text() == "move me"
    assert ln.Artifact.get(key="m.txt").storage.root == str(tmp_path / "second")
    foreign = ln.Storage(root=str(tmp_path / "foreign")).save()
    foreign.instance_uid = "elsewhere00"
    foreign.save()
    artifact.storage = foreign
    with pytest.raises(ValueError, match="to a storage location that is not managed"):
        artifact.save()


def test_key_changes_rename_real_paths_only(instance: dict, tmp_path: Path) -> None:
    (tmp_path / "k.txt").write_text("k")
    virtual = ln.Artifact(tmp_path / "k.txt", key="a/k.txt").save()
    where = Path(str(virtual.path))
    virtual.key = "b/k.txt"
    virtual.save()
    assert Path(str(virtual.path)) == where and ln.Artifact.get(key="b/k.txt").id == virtual.id
    (tmp_path / "r.txt").write_text("r")
    real = ln.Artifact(tmp_path / "r.txt", key="x/r.txt", key_is_virtual=False).save()
    old = Path(str(real.path))
    real.key = "y/r.txt"
    real.save()
    assert not old.exists() and Path(str(real.path)) == Path(instance["storage"]) / "y/r.txt"
    real.key = "y/r.csv"
    with pytest.raises(errors.InvalidArgument, match="suffix '.csv' of the provided key"):
        real.save()


def test_a_space_with_its_own_storage_takes_the_bytes(instance: dict, tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("s")
    artifact = ln.Artifact(tmp_path / "s.txt", key="s.txt").save()
    team = ln.Space(name="team").save()
    artifact.space_id = team.id
    artifact.save()  # a space without storage of its own: the row changes only
    assert str(artifact.path).startswith(instance["storage"])
    lab = ln.Space(name="lab").save()
    lab_storage = ln.Storage(root=str(tmp_path / "lab-storage"), space=lab).save()
    artifact.space_id = lab.id
    artifact.save()
    assert artifact.storage_id == lab_storage.id and artifact.load() == "s"
    assert str(artifact.path).startswith(str(tmp_path / "lab-storage"))
