"""LaminDB's tutorial, executed as a notebook through a real kernel with `import lamin_kernel as ln`.

`s3://lamindata` is a bucket on the moto server on 127.0.0.1 holding an iris_studies folder
of the tutorial's shape; nothing reaches the internet.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import boto3
import nbformat
import pytest
from nbclient import NotebookClient

from tests.e2e.tutorial_cells import CELLS


def make_lamindata_bucket(endpoint: str) -> None:
    s3 = boto3.client("s3", endpoint_url=endpoint)
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if "lamindata" in existing:
        return
    s3.create_bucket(Bucket="lamindata")
    for study in range(3):
        prefix = f"iris_studies/study{study}_raw_images"
        for i in range(50):
            s3.put_object(
                Bucket="lamindata",
                Key=f"{prefix}/iris-{study:02d}{i:04d}.jpg",
                Body=f"jpeg {study} {i}".encode(),
            )
        s3.put_object(Bucket="lamindata", Key=f"{prefix}/meta.csv", Body=b"file,label\n")


def outputs_text(cell: nbformat.NotebookNode) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("text"):
            parts.append(out["text"])
        for mime in ("text/plain", "text/html"):
            if mime in out.get("data", {}):
                parts.append(out["data"][mime])
    return "\n".join(parts)


@pytest.mark.slow
def test_tutorial_runs_end_to_end(tmp_path: Path, s3_server) -> None:
    make_lamindata_bucket(s3_server.endpoint)
    cells = [
        (name, src)
        for name, src in CELLS
        if name != "torch" or importlib.util.find_spec("torch") is not None
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src, metadata={"name": name}) for name, src in cells]
    path = tmp_path / "tutorial.ipynb"
    nbformat.write(nb, path)
    env = {
        **os.environ,
        "JPY_SESSION_NAME": str(path),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env=env)
    by_name = {c.metadata["name"]: c for c in nb.cells}
    errors = [
        (n, o.get("ename"), o.get("evalue"))
        for n, c in by_name.items()
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert errors == []
    text = {name: outputs_text(cell) for name, cell in by_name.items()}
    assert "initialized lamindb: anonymous/lamindb-tutorial" in text["init"]
    assert "key='tutorial.ipynb'" in text["track"] and "started new Run(" in text["track"]
    assert "Artifact: my_datasets/rnaseq1.parquet (0000)" in text["create"]
    assert "IFNJ" in text["load"]
    assert "moved record to trash" in text["update_delete"]
    assert "My experiment" in text["ulabel"]
    assert "effector T cell" in text["cell_type"]
    assert "temperature" in text["features"] and "21.6" in text["features"]
    assert "1 term not validated in feature 'perturbation': 'IFNJ'" in text["validate_fails"]
    assert "ULabel.from_values(['IFNJ'], field='name', create=True)" in text["validate_fails"]
    assert "Artifact: my_datasets/rnaseq1.parquet (0001)" in text["new_version"]
    assert "Dataset features" in text["new_version"] and "DMSO, IFNG" in text["new_version"]
    assert "Simple fields" in text["describe_class"]
    assert "sub-directories & 153 files" in text["view_tree"]
    assert (
        "key='iris_studies/study0_raw_images'" in text["s3_folder"]
        and "n_files=51" in text["s3_folder"]
    )
    assert "s3://lamindata" in text["storages"]
    assert "Entity: CellType" in text["public"] and "#terms:" in text["public"]
    assert (
        "CL:0000798" in text["public_search"].split("gamma-delta T cell")[0] + text["public_search"]
    )
    assert "var.T" in text["anndata"] and "CD8A" in text["anndata"]
    assert "my_datasets/my_rnaseq1.h5ad" in text["cd8a"]
    assert "Collection: my-RNA-seq-collection (0000)" in text["collection"]
    assert "my_datasets/my_rnaseq2.h5ad" in text["collection_load"]
    import lamin_kernel as ln
    from lamin_kernel import runtime

    runtime.reset()
    transform = ln.Transform.get(key="tutorial.ipynb")
    finished = ln.Run.filter(transform__key="tutorial.ipynb", finished_at__isnull=False).to_list()
    assert finished and finished[-1].report is not None and transform.source_code
    assert ln.Artifact.filter(key="my_analysis/dataset.parquet").count() == 0  # same content
    assert ln.Transform.filter(kind="function").one().key.endswith("::ingest_dataset")
    runtime.reset()
