"""The "upstream changed" marks in the REST payloads of the artifact, run and lineage pages,
and the run cells the lineage route adds when asked."""

from __future__ import annotations

import pandas as pd

import lamin_kernel as ln
from tests.server.conftest import Fetch


def stale_consumer(seeded: dict) -> tuple[ln.Artifact, ln.Artifact]:
    """The consumer run's output, and the newer version of the table it loaded."""
    frame = pd.DataFrame({"m": [0.5]})
    model = ln.Artifact.from_dataframe(frame, key="models/m.parquet", run=seeded["consumer"])
    model.save()
    newer = ln.Artifact.from_dataframe(
        pd.DataFrame({"a": [7, 8, 9]}, index=["s1", "s2", "s3"]), key="data/table.parquet"
    ).save()
    return model, newer


async def test_artifact_and_run_payloads_carry_upstream_changes(api: Fetch, seeded: dict) -> None:
    model, newer = stale_consumer(seeded)
    status, body, _ = await api("registries", "Artifact", "records", model.uid)
    assert status == 200
    (change,) = body["upstream_changes"]
    assert change["changed"]["uid"] == seeded["table"].uid
    assert change["newer"]["uid"] == newer.uid and change["newer"]["version"] == "#0002"
    assert change["direct"] is True and change["via"] is None
    assert change["rerun_command"] == "lamin rerun --stale data/table.parquet"
    status, body, _ = await api("registries", "Artifact", "records", newer.uid)
    assert body["upstream_changes"] == []
    status, body, _ = await api("runs", seeded["consumer"].uid, "summary")
    assert status == 200 and body["upstream_changes"][0]["newer"]["uid"] == newer.uid
    status, body, _ = await api("runs", seeded["run"].uid, "summary")
    assert body["upstream_changes"] == []


async def test_lineage_marks_stale_runs_and_their_outputs(api: Fetch, seeded: dict) -> None:
    model, newer = stale_consumer(seeded)
    status, body, _ = await api("lineage", "Artifact", model.uid, params={"direction": "upstream"})
    assert status == 200 and "cells" not in body
    nodes = {n["id"]: n for n in body["nodes"]}
    assert nodes[f"artifact:{model.uid}"]["upstream_changed"] is True
    consumer = nodes[f"run:{seeded['consumer'].uid}"]
    assert [c["newer"]["uid"] for c in consumer["upstream_changes"]] == [newer.uid]
    assert "upstream_changed" not in nodes[f"artifact:{seeded['table'].uid}"]
    assert "upstream_changes" not in nodes[f"run:{seeded['run'].uid}"]


async def test_lineage_cells_only_when_asked(api: Fetch, seeded: dict) -> None:
    status, body, _ = await api(
        "lineage", "Artifact", seeded["table"].uid, params={"cells": "true"}
    )
    assert status == 200
    consumer, run = seeded["consumer"].uid, seeded["run"].uid
    assert set(body["cells"]) == {consumer, run}
    (cell,) = body["cells"][consumer]  # loaded without a tracked call site
    assert cell["key"] == "unrecorded"
    assert [i["uid"] for i in cell["inputs"]] == [seeded["table"].uid]
    status, body, _ = await api("lineage", "Artifact", seeded["table"].uid, params={"cells": "x"})
    assert status == 400 and body["error"]["type"] == "InvalidArgument"
