"""Cells in the notebook (issue 16): a cell that loaded or saved artifacts shows a badge
(`1 in · 2 out`) right after it ran and again when the notebook is reopened; the badge lists
the artifacts and opens their pages; the artifact page's "saved by cell [n] of …" opens the
notebook at that cell, and says when the cell has changed since."""

from __future__ import annotations

import re

import pytest
from lamin_ui import Lab, write_notebook
from playwright.sync_api import Locator, expect

TRACK = "import lamin_kernel as ln\nimport pandas as pd\nln.track()"
PADDING = "# a long cell, so that the saving cell is below the fold\n" + "\n".join(
    f"step_{i} = {i}" for i in range(40)
)
SAVE = (
    "raw = ln.Artifact.get(key='raw/measurements.parquet')\n"
    "frame = raw.load()\n"
    "ln.Artifact.from_dataframe(frame.assign(part=1), key='cells/head.parquet').save()\n"
    "ln.Artifact.from_dataframe(frame.assign(part=2), key='cells/tail.parquet').save();"
)
NOTEBOOK = "cells-badge.ipynb"


def badge_of(cell: Locator) -> Locator:
    return cell.get_by_test_id("lk-cell-badge-button")


def run_tracked_notebook(lab: Lab) -> list[Locator]:
    write_notebook(lab.server.root_dir / NOTEBOOK, TRACK, PADDING, SAVE)
    notebook = lab.open_notebook(NOTEBOOK)
    cells = notebook.locator(".jp-Cell").all()
    for cell in cells:
        lab.run_cell(cell)
    lab.page.keyboard.press("Control+s")
    return cells


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_badge_lists_the_artifacts_and_jumps_back_to_the_cell(
    lab: Lab, seeded: dict, theme: str
) -> None:
    track, padding, save = run_tracked_notebook(lab)
    # the theme is a user setting of the whole server: set it either way
    lab.command("apputils:change-theme", {"theme": f"JupyterLab {theme.title()}"})
    light = "true" if theme == "light" else "false"
    expect(lab.page.locator("body")).to_have_attribute("data-jp-theme-light", light)
    # right after it ran: the kernel's cell saved two and loaded one
    badge = badge_of(save)
    expect(badge).to_have_text("1 in · 2 out")
    expect(badge_of(track)).to_have_count(0)
    expect(badge_of(padding)).to_have_count(0)
    badge.click()
    listed = save.get_by_test_id("lk-cell-badge-list")
    expect(listed).to_be_visible()
    expect(listed.get_by_test_id("lk-cell-badge-in")).to_have_text("inraw/measurements.parquet")
    outputs = listed.get_by_test_id("lk-cell-badge-out")
    expect(outputs).to_have_count(2)
    lab.shot(f"cell-badge-{theme}", save)

    # the badge opens the artifact's page, which names the cell that saved it
    head_uid = outputs.first.get_attribute("data-uid")
    outputs.first.click()
    page = lab.record_page(head_uid)
    site = page.locator('[data-testid="lk-cell-site"][data-verb="saved by"]')
    expect(site).to_contain_text(f"saved by cell [3] of {NOTEBOOK} in run")
    lab.shot(f"cell-artifact-page-{theme}", page.get_by_test_id("lk-artifact-provenance"))

    # "cell [3]" goes back to the notebook: that cell is active and in view
    site.get_by_test_id("lk-cell-link").click()
    notebook = lab.page.locator(".jp-NotebookPanel:visible")
    active = notebook.locator(".jp-Cell.jp-mod-active")
    expect(active).to_have_count(1)
    expect(active.get_by_test_id("lk-cell-badge-button")).to_have_text("1 in · 2 out")
    expect(active).to_be_in_viewport()
    expect(site.get_by_test_id("lk-cell-state")).to_have_count(0)  # unchanged: nothing to say

    # edit the cell: the badge and the artifact page say it changed since
    active.locator(".cm-content").click()
    lab.page.keyboard.press("Control+End")
    lab.page.keyboard.type("\n# edited after the run")
    expect(active.get_by_test_id("lk-cell-badge-button")).to_have_text("1 in · 2 out · changed")
    lab.main_tab("cells/head.parquet").first.click()
    site.get_by_test_id("lk-cell-link").click()
    expect(notebook.locator(".jp-Cell.jp-mod-active")).to_contain_text("# edited after the run")
    lab.main_tab("cells/head.parquet").first.click()
    state = site.get_by_test_id("lk-cell-state")
    expect(state).to_have_attribute("data-state", "changed")
    expect(state).to_contain_text("the cell has changed since")
    lab.shot(f"cell-changed-since-{theme}", page.get_by_test_id("lk-artifact-provenance"))

    # delete the cell: the notebook opens, and the page says the cell is gone
    lab.main_tab(NOTEBOOK).first.click()
    notebook.locator(".jp-Cell.jp-mod-active .jp-InputPrompt").click()
    lab.page.keyboard.press("Escape")
    lab.page.keyboard.press("d")
    lab.page.keyboard.press("d")
    expect(notebook.locator(".jp-Cell")).to_have_count(2)
    lab.main_tab("cells/head.parquet").first.click()
    site.get_by_test_id("lk-cell-link").click()
    lab.main_tab("cells/head.parquet").first.click()
    expect(state).to_have_attribute("data-state", "gone")
    expect(state).to_contain_text("the cell is gone from the notebook")


def test_badges_come_back_when_the_notebook_is_reopened(lab: Lab, seeded: dict) -> None:
    write_notebook(lab.server.root_dir / "reopened.ipynb", TRACK, SAVE)
    notebook = lab.open_notebook("reopened.ipynb")
    cells = notebook.locator(".jp-Cell").all()
    for cell in cells:
        lab.run_cell(cell)
    lab.page.keyboard.press("Control+s")
    expect(badge_of(cells[1])).to_have_text("1 in · 2 out")
    lab.page.wait_for_timeout(1000)  # the save reaches the disk
    lab.command("kernelmenu:shutdown")
    # a fresh page: the badge comes from the registry (the notebook's latest run)
    notebook = lab.open_notebook("reopened.ipynb")
    expect(badge_of(notebook.locator(".jp-Cell").nth(1))).to_have_text("1 in · 2 out")
    expect(badge_of(notebook.locator(".jp-Cell").first)).to_have_count(0)


def test_artifact_count_leaves_out_hidden_run_files(lab: Lab, seeded: dict) -> None:
    lab.goto()
    lab.choose_registry("Artifact")
    select = lab.tid("lk-registry-select")
    listed = lab.server.api("registries/Artifact/records?exclude=kind:exact:__lamindb_run__")
    everything = lab.server.api("registries/Artifact/records")
    assert everything["total"] > listed["total"]  # the seeded run has a report
    option = select.locator('option[value="Artifact"]')
    expect(option).to_have_text(f"Artifact ({listed['total']})")
    lab.tid("lk-show-run-files").check()
    expect(option).to_have_text(f"Artifact ({everything['total']})")


def test_a_cell_link_opens_the_report_when_the_notebook_is_not_there(
    lab: Lab, seeded: dict
) -> None:
    save = SAVE.replace("part=1", "part=3").replace("part=2", "part=4")
    save = save.replace("cells/head", "reported/head").replace("cells/tail", "reported/tail")
    path = lab.server.root_dir / "reported.ipynb"
    write_notebook(path, TRACK, save, "ln.finish()")
    notebook = lab.open_notebook("reported.ipynb")
    for cell in notebook.locator(".jp-Cell").all():
        lab.run_cell(cell)
    found = lab.server.api("registries/Artifact/records?filter=key:exact:reported/head.parquet")
    uid = found["records"][0]["uid"]
    path.unlink()  # moved away: the page offers the run's report instead
    lab.command("lamin:open-page", {"view": "record", "registry": "Artifact", "uid": uid})
    page = lab.record_page(uid)
    site = page.locator('[data-testid="lk-cell-site"][data-verb="saved by"]')
    expect(site).to_contain_text("saved by cell [2] of reported.ipynb in run")
    expect(site).to_contain_text("not in the workspace: opens the report")
    site.get_by_test_id("lk-cell-link").click()
    frame = lab.page.get_by_test_id("lk-run-report-frame")
    expect(frame).to_have_attribute("src", re.compile(r"/report#cell-id=c1$"))
    report = lab.page.frame_locator('[data-testid="lk-run-report-frame"]')
    expect(report.locator('[id="cell-id=c1"]')).to_contain_text("reported/head.parquet")
    expect(report.locator('[id="cell-id=c1"]')).to_be_in_viewport()
    lab.shot("cell-in-report", frame)
