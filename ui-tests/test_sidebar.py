"""The Lamin sidebar: instance name, registry search, a record's detail, its lineage graph."""

from __future__ import annotations

from lamin_ui import INSTANCE_NAME, Lab
from playwright.sync_api import expect


def test_sidebar_shows_the_instance_name(lab: Lab) -> None:
    lab.goto()
    sidebar = lab.open_sidebar()
    expect(lab.tid("lk-instance-name")).to_have_text(INSTANCE_NAME)
    expect(lab.tid("lk-instance-info")).to_have_text("sqlite · main")
    for tab in ("registries", "lineage", "validation"):
        expect(lab.tid(f"lk-tab-{tab}")).to_be_visible()
    expect(lab.tid("lk-tab-registries")).to_have_attribute("aria-selected", "true")
    expect(lab.tid("lk-record-table")).to_be_visible()
    lab.shot("sidebar", sidebar)


def test_search_the_artifact_registry(lab: Lab, seeded: dict) -> None:
    lab.goto()
    lab.choose_registry("Artifact")
    # before searching, the table lists several artifacts
    expect(lab.row(seeded["raw"])).to_be_visible()
    expect(lab.row(seeded["processed"])).to_be_visible()

    lab.search("processed")
    expect(lab.row(seeded["raw"])).to_have_count(0)
    rows = lab.sidebar.get_by_test_id("lk-record-row")
    expect(rows).to_have_count(1)
    match = lab.row(seeded["processed"])
    expect(match).to_be_visible()
    expect(match).to_contain_text("processed/scores.parquet")
    expect(lab.tid("lk-page-info")).to_contain_text("of 1")

    # typing alone (no Enter) also applies, after the debounce
    box = lab.tid("lk-registry-search")
    box.fill("measurements")
    expect(lab.row(seeded["raw"])).to_be_visible()
    expect(lab.row(seeded["processed"])).to_have_count(0)
    box.fill("processed")
    expect(lab.row(seeded["processed"])).to_be_visible()
    expect(rows).to_have_count(1)
    lab.shot("registry-search", lab.sidebar)


def test_artifact_detail_shows_fields_and_describe_tree(lab: Lab, seeded: dict) -> None:
    lab.goto()
    detail = lab.open_record("Artifact", seeded["processed"], search="processed")
    expect(detail).to_contain_text("Artifact: processed/scores.parquet")
    expect(lab.tid("lk-record-description")).to_have_text("processed scores")
    expect(lab.tid("lk-record-field-uid")).to_contain_text(seeded["processed"])
    expect(lab.tid("lk-record-field-key")).to_contain_text("processed/scores.parquet")
    expect(lab.tid("lk-record-field-suffix")).to_contain_text(".parquet")
    expect(lab.tid("lk-record-code")).to_have_text(f'ln.Artifact.get("{seeded["processed"]}")')
    # links to its run
    expect(lab.tid("lk-link-run")).to_contain_text(seeded["run"])
    for action in ("lk-copy-uid", "lk-copy-code", "lk-insert-code", "lk-show-lineage"):
        expect(lab.tid(action)).to_be_visible()
    expect(lab.tid("lk-open-report")).to_be_visible()  # its run has a report

    # the describe tree opens on click and shows describe()'s sections
    describe = lab.tid("lk-record-describe")
    expect(describe).not_to_have_attribute("open", "")
    describe.locator("summary").click()
    expect(describe).to_have_attribute("open", "")
    expect(describe).to_contain_text("Artifact: processed/scores.parquet")
    expect(describe).to_contain_text("storage/path")
    expect(describe).to_contain_text(seeded["processed"])
    lab.shot("artifact-detail", lab.sidebar)

    # Back returns to the table
    lab.tid("lk-detail-back").click()
    expect(lab.tid("lk-record-table")).to_be_visible()


def test_lineage_graph_has_the_expected_nodes(lab: Lab, seeded: dict) -> None:
    lab.goto()
    lab.open_record("Artifact", seeded["processed"], search="processed")
    lab.tid("lk-show-lineage").click()
    expect(lab.tid("lk-tab-lineage")).to_have_attribute("aria-selected", "true")
    expect(lab.tid("lk-lineage-target")).to_have_attribute("data-uid", seeded["processed"])
    graph = lab.tid("lk-lineage-graph")
    expect(graph).to_be_visible()

    expected = {
        f"artifact:{seeded['processed']}": "artifact",
        f"run:{seeded['run']}": "run",
        f"transform:{seeded['prepare']}": "transform",
        f"artifact:{seeded['raw']}": "artifact",
    }
    for node_id, kind in expected.items():
        node = graph.locator(f'[data-node-id="{node_id}"]')
        expect(node).to_have_count(1)
        expect(node).to_have_attribute("data-kind", kind)
    expect(graph.get_by_test_id("lk-lineage-node")).to_have_count(len(expected))
    # the root is highlighted and the edges follow the data flow
    expect(graph.locator(f'[data-node-id="artifact:{seeded["processed"]}"]')).to_have_class(
        "lk-LineageNode lk-kind-artifact lk-mod-root"
    )
    edge = f'path[data-source="artifact:{seeded["raw"]}"][data-target="run:{seeded["run"]}"]'
    expect(graph.locator(edge)).to_have_count(1)
    edge = f'path[data-source="run:{seeded["run"]}"][data-target="artifact:{seeded["processed"]}"]'
    expect(graph.locator(edge)).to_have_count(1)
    lab.shot("lineage", lab.sidebar)

    # clicking a node opens that record
    graph.locator(f'[data-node-id="artifact:{seeded["raw"]}"]').click()
    expect(lab.tid("lk-record-detail")).to_have_attribute("data-uid", seeded["raw"])
