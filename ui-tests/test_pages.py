"""Main-area pages: opened from the sidebar, from a `lamin:` link, after a reload; Artifact,
Transform, Run, Compare runs and Lineage pages; context menus; the artifact picker."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lamin_ui import Lab, write_notebook
from playwright.sync_api import expect


def test_artifact_page_from_the_sidebar(lab: Lab, seeded: dict) -> None:
    lab.goto()
    page = lab.open_record("Artifact", seeded["processed"], search="processed")
    expect(page.get_by_test_id("lk-page-title")).to_have_text("processed/scores.parquet")
    expect(page.get_by_test_id("lk-record-description")).to_have_text("processed scores")
    facts = page.get_by_test_id("lk-artifact-facts")
    expect(facts).to_contain_text(".parquet")
    expect(facts).to_contain_text(re.compile(r"\d+(\.\d+)? (B|KB)"))
    # where it came from, named, and where it was used
    expect(page.get_by_test_id("lk-link-transform")).to_have_text("pipelines/prepare.py")
    expect(page.get_by_test_id("lk-link-run")).to_contain_text("pipelines/prepare.py · run")
    used = page.get_by_test_id("lk-artifact-downstream")
    expect(used.get_by_test_id("lk-run-row")).to_have_count(2)
    expect(used).to_contain_text("pipelines/train.py")
    # a preview of the table
    preview = page.get_by_test_id("lk-preview")
    expect(preview.locator("th")).to_have_text(["sample", "value", "z"])
    lab.shot("artifact-page")

    # the run link opens the run's page in another tab
    page.get_by_test_id("lk-link-run").click()
    run_page = lab.record_page(seeded["run"])
    expect(run_page.get_by_test_id("lk-status-badge")).to_have_text("running")
    expect(run_page.get_by_test_id("lk-run-inputs")).to_contain_text("raw/measurements.parquet")
    expect(run_page.get_by_test_id("lk-run-outputs")).to_contain_text("processed/scores.parquet")
    expect(run_page.get_by_test_id("lk-run-report-frame")).to_have_attribute("sandbox", "")
    lab.shot("run-page")


def test_artifact_preview_pages_through_a_long_table(
    lab: Lab, seeded: dict, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    import lamin_kernel as ln

    # 1,234 rows in row groups of 100: each page is read from its row groups only
    n_rows = 1_234
    path = tmp_path / "long.parquet"
    numbers = pa.array(range(n_rows), type=pa.int64())
    labels = pa.array([f"row {i}" for i in range(n_rows)])
    pq.write_table(pa.table({"n": numbers, "label": labels}), path, row_group_size=100)
    artifact = ln.Artifact(path, key="tables/long.parquet", description="a long table").save()
    try:
        lab.goto()
        page = lab.open_record("Artifact", artifact.uid, search="long")
        preview = page.get_by_test_id("lk-preview")
        shown = preview.get_by_test_id("lk-preview-range")
        first_cells = preview.locator("tbody tr td:first-child")
        expect(shown).to_have_text("rows 1–20 of 1,234")
        expect(first_cells).to_have_count(20)
        expect(first_cells.first).to_have_text("0")
        preview.get_by_test_id("lk-preview-next").locator("button").click()
        expect(shown).to_have_text("rows 21–40 of 1,234")
        expect(first_cells.first).to_have_text("20")
        jump = preview.get_by_test_id("lk-preview-jump")
        expect(jump).to_have_attribute("aria-label", "Go to page (1 to 62)")
        jump.fill("31")  # rows 601-620: across no boundary, from the 7th row group
        jump.press("Enter")
        expect(shown).to_have_text("rows 601–620 of 1,234")
        expect(first_cells.first).to_have_text("600")
        lab.shot("artifact-preview-paging", page.get_by_test_id("lk-preview"))
        preview.get_by_test_id("lk-preview-last").locator("button").click()
        expect(shown).to_have_text("rows 1,221–1,234 of 1,234")
        expect(first_cells).to_have_count(14)
        expect(first_cells.last).to_have_text("1233")
        preview.get_by_test_id("lk-preview-prev").locator("button").click()
        expect(shown).to_have_text("rows 1,201–1,220 of 1,234")
        preview.get_by_test_id("lk-preview-first").locator("button").click()
        expect(shown).to_have_text("rows 1–20 of 1,234")
        expect(first_cells.first).to_have_text("0")
    finally:
        artifact.delete(permanent=True)


def test_versions_diff_and_edits(lab: Lab, seeded: dict) -> None:
    old, new = seeded["metrics"]
    lab.goto()
    page = lab.open_record("Artifact", new, search="metrics")
    versions = page.get_by_test_id("lk-versions")
    expect(versions.locator("li")).to_have_count(2)
    diff = page.get_by_test_id("lk-version-diff")
    expect(diff.get_by_test_id("lk-diff-columns")).to_contain_text("+ recall")
    expect(diff.get_by_test_id("lk-diff-hash")).to_be_visible()
    lab.shot("artifact-versions", page.get_by_test_id("lk-artifact-versions"))

    # edit the description
    page.get_by_test_id("lk-edit-description").locator("button").click()
    page.get_by_test_id("lk-description-input").fill("metrics of the second training run")
    page.get_by_test_id("lk-description-save").click()
    expect(page.get_by_test_id("lk-record-description")).to_have_text(
        "metrics of the second training run"
    )
    assert lab.server.api(f"registries/Artifact/records/{new}")["record"]["description"] == (
        "metrics of the second training run"
    )

    # switch to the older version in the same tab
    versions.locator(f'li[data-uid="{old}"] button').click()
    lab.record_page(old)

    # trash and restore
    page = lab.record_page(old)
    page.get_by_test_id("lk-trash").locator("button").click()
    expect(page.get_by_test_id("lk-in-trash")).to_be_visible()
    page.get_by_test_id("lk-restore").locator("button").click()
    expect(page.get_by_test_id("lk-in-trash")).to_have_count(0)


def test_pages_open_from_a_markdown_link_and_come_back_after_a_reload(
    lab: Lab, seeded: dict
) -> None:
    notebook = {
        "cells": [
            {
                "cell_type": "markdown",
                "id": "m0",
                "metadata": {},
                "source": f"See [the scores](lamin:Artifact/{seeded['processed']}) and "
                f"[their lineage](lamin:lineage/Artifact/{seeded['processed']}).",
            }
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (lab.server.root_dir / "links.ipynb").write_text(json.dumps(notebook))
    lab.goto("tree/links.ipynb")
    link = lab.page.locator('.jp-RenderedMarkdown a[href^="lamin:Artifact/"]')
    expect(link).to_be_visible(timeout=60_000)
    link.click()
    lab.record_page(seeded["processed"])
    lab.main_tab("links.ipynb").click()
    lab.page.locator('.jp-RenderedMarkdown a[href^="lamin:lineage/"]').click()
    expect(lab.page.locator('[data-testid="lk-lineage-page"]')).to_be_visible()

    lab.reload()
    page = lab.page.locator(
        f'#jp-main-dock-panel [data-testid="lk-page"][data-uid="{seeded["processed"]}"]'
    )
    expect(page).to_have_count(1)
    expect(lab.page.locator('#jp-main-dock-panel [data-testid="lk-lineage-page"]')).to_have_count(1)
    expect(lab.main_tab("processed/scores.parquet")).to_have_count(1)


def test_transform_page_and_compare_runs(lab: Lab, seeded: dict) -> None:
    lab.goto()
    page = lab.open_record("Transform", seeded["train"], search="train")
    runs = page.get_by_test_id("lk-transform-runs")
    expect(runs.get_by_test_id("lk-run-row")).to_have_count(2)
    expect(runs).to_contain_text("lr=0.1")
    expect(runs).to_contain_text("epochs=5")
    source = page.get_by_test_id("lk-source")
    expect(source).to_contain_text("ln.track(params=")
    expect(source.locator("span").first).to_be_visible()  # highlighted by CodeMirror
    lab.shot("transform-page")

    for checkbox in runs.get_by_test_id("lk-run-select").all():
        checkbox.check()
    page.get_by_test_id("lk-compare-runs").locator("button").click()
    compare = lab.page.locator('[data-testid="lk-compare-page"]')
    expect(compare).to_be_visible()
    table = compare.get_by_test_id("lk-compare-table")
    lr = table.locator('[data-testid="lk-compare-param"]', has_text="lr")
    expect(lr).to_have_attribute("data-differs", "true")
    expect(lr).to_contain_text("0.1")
    expect(lr).to_contain_text("0.01")
    outputs = table.get_by_test_id("lk-compare-output")
    expect(outputs).to_have_attribute("data-differs", "true")
    accuracy = table.locator('[data-testid="lk-compare-feature"]', has_text="accuracy")
    expect(accuracy).to_have_attribute("data-differs", "true")
    expect(accuracy).to_contain_text("0.81")
    # parallel coordinates of params and feature values: one axis each
    figure = compare.get_by_test_id("lk-compare-figure")
    expect(figure).to_have_attribute("data-kind", "parcoords")
    axes = figure.locator(".parcoords .y-axis")
    expect(axes).to_have_count(4)  # epochs, lr, accuracy, loss
    expect(figure.locator(".parcoords")).to_contain_text("accuracy")
    lab.shot("compare-runs")
    compare.get_by_test_id("lk-compare-figure-kind").select_option("scatter")
    expect(figure.locator(".scatterlayer .point")).to_have_count(2)
    lab.shot("compare-runs-scatter", compare.get_by_test_id("lk-compare-figure-section"))
    # two runs: what changed from the first to the second (Run.diff)
    diff = compare.get_by_test_id("lk-run-diff")
    expect(diff).to_have_attribute("data-differs", "true")
    lr_change = diff.locator('[data-testid="lk-run-diff-param"][data-change="~"]', has_text="lr")
    expect(lr_change).to_contain_text(re.compile(r"0\.1 → 0\.01|0\.01 → 0\.1"))
    metrics = diff.locator('[data-testid="lk-run-diff-output"]', has_text="models/metrics.parquet")
    expect(metrics).to_have_attribute("data-change", "~")
    diff.scroll_into_view_if_needed()
    lab.shot("compare-runs-diff", diff)


def test_lineage_page(lab: Lab, seeded: dict) -> None:
    lab.goto()
    lab.open_record("Artifact", seeded["processed"], search="processed")
    lab.page.locator('[data-testid="lk-page"] [data-testid="lk-open-lineage"] button').click()
    lineage = lab.page.locator('#jp-main-dock-panel [data-testid="lk-lineage-page"]')
    expect(lineage).to_be_visible()
    graph = lineage.get_by_test_id("lk-lineage-graph")
    nodes = graph.get_by_test_id("lk-lineage-node")
    # up: raw -> prepare run -> processed; down: two train runs, their metrics
    expect(graph.locator(f'[data-node-id="run:{seeded["train_runs"][0]}"]')).to_have_count(1)
    expect(graph.locator(f'[data-node-id="artifact:{seeded["metrics"][1]}"]')).to_have_count(1)
    total = nodes.count()
    # the tab is named after the record, not its uid
    expect(lab.main_tab("Lineage · processed/scores.parquet")).to_have_count(1)
    # with the artifact page open in another tab, every edge's arrowhead is this graph's own
    # marker (a shared id resolved to the hidden page's marker and drew none)
    unresolved = graph.evaluate(
        """svg => [...svg.querySelectorAll('path.lk-LineageEdge')].filter(edge => {
            const id = (edge.getAttribute('marker-end') || '').slice(5, -1);
            return !id || !svg.querySelector(`marker[id="${id}"]`)
                || document.querySelectorAll(`[id="${id}"]`).length !== 1;
        }).length"""
    )
    assert unresolved == 0
    lab.shot("lineage-page")
    # the legend filters kinds: without runs, artifacts connect directly
    lineage.get_by_test_id("lk-lineage-kind-run").uncheck()
    expect(graph.locator('[data-kind="run"]')).to_have_count(0)
    edge = f'path[data-source="artifact:{seeded["raw"]}"][data-target="artifact:{seeded["processed"]}"]'
    expect(graph.locator(edge)).to_have_count(1)
    lineage.get_by_test_id("lk-lineage-kind-run").check()
    expect(nodes).to_have_count(total)
    # export as SVG
    with lab.page.expect_download() as download:
        lineage.get_by_test_id("lk-lineage-export-svg").locator("button").click()
    assert download.value.suggested_filename.endswith(".svg")
    svg = Path(download.value.path()).read_text()
    assert svg.startswith("<svg") and seeded["processed"] in svg
    # and as PNG: a real image of the graph
    with lab.page.expect_download() as download:
        lineage.get_by_test_id("lk-lineage-export-png").locator("button").click()
    assert download.value.suggested_filename.endswith(".png")
    png = Path(download.value.path()).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2_000


def test_open_artifact_picker(lab: Lab, seeded: dict) -> None:
    lab.goto()
    # palette labels under the Lamin category, none repeating a "Lamin:" prefix
    labels = lab.page.evaluate(
        "() => window.jupyterapp.commands.listCommands().filter(c => c.startsWith('lamin:'))"
        ".map(c => window.jupyterapp.commands.label(c))"
    )
    assert "Open Artifact…" in labels and not [x for x in labels if x.startswith("Lamin")], labels
    lab.command("lamin:open-artifact")
    lab.page.get_by_test_id("lk-picker-input").fill("measure")
    expect(lab.page.get_by_test_id("lk-picker-item")).to_have_count(1)
    lab.page.get_by_test_id("lk-picker-input").press("Enter")
    lab.record_page(seeded["raw"])


def test_context_menus(lab: Lab, seeded: dict) -> None:
    write_notebook(lab.server.root_dir / "menus.ipynb")
    (lab.server.root_dir / "menus-data.csv").write_text("a,b\n1,2\n")
    lab.goto()
    # a row of a Lamin table
    lab.choose_registry("Artifact")
    lab.row(seeded["raw"]).click(button="right")
    menu = lab.page.locator(".lm-Menu")
    for label in ("Open", "Copy Code", "Show Lineage"):
        expect(
            menu.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{label}$"))
        ).to_be_visible()
    lab.shot("context-menu-row")
    menu.locator(".lm-Menu-itemLabel", has_text=re.compile("^Show Lineage$")).click()
    expect(lab.page.locator('[data-testid="lk-lineage-page"]')).to_be_visible()

    # a file in the file browser: register it, then its lineage is offered
    lab.page.locator('.jp-SideBar .lm-TabBar-tab[data-id="filebrowser"]').click()
    item = lab.page.locator('.jp-DirListing-item[title^="Name: menus-data.csv"]')
    expect(item).to_be_visible()
    item.click(button="right")
    register = menu.locator(".lm-Menu-itemLabel", has_text="Register as Artifact")
    expect(register).to_be_visible()

    expect(menu.locator(".lm-Menu-itemLabel", has_text="Show Lineage of This File")).to_be_hidden()
    register.click()
    expect(
        lab.page.locator(".jp-toast-message", has_text="Registered menus-data.csv")
    ).to_be_visible()
    item.click(button="right")
    expect(menu.locator(".lm-Menu-itemLabel", has_text="Show Lineage of This File")).to_be_visible()
    lab.page.keyboard.press("Escape")

    # a notebook's tab
    lab.page.locator(".jp-DirListing-item[title^='Name: menus.ipynb']").dblclick()
    tab = lab.main_tab("menus.ipynb")
    expect(tab).to_be_visible(timeout=60_000)
    lab.dismiss_dialogs()
    tab.click(button="right")
    expect(
        menu.locator(".lm-Menu-itemLabel", has_text="Show Runs of This Notebook")
    ).to_be_visible()
    lab.page.keyboard.press("Escape")


def test_keyboard_shortcut_opens_the_picker(lab: Lab, seeded: dict) -> None:
    lab.goto()
    # the main commands have shortcuts (JupyterLab's key bindings, from schema/plugin.json)
    bindings = lab.page.evaluate(
        "() => window.jupyterapp.commands.keyBindings"
        ".filter(b => b.command.startsWith('lamin:')).map(b => [b.command, b.keys.join(' ')])"
    )
    assert {tuple(b) for b in bindings} >= {
        ("lamin:open-sidebar", "Alt Shift L"),
        ("lamin:open-artifact", "Alt Shift A"),
        ("lamin:open-lineage", "Alt Shift G"),
        ("lamin:track-notebook", "Alt Shift T"),
        ("lamin:finish-run", "Alt Shift F"),
        ("lamin:refresh", "Alt Shift R"),
    }, bindings
    lab.page.locator("#jp-main-dock-panel").click()
    lab.page.keyboard.press("Alt+Shift+A")
    expect(lab.page.get_by_test_id("lk-picker-input")).to_be_focused()
    lab.page.keyboard.press("Escape")
    lab.page.locator("#jp-main-dock-panel").click()
    lab.page.keyboard.press("Alt+Shift+L")
    expect(lab.sidebar).to_be_visible()


def test_run_page_checks_reproducibility(lab: Lab, seeded: dict) -> None:
    # the seeded train.py only calls ln.track(): rerun from its stored source, it makes no
    # metrics table, so the check says the original's output is missing
    run_uid = seeded["train_runs"][0]
    lab.goto()
    lab.command("lamin:open-page", {"registry": "Run", "uid": run_uid})
    page = lab.record_page(run_uid)
    section = page.get_by_test_id("lk-run-rerun")
    section.locator("summary").click()
    section.get_by_test_id("lk-rerun-check").click()
    outcome = section.get_by_test_id("lk-rerun-outcome")
    expect(outcome).to_be_visible(timeout=180_000)
    expect(outcome).to_have_attribute("data-reproduced", "false")
    row = outcome.locator('[data-testid="lk-rerun-output"]', has_text="models/metrics.parquet")
    expect(row).to_have_attribute("data-status", "missing")
    lab.shot("run-page-rerun-check", section)
