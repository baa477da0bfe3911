"""`ln.Artifact.from_dir(folder)`: one artifact per file, keys that keep the folder's layout,
in place inside a registered storage, copied from outside; nothing saved until `ln.save`."""

from __future__ import annotations

from pathlib import Path

import pytest

import lamin_kernel as ln
from lamin_kernel.records.record_list import SQLRecordList


def _write(folder: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text)
    return folder


def test_a_folder_outside_storage_becomes_one_copied_artifact_per_file(
    instance: dict,
) -> None:
    folder = _write(
        instance["tmp"] / "outside" / "sample_1",
        {"barcodes.tsv": "AAA\nCCC\n", "matrix/counts.csv": "a,b\n1,2\n", "notes.txt": "n"},
    )
    artifacts = ln.Artifact.from_dir(folder)

    assert isinstance(artifacts, SQLRecordList)
    assert [a.key for a in artifacts] == [
        "sample_1/barcodes.tsv",
        "sample_1/matrix/counts.csv",
        "sample_1/notes.txt",
    ]
    assert ln.Artifact.filter().count() == 0  # nothing saved yet
    ln.save(artifacts)
    assert ln.Artifact.filter(key__startswith="sample_1/").count() == 3
    saved = ln.Artifact.get(key="sample_1/matrix/counts.csv")
    assert saved.path.read_text() == "a,b\n1,2\n"
    assert str(saved.path).startswith(instance["storage"])  # copied into the storage


def test_a_folder_inside_the_storage_is_registered_in_place(instance: dict) -> None:
    folder = _write(Path(instance["storage"]) / "raw" / "run_7", {"x/reads.txt": "ACGT"})
    artifacts = ln.Artifact.from_dir(folder)
    assert [a.key for a in artifacts] == ["raw/run_7/x/reads.txt"]
    artifacts.save()
    artifact = ln.Artifact.get(key="raw/run_7/x/reads.txt")
    assert Path(str(artifact.path)) == folder / "x" / "reads.txt"
    assert artifact.key_is_virtual is False


def test_key_replaces_the_folder_name_and_a_run_is_linked(instance: dict) -> None:
    folder = _write(instance["tmp"] / "plate", {"a.txt": "1", "b/c.txt": "2"})
    transform = ln.Transform(key="ingest.py", kind="script").save()
    run = ln.Run(transform).save()
    artifacts = ln.Artifact.from_dir(folder, key="plates/p1/", run=run)
    assert [a.key for a in artifacts] == ["plates/p1/a.txt", "plates/p1/b/c.txt"]
    ln.save(artifacts)
    assert {a.key for a in run.output_artifacts.all()} == {"plates/p1/a.txt", "plates/p1/b/c.txt"}


def test_files_with_equal_content_make_one_artifact_and_saved_content_comes_back(
    instance: dict, caplog: pytest.LogCaptureFixture
) -> None:
    folder = _write(instance["tmp"] / "dups", {"one.txt": "same", "two.txt": "same"})
    artifacts = ln.Artifact.from_dir(folder)
    assert [a.key for a in artifacts] == ["dups/one.txt"]
    assert "dropping 1 duplicates" in caplog.text
    ln.save(artifacts)
    again = ln.Artifact.from_dir(folder)
    assert [a.id for a in again] == [artifacts[0].id]  # the saved artifact, not a new one


def test_a_file_or_a_missing_folder_is_refused_and_nothing_is_saved(instance: dict) -> None:
    file = instance["tmp"] / "single.txt"
    file.write_text("x")
    with pytest.raises(ln.errors.InvalidArgument, match="needs a folder"):
        ln.Artifact.from_dir(file)
    with pytest.raises(ln.errors.InvalidArgument, match="path does not exist"):
        ln.Artifact.from_dir(instance["tmp"] / "nowhere")
    with pytest.raises(ln.errors.InvalidArgument, match="path of a folder"):
        ln.Artifact.from_dir(42)
    assert ln.Artifact.filter().count() == 0
    # the next call works
    folder = _write(instance["tmp"] / "ok", {"f.txt": "f"})
    assert len(ln.save(ln.Artifact.from_dir(folder))) == 1
