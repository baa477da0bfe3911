"""Records for the details of the pages (ui-tests/test_page_details.py): previews of an image,
a text and an AnnData; a table registered in place inside the storage (which the file browser
can show); a failed flow run with its error. Made with the public API in the `seeded` fixture."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any


def jupyter_root(lamin_home: Path) -> Path:
    """JupyterLab's root folder of the session; the instance's storage is a folder inside."""
    root = lamin_home / "root"
    root.mkdir(exist_ok=True)
    return root


def gradient_png(width: int = 96, height: int = 64) -> bytes:
    """A small RGB PNG (a colour gradient), written without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 255 // width, y * 255 // height, 160)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def seed_page_details(ln: Any, files: Path, storage: Path) -> dict[str, str]:
    import anndata as ad
    import numpy as np
    import pandas as pd

    (files / "gradient.png").write_bytes(gradient_png())
    image = ln.Artifact(files / "gradient.png", key="figures/gradient.png").save()
    (files / "notes.txt").write_text("Scores were computed per sample.\nSee the README.\n")
    text = ln.Artifact(files / "notes.txt", key="docs/notes.txt").save()
    adata = ad.AnnData(
        X=np.arange(6, dtype="float32").reshape(3, 2),
        obs=pd.DataFrame({"cell_type": ["T cell", "B cell", "T cell"]}, index=["c1", "c2", "c3"]),
        var=pd.DataFrame({"symbol": ["CD4", "CD19"]}, index=["ENSG01", "ENSG02"]),
    )
    anndata = ln.Artifact.from_anndata(adata, key="single-cell/pbmc.h5ad").save()
    (storage / "tables").mkdir(exist_ok=True)
    (storage / "tables" / "in-place.csv").write_text("sample,value\ns1,1\n")
    in_place = ln.Artifact(storage / "tables" / "in-place.csv").save()

    @ln.flow()
    def fit_model() -> None:
        raise ValueError("the loss diverged at epoch 3")

    try:
        fit_model()
    except ValueError:
        pass
    failed = ln.Run.filter(status="failed").order_by("-id").first()
    assert failed is not None, "the failing flow should have left a failed run"
    return {
        "image": image.uid,
        "text": text.uid,
        "anndata": anndata.uid,
        "in_place": in_place.uid,
        "failed_run": failed.uid,
    }
