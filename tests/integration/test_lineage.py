"""Lineage graphs built by hand (transforms, runs, input links, outputs) and their SVG."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import event, insert

import lamin_kernel as ln
from lamin_kernel import models
from lamin_kernel.records import lineage, lineage_drawing
from lamin_kernel.setup.session import connection, write_transaction

XSS = "<img src=x onerror=alert(1)>"
pytestmark = pytest.mark.backends("sqlite-local", "postgres-local")


def frame(seed: int, rows: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"a": [seed + i for i in range(rows)], "b": ["x"] * rows})


def run_of(key: str, **fields: object) -> tuple[ln.Transform, ln.Run]:
    transform = ln.Transform(key=key, kind="script").save()
    return transform, ln.Run(transform=transform, **fields).save()


def insert_row(registry: str, **values: object) -> int:
    """A row written directly (collections have no constructor in this layer yet)."""
    table = getattr(models, registry).__table__
    with write_transaction() as session:
        return session.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()


def make_collection(key: str, run: ln.Run | None) -> ln.Collection:
    uid = f"{key[:4]:x<16}0000"
    insert_row(
        "Collection",
        uid=uid,
        key=key,
        run_id=run.id if run else None,
        branch_id=1,
        created_on_id=1,
        space_id=1,
        is_locked=False,
        is_latest=True,
        created_at=pd.Timestamp.now(tz="UTC").to_pydatetime(),
    )
    return ln.Collection.get(uid)


@pytest.fixture
def pipeline(instance: dict) -> dict:
    """ingest (r1) -> raw -> process (r2) -> processed, coll -> train (r3) -> model; r4 child of r2."""
    t1, r1 = run_of("ingest.py")
    raw = ln.Artifact.from_dataframe(frame(0), key="raw.parquet", run=r1).save()
    t2, r2 = run_of("process.py")
    r2.input_artifacts.add(raw)
    processed = ln.Artifact.from_dataframe(frame(10), key="processed.parquet", run=r2).save()
    coll = make_collection("collA", r2)
    t3, r3 = run_of("train.py")
    r3.input_artifacts.add(processed)
    insert_row("RunInputCollection", run_id=r3.id, collection_id=coll.id)
    model = ln.Artifact.from_dataframe(frame(20), key="model.parquet", run=r3).save()
    t4, r4 = run_of("child.py", initiated_by_run_id=r2.id)
    return {k: v for k, v in locals().items() if k != "instance"}


def ids(graph: dict) -> set[str]:
    return {n["id"] for n in graph["nodes"]}


def edges(graph: dict) -> set[tuple[str, str]]:
    return {(e["source"], e["target"]) for e in graph["edges"]}


def nid(record: object) -> str:
    kind = {
        "Artifact": "artifact",
        "Run": "run",
        "Transform": "transform",
        "Collection": "collection",
    }
    return f"{kind[type(record).__name__]}:{record.uid}"


def test_upstream_by_depth(pipeline: dict) -> None:
    p = pipeline
    g1 = lineage.lineage_graph(p["processed"], direction="upstream", depth=1)
    assert ids(g1) == {nid(p["processed"]), nid(p["r2"]), nid(p["t2"])}
    assert edges(g1) == {(nid(p["r2"]), nid(p["processed"])), (nid(p["t2"]), nid(p["r2"]))}
    g2 = lineage.lineage_graph(p["processed"], direction="upstream", depth=2)
    assert ids(g2) == ids(g1) | {nid(p["raw"])}
    assert (nid(p["raw"]), nid(p["r2"])) in edges(g2)
    g3 = lineage.lineage_graph(p["processed"], direction="upstream", depth=3)
    assert ids(g3) == ids(g2) | {nid(p["r1"]), nid(p["t1"])}
    assert {(nid(p["r1"]), nid(p["raw"])), (nid(p["t1"]), nid(p["r1"]))} <= edges(g3)


def test_downstream_by_depth(pipeline: dict) -> None:
    p = pipeline
    g1 = lineage.lineage_graph(p["raw"], direction="downstream", depth=1)
    assert ids(g1) == {nid(p["raw"]), nid(p["r2"]), nid(p["t2"])}
    assert edges(g1) == {(nid(p["raw"]), nid(p["r2"])), (nid(p["t2"]), nid(p["r2"]))}
    g2 = lineage.lineage_graph(p["raw"], direction="downstream", depth=2)
    assert ids(g2) == ids(g1) | {nid(p["processed"]), nid(p["coll"]), nid(p["r4"]), nid(p["t4"])}
    assert {
        (nid(p["r2"]), nid(p["processed"])),
        (nid(p["r2"]), nid(p["coll"])),
        (nid(p["r2"]), nid(p["r4"])),
    } <= edges(g2)
    g3 = lineage.lineage_graph(p["raw"], direction="downstream", depth=3)
    assert ids(g3) == ids(g2) | {nid(p["r3"]), nid(p["t3"])}
    assert {(nid(p["processed"]), nid(p["r3"])), (nid(p["coll"]), nid(p["r3"]))} <= edges(g3)
    assert nid(p["model"]) not in ids(g3)
    g4 = lineage.lineage_graph(p["raw"], direction="downstream", depth=4)
    assert (nid(p["r3"]), nid(p["model"])) in edges(g4)


def test_both_directions_and_node_fields(pipeline: dict) -> None:
    p = pipeline
    graph = lineage.lineage_graph(p["processed"], depth=1)
    assert ids(graph) == {nid(p[k]) for k in ("processed", "r2", "t2", "r3", "t3")}
    node = next(n for n in graph["nodes"] if n["id"] == nid(p["processed"]))
    assert node == {
        "id": nid(p["processed"]),
        "kind": "artifact",
        "uid": p["processed"].uid,
        "label": "processed.parquet",
        "registry": "Artifact",
        "run": p["r2"].uid,  # the run that made it: hover text of the drawings
    }
    run_node = next(n for n in graph["nodes"] if n["kind"] == "run")
    assert run_node["run"] is None
    assert graph["nodes"][0]["id"] == nid(p["processed"])  # the record itself comes first
    for edge in graph["edges"]:
        assert edge["source"] in ids(graph) and edge["target"] in ids(graph)


def test_from_transform_run_and_collection(pipeline: dict) -> None:
    p = pipeline
    g = lineage.lineage_graph(p["t1"], direction="downstream", depth=2)
    assert ids(g) == {nid(p["t1"]), nid(p["r1"]), nid(p["raw"])}
    assert lineage.lineage_graph(p["t1"], direction="upstream") == {
        "nodes": [g["nodes"][0]],
        "edges": [],
    }
    g = lineage.lineage_graph(p["r4"], direction="upstream", depth=1)
    assert (nid(p["r2"]), nid(p["r4"])) in edges(g)
    g = lineage.lineage_graph(p["coll"], direction="both", depth=1)
    assert edges(g) >= {(nid(p["r2"]), nid(p["coll"])), (nid(p["coll"]), nid(p["r3"]))}


def test_hidden_rows_are_left_out(pipeline: dict) -> None:
    p = pipeline
    report = ln.Artifact.from_dataframe(frame(30), key="report.parquet", run=p["r2"]).save()
    report.kind = "__lamindb_run__"
    report.save()
    p["processed"].delete()  # to trash
    graph = lineage.lineage_graph(p["raw"], direction="downstream", depth=2)
    assert nid(report) not in ids(graph)
    assert nid(p["processed"]) not in ids(graph)
    assert nid(p["coll"]) in ids(graph)


def test_bad_arguments(pipeline: dict) -> None:
    with pytest.raises(ln.errors.InvalidArgument, match="direction"):
        lineage.lineage_graph(pipeline["raw"], direction="sideways")
    for depth in (0, 11, "2", True):
        with pytest.raises(ln.errors.InvalidArgument, match="depth"):
            lineage.lineage_graph(pipeline["raw"], depth=depth)  # type: ignore[arg-type]
    with pytest.raises(ln.errors.InvalidArgument, match="lineage"):
        lineage.lineage_graph(ln.ULabel(name="x").save())


def test_queries_do_not_grow_with_the_number_of_nodes(instance: dict) -> None:
    def count_queries(n: int) -> int:
        transform, run = run_of(f"wide{n}.py")
        inputs = [
            ln.Artifact.from_dataframe(frame(1000 * n + i), key=f"in{n}_{i}.parquet").save()
            for i in range(n)
        ]
        run.input_artifacts.add(inputs)
        for i in range(n):
            ln.Artifact.from_dataframe(
                frame(5000 * n + i), key=f"out{n}_{i}.parquet", run=run
            ).save()
        statements: list[str] = []
        engine = connection().engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            graph = lineage.lineage_graph(run, direction="both", depth=3)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert len(graph["nodes"]) == 2 * n + 2
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    assert count_queries(2) == count_queries(12)


def test_view_lineage_writes_an_escaped_svg(
    instance: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    transform, run = run_of(XSS)
    artifact = ln.Artifact.from_dataframe(frame(1), key=f"{XSS}.parquet", description=XSS, run=run)
    artifact.save()
    monkeypatch.chdir(tmp_path)
    graph = artifact.view_lineage()
    assert isinstance(graph, dict) and nid(artifact) in ids(graph)
    written = list(tmp_path.glob("*_lineage.svg"))
    assert len(written) == 1 and str(written[0].name) in capsys.readouterr().out
    svg = written[0].read_text()
    assert svg.startswith("<svg") and "<img" not in svg and "onerror=alert(1)&gt;" in svg
    assert "&lt;img src=x" in svg
    html_file = tmp_path / "g.html"
    run.view_lineage(filename=str(html_file), direction="both")
    page = html_file.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<img" not in page


def test_view_lineage_displays_in_a_kernel(
    pipeline: dict, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    published: list[dict] = []
    shell = types.SimpleNamespace(
        kernel=object(),
        display_pub=types.SimpleNamespace(publish=lambda data, **kw: published.append(data)),
    )
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: shell  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", fake)
    monkeypatch.chdir(tmp_path)
    graph = pipeline["processed"].view_lineage(depth=2)
    assert len(published) == 1
    bundle = published[0]
    mime = bundle["application/vnd.lamin.lineage+json"]
    assert mime["root"] == nid(pipeline["processed"]) and mime["nodes"] == graph["nodes"]
    assert mime["edges"] == graph["edges"]
    figure = bundle["application/vnd.plotly.v1+json"]
    hovers = " ".join(" ".join(trace.get("hovertext", [])) for trace in figure["data"])
    assert pipeline["processed"].uid in hovers and pipeline["processed"].key in hovers
    # the HTML fallback reads without scripts (an SVG) and embeds plotly.js once per process
    assert bundle["text/html"].startswith('<div id="lk-lineage-')
    assert "<svg" in bundle["text/html"]
    assert not list(tmp_path.glob("*_lineage.*"))
    assert repr(graph).startswith("LineageGraph(")
    assert pipeline["coll"].view_lineage(direction="upstream")["nodes"]
    # a newer input version: the notebook's graph marks the run and its output
    ln.Artifact.from_dataframe(frame(1), key="raw.parquet").save()
    pipeline["processed"].view_lineage(depth=2)
    nodes = {n["id"]: n for n in published[-1]["application/vnd.lamin.lineage+json"]["nodes"]}
    (change,) = nodes[nid(pipeline["r2"])]["upstream_changes"]
    assert change["changed"]["uid"] == pipeline["raw"].uid and change["direct"] is True
    assert nodes[nid(pipeline["processed"])]["upstream_changed"] is True


def test_layout_puts_sources_left_of_targets(pipeline: dict) -> None:
    graph = lineage.lineage_graph(pipeline["processed"], direction="both", depth=3)
    pos = lineage_drawing.layout_graph(graph).centres
    for edge in graph["edges"]:
        assert pos[edge["source"]][0] < pos[edge["target"]][0]
    cyclic = {
        "nodes": [{"id": i, "kind": "run", "uid": i, "label": i, "registry": "Run"} for i in "abc"],
        "edges": [
            {"source": "a", "target": "b"},
            {"source": "b", "target": "c"},
            {"source": "c", "target": "b"},
        ],
    }
    assert set(lineage_drawing.layout_graph(cyclic).centres) == {"a", "b", "c"}
