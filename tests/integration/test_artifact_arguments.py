"""Artifact(...) arguments as LaminDB 2.12 takes them: keys and suffixes, storage, branch and
space, key_is_virtual, skip_hash_lookup, run=False, features=, schema names, format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import errors, runtime


def text_file(folder: Path, name: str = "notes.txt", content: str = "hello") -> Path:
    path = folder / name
    path.write_text(content)
    return path


def test_unknown_arguments_are_named_and_nothing_is_written(instance: dict, tmp_path: Path):
    path = text_file(tmp_path)
    with pytest.raises(errors.FieldValidationError, match=r"you passed: \{'colour': 'red'\}"):
        ln.Artifact(path, key="notes.txt", colour="red")
    assert ln.Artifact.filter().count() == 0
    assert not list((Path(instance["storage"]) / ".lamindb" / "_staging").glob("*"))


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("notes.csv", "path's suffix '.txt' must match the passed key's suffix '.csv'"),
        ("folder/notes", "path's suffix '.txt' must match the passed key's suffix ''"),
        (".lamindb/notes.txt", "managed storage path in `.lamindb/`"),
    ],
)
def test_key_rules_for_paths(instance: dict, tmp_path: Path, key: str, message: str) -> None:
    with pytest.raises(errors.InvalidArgument, match=message):
        ln.Artifact(text_file(tmp_path), key=key)


def test_key_and_format_rules_for_objects(instance: dict) -> None:
    df = pd.DataFrame({"a": [1, 2]})
    assert ln.Artifact.from_dataframe(df, key="t.csv").suffix == ".csv"
    assert ln.Artifact.from_dataframe(df, key="t2.tsv", format="tsv").suffix == ".tsv"
    with pytest.raises(errors.InvalidArgument, match="key's suffix '.txt' must match"):
        ln.Artifact.from_dataframe(df, key="t.txt")
    with pytest.raises(errors.InvalidArgument, match="key's suffix '.csv' must match"):
        ln.Artifact.from_dataframe(df, key="t.csv", format="parquet")


def test_a_path_inside_lamindb_folders_is_refused(instance: dict) -> None:
    inside = Path(instance["storage"]) / ".lamindb" / "sneaky.txt"
    inside.write_text("x")
    with pytest.raises(errors.InvalidArgument, match="inside the `.lamindb/` directory"):
        ln.Artifact(inside)


def test_unsaved_artifacts_load_and_cache_from_where_they_are(instance: dict, tmp_path: Path):
    df = pd.DataFrame({"a": [1, 2]})
    from_object = ln.Artifact.from_dataframe(df, key="frame.parquet")
    assert from_object.load() is df  # the object it was made from
    assert pd.read_parquet(str(from_object.cache())).equals(df)
    from_path = ln.Artifact(text_file(tmp_path), key="notes.txt")
    assert from_path.load() == "hello"
    assert Path(str(from_path.cache())).read_text() == "hello"
    with pytest.raises(ValueError, match="Artifact should have a zarr, h5, tiledbsoma object"):
        from_path.open()
    saved = from_path.save()
    assert saved.load() == "hello" and Path(str(saved.cache())) == Path(str(saved.path))


def test_csv_and_parquet_writer_arguments(instance: dict) -> None:
    df = pd.DataFrame({"a": [1.5, 2.5]}, index=pd.Index(["r1", "r2"], name="obs"))
    csv = ln.Artifact.from_dataframe(df, key="semi.csv", csv_kwargs={"sep": ";"}).save()
    assert Path(str(csv.path)).read_text().splitlines()[0] == "obs;a"
    plain = ln.Artifact.from_dataframe(pd.DataFrame({"b": [1]}), key="plain.csv").save()
    assert plain.load().columns.tolist() == ["b"]  # a default index is left out
    pq = ln.Artifact.from_dataframe(df, key="p.parquet", parquet_kwargs={"compression": "gzip"})
    assert pq.save().load().equals(df)


def test_branch_and_space_arguments(instance: dict, tmp_path: Path) -> None:
    artifact = ln.Artifact(text_file(tmp_path), key="a.txt", space=ln.Space.get(1)).save()
    assert artifact.branch.name == "main" and artifact.space.name == "all"
    archive = ln.Branch.get(0)
    archived = ln.Artifact(text_file(tmp_path, "b.txt", "b"), key="b.txt", branch=archive).save()
    assert archived.branch_id == 0
    assert ln.Artifact.filter(key="b.txt").count() == 0  # archive is not seen by default
    with pytest.raises(errors.InvalidArgument, match="Expected Space"):
        ln.Artifact(text_file(tmp_path, "c.txt", "c"), key="c.txt", space=archive)


def test_storage_argument_must_be_managed_here(instance: dict, tmp_path: Path) -> None:
    other_root = tmp_path / "other-storage"
    other = ln.Storage(root=str(other_root)).save()
    artifact = ln.Artifact(text_file(tmp_path), key="to-other.txt", storage=other).save()
    assert str(artifact.path).startswith(str(other_root))
    assert artifact.storage_id == other.id and artifact.load() == "hello"
    foreign = ln.Storage(root=str(tmp_path / "foreign")).save()
    foreign.instance_uid = "someoneelse"
    foreign.save()
    with pytest.raises(errors.InvalidArgument, match="not managed by the current instance"):
        ln.Artifact(text_file(tmp_path, "f.txt", "f"), key="f.txt", storage=foreign)


def test_key_is_virtual_false_puts_bytes_at_the_key(instance: dict, tmp_path: Path) -> None:
    artifact = ln.Artifact(text_file(tmp_path), key="real/notes.txt", key_is_virtual=False).save()
    expected = Path(instance["storage"]) / "real" / "notes.txt"
    assert Path(str(artifact.path)) == expected and expected.read_text() == "hello"
    other = ln.Artifact(
        text_file(tmp_path, "other.txt", "other"), key="real/notes.txt", key_is_virtual=False
    )
    with pytest.raises(errors.StorageError, match="exists already"):
        other.save()
    assert expected.read_text() == "hello"
    with pytest.raises(errors.InvalidArgument, match="needs a key"):
        ln.Artifact(text_file(tmp_path), key_is_virtual=False)


def test_skip_hash_lookup_makes_a_second_artifact(instance: dict, tmp_path: Path) -> None:
    first = ln.Artifact(text_file(tmp_path), key="one.txt").save()
    assert ln.Artifact(text_file(tmp_path), key="one.txt") is first
    second = ln.Artifact(text_file(tmp_path), key="two.txt", skip_hash_lookup=True).save()
    assert second.id != first.id and second.hash == first.hash


def test_run_false_saves_without_the_tracked_run(instance: dict, tmp_path: Path) -> None:
    transform = ln.Transform(key="pipeline.py").save()
    run = ln.Run(transform=transform).save()
    tokens = runtime.set_current_run(run, transform)
    try:
        tracked = ln.Artifact(text_file(tmp_path, "t.txt", "t"), key="t.txt").save()
        untracked = ln.Artifact(text_file(tmp_path, "u.txt", "u"), key="u.txt", run=False).save()
    finally:
        runtime.restore_current_run(tokens)
    assert tracked.run_id == run.id and untracked.run_id is None


def test_revises_carries_the_description_over(instance: dict, tmp_path: Path) -> None:
    v1 = ln.Artifact(text_file(tmp_path), key="r.txt", description="the notes").save()
    v2 = ln.Artifact(text_file(tmp_path, "r2.txt", "new"), revises=v1).save()
    assert v2.key == "r.txt" and v2.description == "the notes" and v2.uid[:16] == v1.uid[:16]


def test_schema_by_built_in_name(instance: dict) -> None:
    ln.Feature(name="a", dtype=int).save()
    artifact = ln.Artifact.from_dataframe(
        pd.DataFrame({"a": [1]}), key="v.parquet", schema="valid_features"
    ).save()
    assert artifact.schema.name == "valid_features"
    with pytest.raises(errors.InvalidArgument, match="name of a built-in one"):
        ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="w.parquet", schema="nope")


def test_features_are_set_after_saving(instance: dict, tmp_path: Path) -> None:
    ln.Feature(name="temperature", dtype=float).save()
    artifact = ln.Artifact(text_file(tmp_path), key="f.txt", features={"temperature": 21.5}).save()
    assert artifact.features.get_values() == {"temperature": 21.5}


def test_objects_of_other_packages(instance: dict, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="data has to be a MuData object"):
        ln.Artifact.from_mudata(pd.DataFrame({"a": [1]}), key="m.h5mu")
    store = tmp_path / "exp.tiledbsoma"
    store.mkdir()
    (store / "meta.json").write_text("{}")
    soma = ln.Artifact.from_tiledbsoma(str(store), key="exp.tiledbsoma").save()
    assert soma.otype == "tiledbsoma" and soma.kind == "dataset"


def test_links_of_an_unsaved_artifact_say_to_save_it(instance: dict) -> None:
    unsaved = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="u.parquet")
    label = ln.ULabel(name="l").save()
    with pytest.raises(ValueError, match="relationships of an unsaved Artifact object"):
        unsaved.ulabels.add(label)
