"""Server tests: pytest-jupyter's in-process Jupyter server with the lamin extension enabled,
against a real instance made with the core API."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

# pytest-jupyter's fixtures and async hooks, for this folder only: `pytest_plugins` is only
# allowed in the top-level conftest, which `pytest tests` would otherwise refuse.
from pytest_jupyter.jupyter_server import *  # noqa: F403

Fetch = Callable[..., Awaitable[tuple[int, Any, Any]]]


@pytest.fixture
def jp_server_config() -> dict:
    return {"ServerApp": {"jpserver_extensions": {"lamin_kernel.server": True}}}


@pytest.fixture
def api(jp_fetch: Any) -> Fetch:
    """GET a route under lamin/api: (status, JSON body or bytes, headers)."""

    async def get(*parts: str, params: Any = None, headers: dict | None = None) -> tuple:
        response = await jp_fetch(
            "lamin", "api", *parts, params=params, headers=headers, raise_error=False
        )
        body: Any = response.body
        if response.headers.get("Content-Type", "").startswith("application/json"):
            body = json.loads(body)
        return response.code, body, response.headers

    return get


XSS = "<img src=x onerror=alert(1)>"
# a 1x1 transparent PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def link_rows(table: str, **values: Any) -> None:
    """Insert a link row directly (feature values have no public writer in this layer yet)."""
    from sqlalchemy import insert

    from lamin_kernel import models
    from lamin_kernel.setup.session import write_transaction

    with write_transaction() as session:
        session.execute(insert(getattr(models, table).__table__).values(**values))


@pytest.fixture
def seeded(instance: dict, tmp_path: Any) -> dict:
    """A small instance: a pipeline run with table, CSV, text, image outputs, a report,
    a second version, labels and feature values."""
    import pandas as pd

    import lamin_kernel as ln

    files = tmp_path / "files"
    files.mkdir()
    transform = ln.Transform(key="pipeline.py", kind="script").save()
    run = ln.Run(transform=transform).save()
    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}, index=["s1", "s2", "s3"])
    first = ln.Artifact.from_dataframe(frame, key="data/table.parquet", run=run).save()
    table = ln.Artifact.from_dataframe(
        frame.assign(a=[4, 5, 6]), key="data/table.parquet", description=XSS, run=run
    ).save()
    (files / "table.csv").write_text(frame.to_csv())
    csv = ln.Artifact(files / "table.csv", key="data/table.csv", run=run).save()
    (files / "notes.txt").write_text("hello lamin\n" * 3)
    text = ln.Artifact(files / "notes.txt", key="docs/notes.txt").save()
    (files / "dot.png").write_bytes(PNG)
    image = ln.Artifact(files / "dot.png", key="img/dot.png").save()
    (files / "report.html").write_text("<html><body><script>alert(1)</script>ok</body></html>")
    report = ln.Artifact(files / "report.html", key="reports/run.html", kind="__lamindb_run__")
    report.save()
    run.report_id = report.id
    run.save()
    label = ln.ULabel(name="Experiment A").save()
    table.ulabels.add(label)
    temperature = ln.Feature(name="temperature", dtype="float").save()
    value = ln.JsonValue(value=21.6, feature_id=temperature.id).save()
    link_rows("ArtifactJsonValue", artifact_id=table.id, jsonvalue_id=value.id)
    consumer_t = ln.Transform(key="train.py", kind="script").save()
    consumer = ln.Run(transform=consumer_t).save()
    consumer.input_artifacts.add(table)
    return {
        "transform": transform,
        "run": run,
        "first": first,
        "table": table,
        "csv": csv,
        "text": text,
        "image": image,
        "report": report,
        "label": label,
        "consumer": consumer,
        "files": files,
    }
