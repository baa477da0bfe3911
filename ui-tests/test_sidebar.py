"""The Lamin sidebar: instance name, registry search, tables that read well, its lineage."""

from __future__ import annotations

import json
import re
import urllib.request

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
    # the box's placeholder is not cut off in the narrow sidebar; the registry is in its tooltip
    box = lab.tid("lk-registry-search")
    placeholder_fits = box.evaluate(
        """input => {
            const style = getComputedStyle(input);
            const context = document.createElement('canvas').getContext('2d');
            context.font = style.font;
            const room = input.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return context.measureText(input.placeholder).width <= room;
        }"""
    )
    assert placeholder_fits, box.get_attribute("placeholder")
    expect(box).to_have_attribute("title", "Search the Artifact records")
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
    expect(lab.tid("lk-page-info")).to_have_text("1–1 of 1")

    # typing alone (no Enter) also applies, after the debounce
    box.fill("measurements")
    expect(lab.row(seeded["raw"])).to_be_visible()
    expect(lab.row(seeded["processed"])).to_have_count(0)
    box.fill("processed")
    expect(lab.row(seeded["processed"])).to_be_visible()
    expect(rows).to_have_count(1)
    lab.shot("registry-search", lab.sidebar)


def test_tables_read_well(lab: Lab, seeded: dict) -> None:
    lab.goto()
    lab.choose_registry("Artifact")
    table = lab.tid("lk-record-table")
    # the narrow sidebar's default: the key first, then the size, both in view; no uid
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert headers == ["key", "size"], headers
    row = lab.row(seeded["processed"])
    key = row.locator("td.lk-col-key")
    expect(key).to_have_attribute("title", "processed/scores.parquet")  # whole key on hover
    sidebar_box, size_box = lab.sidebar.bounding_box(), row.locator("td.lk-col-size").bounding_box()
    assert sidebar_box and size_box
    assert size_box["x"] + size_box["width"] <= sidebar_box["x"] + sidebar_box["width"] + 1
    # more columns from the chooser; the uid always comes last
    lab.tid("lk-column-chooser").locator("summary").click()
    lab.tid("lk-column-uid").check()
    lab.tid("lk-column-created_at").check()
    lab.tid("lk-column-chooser").locator("summary").click()
    expect(table.locator("thead th").last).to_have_text("uid")  # the table has re-rendered
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert headers[0] == "key" and headers[-1] == "uid" and "created_at" in headers, headers
    size = row.locator("td.lk-col-size")
    expect(size).to_have_text(re.compile(r"^\d+(\.\d+)? (B|KB|MB)$"))  # humanized
    expect(size).to_have_attribute("title", re.compile(r"^[\d,]+ bytes$"))  # exact on hover
    created = row.locator("td.lk-col-created_at")
    assert "T" not in created.inner_text() and "UTC" in (created.get_attribute("title") or "")

    # the run's report is an internal run file: hidden until asked for
    expect(lab.row(seeded["report"])).to_have_count(0)
    lab.tid("lk-show-run-files").check()
    expect(lab.row(seeded["report"])).to_be_visible()
    lab.tid("lk-show-run-files").uncheck()
    expect(lab.row(seeded["report"])).to_have_count(0)

    # nothing found: a sentence, never "0–-1 of 0"
    lab.search("no such artifact anywhere")
    expect(lab.tid("lk-record-nomatch")).to_be_visible()
    expect(lab.tid("lk-page-info")).to_have_text("No records")
    lab.tid("lk-registry-search").fill("")
    lab.tid("lk-registry-search").press("Enter")

    # a bad filter says so under the filters and the table stays
    lab.tid("lk-toggle-filters").locator("button").click()
    lab.tid("lk-filter-feature").fill("nosuchfield:exact:1")
    lab.tid("lk-filter-feature-add").click()
    expect(lab.tid("lk-filter-error")).to_contain_text("cannot filter Artifact by 'nosuchfield'")
    expect(table).to_be_visible()
    lab.shot("table-filter-error", lab.sidebar)

    # columns resize by dragging the header's edge
    header = table.locator("thead th").first
    before = header.bounding_box()
    header.locator(".lk-Resizer").scroll_into_view_if_needed()
    handle = header.locator(".lk-Resizer").bounding_box()
    assert before and handle
    lab.page.mouse.move(handle["x"] + 2, handle["y"] + 5)
    lab.page.mouse.down()
    lab.page.mouse.move(handle["x"] + 82, handle["y"] + 5, steps=4)
    lab.page.mouse.up()
    after = table.locator("thead th").first.bounding_box()
    assert after and after["width"] > before["width"] + 40, (before, after)


def test_table_state_survives_a_reload(lab: Lab, seeded: dict) -> None:
    lab.goto()
    lab.choose_registry("Transform")
    lab.tid("lk-sort-key").click()
    expect(lab.tid("lk-record-table").locator('th[aria-sort="ascending"]')).to_have_count(1)
    # a column more and a filter
    lab.tid("lk-column-chooser").locator("summary").click()
    lab.tid("lk-column-created_at").check()
    lab.tid("lk-column-chooser").locator("summary").click()
    lab.tid("lk-toggle-filters").locator("button").click()
    lab.tid("lk-filter-feature").fill("key:startswith:pipelines/t")
    lab.tid("lk-filter-feature-add").click()
    expect(lab.row(seeded["prepare"])).to_have_count(0)
    expect(lab.row(seeded["train"])).to_be_visible()
    lab.reload()
    lab.open_sidebar()
    expect(lab.tid("lk-registry-select")).to_have_value("Transform")
    table = lab.tid("lk-record-table")
    expect(table.locator('th[aria-sort="ascending"]')).to_contain_text("key")
    expect(table.locator("thead th", has_text="created_at")).to_have_count(1)
    expect(lab.tid("lk-filter-chip")).to_have_count(1)
    expect(lab.row(seeded["train"])).to_be_visible()
    expect(lab.row(seeded["prepare"])).to_have_count(0)


def test_sidebar_lineage_opens_at_full_size(lab: Lab, seeded: dict) -> None:
    lab.goto()
    lab.open_sidebar()
    lab.command("lamin:open-lineage", {"registry": "Artifact", "uid": seeded["processed"]})
    expect(lab.tid("lk-tab-lineage")).to_have_attribute("aria-selected", "true")
    expect(lab.tid("lk-lineage-target")).to_have_attribute("data-uid", seeded["processed"])
    graph = lab.tid("lk-lineage-graph")
    expected = {
        f"artifact:{seeded['processed']}": "artifact",
        f"run:{seeded['run']}": "run",
        f"transform:{seeded['prepare']}": "transform",
        f"artifact:{seeded['raw']}": "artifact",
    }
    # downstream: the two training runs that read it, their transform and outputs
    expected.update({f"run:{uid}": "run" for uid in seeded["train_runs"]})
    expected.update({f"artifact:{uid}": "artifact" for uid in seeded["metrics"]})
    expected[f"transform:{seeded['train']}"] = "transform"
    for node_id, kind in expected.items():
        expect(graph.locator(f'[data-node-id="{node_id}"]')).to_have_attribute("data-kind", kind)
    expect(graph.get_by_test_id("lk-lineage-node")).to_have_count(len(expected))
    expect(graph.locator(f'[data-node-id="artifact:{seeded["processed"]}"]')).to_have_class(
        "lk-LineageNode lk-kind-artifact lk-mod-root"
    )
    edge = f'path[data-source="artifact:{seeded["raw"]}"][data-target="run:{seeded["run"]}"]'
    expect(graph.locator(edge)).to_have_count(1)
    lab.shot("lineage", lab.sidebar)

    lab.tid("lk-lineage-open-full").click()
    full = lab.page.locator(
        f'#jp-main-dock-panel [data-testid="lk-lineage-page"][data-uid="{seeded["processed"]}"]'
    )
    expect(full).to_be_visible()
    expect(full.get_by_test_id("lk-lineage-node")).to_have_count(len(expected))

    # a node opens that record's page
    graph.locator(f'[data-node-id="artifact:{seeded["raw"]}"]').click()
    lab.record_page(seeded["raw"])


def _set_page_size(lab: Lab, size: int | None) -> None:
    """The extension's page_size setting (a user setting of the server); None: the default."""
    raw = json.dumps({} if size is None else {"page_size": size})
    request = urllib.request.Request(
        f"{lab.server.base_url}/lab/api/settings/lamin-kernel:plugin",
        data=json.dumps({"raw": raw}).encode(),
        method="PUT",
        headers={"Authorization": f"token {lab.server.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 204


def test_page_jumps(lab: Lab, seeded: dict) -> None:
    _set_page_size(lab, 3)
    try:
        lab.goto()
        lab.choose_registry("Artifact")
        total = lab.server.api(
            "registries/Artifact/records?page_size=1&exclude=kind:exact:__lamindb_run__"
        )["total"]
        pages = -(-total // 3)
        assert pages >= 3, total
        expect(lab.tid("lk-page-info")).to_have_text(f"1–3 of {total}")
        jump = lab.tid("lk-page-jump")
        expect(jump).to_have_attribute("aria-label", f"Go to page (1 to {pages})")
        jump.fill("2")
        jump.press("Enter")
        expect(lab.tid("lk-page-info")).to_have_text(f"4–6 of {total}")
        jump.fill("999")  # past the end: the last page
        jump.press("Enter")
        last = total - (pages - 1) * 3
        expect(lab.tid("lk-page-info")).to_have_text(f"{total - last + 1}–{total} of {total}")
        lab.tid("lk-page-prev").locator("button").click()
        first = (pages - 2) * 3 + 1
        expect(lab.tid("lk-page-info")).to_have_text(f"{first}–{first + 2} of {total}")
        lab.shot("page-jump", lab.sidebar)
    finally:
        _set_page_size(lab, None)


def test_an_empty_registry_says_how_to_start(lab: Lab, seeded: dict) -> None:
    # the seeded instance has no Reference: the table gives way to a sentence with the code
    lab.goto()
    lab.open_sidebar()
    lab.tid("lk-registry-select").select_option("Reference")
    empty = lab.tid("lk-record-empty")
    expect(empty).to_contain_text("No Reference records yet")
    expect(empty.locator("code")).to_have_text('ln.Reference(name="…").save()')
    expect(lab.tid("lk-page-info")).to_have_count(0)
    lab.shot("empty-registry", lab.sidebar)
