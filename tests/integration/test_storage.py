"""Storage: registered-in-place paths, S3, UPath trees, the default storage, atomic writes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
import s3fs

import lamin_kernel as ln
from lamin_kernel.storage.hashing import CHUNK_SIZE, hash_file


def write_iris_like(fs: s3fs.S3FileSystem, bucket: str) -> None:
    for study in ("study0_raw_images", "study1_raw_images"):
        for i in range(3):
            fs.pipe(f"{bucket}/iris_studies/{study}/iris-{i}.jpg", f"img{study}{i}".encode())
        fs.pipe(f"{bucket}/iris_studies/{study}/meta.csv", b"a,b\n1,2\n")


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_remote_folder_is_registered_in_place(instance: dict, s3_server) -> None:
    from tests.conftest import new_bucket

    bucket = new_bucket(s3_server)
    fs = s3fs.S3FileSystem()
    write_iris_like(fs, bucket[5:])
    ln.UPath(f"{bucket}/iris_studies").view_tree()
    artifact = ln.Artifact(f"{bucket}/iris_studies/study0_raw_images").save()
    assert artifact.key == "iris_studies/study0_raw_images" and artifact.n_files == 4
    assert str(artifact.path) == f"{bucket}/iris_studies/study0_raw_images"
    assert ln.Storage.filter(root=bucket).one().type == "s3"
    assert len(ln.Storage.filter().to_list()) == 2
    local = Path(str(artifact.cache()))
    assert sorted(p.name for p in local.iterdir())[:2] == ["iris-0.jpg", "iris-1.jpg"]
    with pytest.raises(ln.errors.IntegrityError, match="outside of this instance's managed"):
        artifact.delete(permanent=True)  # the bytes are not ours to delete
    artifact.delete(permanent=True, storage=False)
    assert fs.exists(f"{bucket[5:]}/iris_studies/study0_raw_images/meta.csv")


def test_view_tree_summarises(instance: dict, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "tree"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.csv").write_text("x")
    (folder / "sub" / "b.jpg").write_text("y")
    ln.UPath(folder).view_tree()
    out = capsys.readouterr().out
    assert "1 sub-directories & 2 files with suffixes '.csv', '.jpg'" in out
    assert "├── sub/" in out or "└── sub/" in out


def test_file_inside_storage_is_registered_in_place(instance: dict) -> None:
    root = Path(instance["storage"])
    (root / "raw").mkdir()
    (root / "raw" / "x.csv").write_text("a\n1\n")
    artifact = ln.Artifact(root / "raw" / "x.csv").save()
    assert artifact.key == "raw/x.csv" and not artifact.key_is_virtual
    assert str(artifact.path) == str(root / "raw" / "x.csv")
    assert not list((root / ".lamindb").glob(f"{artifact.uid}*"))


def test_default_storage_can_change(instance: dict, tmp_path: Path, s3_server) -> None:
    from tests.conftest import new_bucket

    bucket = new_bucket(s3_server)
    ln.settings.storage = bucket
    assert ln.settings.storage.root_as_str == bucket
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="remote.parquet").save()
    assert str(artifact.path).startswith(bucket + "/.lamindb/")
    assert artifact.load()["a"].tolist() == [1]
    ln.settings.storage = tmp_path / "second"
    local = ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="local.parquet").save()
    assert str(local.path).startswith(str(tmp_path / "second"))


def test_hash_reads_every_byte(tmp_path: Path) -> None:
    a = tmp_path / "a.bin"
    b = tmp_path / "b.bin"
    data = bytearray(3 * CHUNK_SIZE + 17)
    a.write_bytes(bytes(data))
    data[len(data) // 2] = 1  # a change in the middle, where sampled hashing looks away
    b.write_bytes(bytes(data))
    assert hash_file(a)[0] != hash_file(b)[0]
    assert hash_file(a)[1] == len(data)


def test_storage_failure_mid_copy_leaves_no_row_and_no_file(tmp_path: Path) -> None:
    """The process may write at most 1 MB per file (RLIMIT_FSIZE): the copy fails half-way."""
    script = textwrap.dedent(f"""
        import resource, signal, os
        from pathlib import Path
        import lamin_kernel as ln
        from lamin_kernel.setup import instance
        instance.init({str(tmp_path / "inst")!r})
        big = Path({str(tmp_path / "big.bin")!r})
        big.write_bytes(os.urandom(3 * 1024 * 1024))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024 * 1024, resource.RLIM_INFINITY))
        try:
            ln.Artifact(big, key="big.bin").save()
        except ln.errors.StorageError as exc:
            print("StorageError:", exc)
        print("rows:", ln.Artifact.filter(branch_id__in=[-1, 0, 1]).count())
    """)
    env = {
        "LAMIN_SETTINGS_DIR": str(tmp_path / "s"),
        "LAMIN_CACHE_DIR": str(tmp_path / "c"),
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert "StorageError: could not copy" in out.stdout, out.stdout + out.stderr
    assert "rows: 0" in out.stdout
    lamindb_dir = tmp_path / "inst" / ".lamindb"
    leftovers = [
        p for p in lamindb_dir.rglob("*") if p.is_file() and not p.name.startswith("lamin")
    ]
    assert leftovers == []
