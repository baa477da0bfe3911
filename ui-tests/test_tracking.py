"""Tracking from the notebook: a cell runs `ln.track()` and the status bar turns to tracked;
the toolbar's ln.track() / ln.finish() buttons (commands lamin:track-notebook, lamin:finish-run)."""

from __future__ import annotations

import json
import re

import pytest
from lamin_ui import Lab, write_notebook
from playwright.sync_api import Locator, expect


def _has_track() -> bool:
    try:
        import lamin_kernel as ln

        return callable(ln.track) and callable(ln.finish)
    except (AttributeError, ImportError):
        return False


needs_tracking = pytest.mark.xfail(
    not _has_track(),
    reason="ln.track / ln.finish are not available yet (tracking engineer)",
    strict=False,
)


def open_notebook(lab: Lab, name: str) -> Locator:
    """Open a notebook and wait until its kernel is connected and idle."""
    lab.goto(f"tree/{name}")
    notebook = lab.page.locator(".jp-NotebookPanel:visible")
    expect(notebook).to_be_visible(timeout=60_000)
    lab.dismiss_dialogs()
    expect(lab.page.locator("#jp-main-statusbar")).to_contain_text(
        "Python 3 (ipykernel) | Idle", timeout=60_000
    )
    return notebook


def run_cell(lab: Lab, cell: Locator) -> None:
    """Run a cell in place (Ctrl+Enter); once more if the first request was dropped
    because the kernel connection was still settling."""
    prompt = cell.locator(".jp-InputPrompt")
    for attempt in range(2):
        cell.locator(".cm-content").click()
        lab.page.keyboard.press("Control+Enter")
        try:
            expect(prompt).not_to_have_text("[ ]:", timeout=10_000)
            return
        except AssertionError:
            if attempt == 1:
                raise


def cell_output(cell: Locator) -> str:
    return cell.locator(".jp-OutputArea").inner_text()


@needs_tracking
def test_track_cell_turns_the_status_bar_to_tracked(lab: Lab) -> None:
    notebook = open_notebook(lab, "track.ipynb")
    status = lab.page.locator('[data-testid="lk-status"]')
    expect(status).to_have_attribute("data-tracked", "false")
    expect(status).to_have_text("Lamin: not tracked")

    cell = notebook.locator(".jp-Cell").first
    cell.locator(".cm-content").click()
    cell.locator(".cm-content").fill("import lamin_kernel as ln; ln.track()")
    run_cell(lab, cell)
    expect(cell.locator(".jp-InputPrompt")).to_have_text("[1]:", timeout=30_000)

    expect(status).to_have_attribute("data-tracked", "true", timeout=30_000)
    state = lab.server.api("notebook-state?path=track.ipynb")
    assert state["tracked"] is True, (state, cell_output(cell))
    run_uid = state["run"]["uid"]
    expect(status).to_contain_text("Lamin: track.ipynb")
    expect(status).to_contain_text(f"run {run_uid[:7]}")
    expect(status).to_have_attribute("title", re.compile(rf"(^|\n)Run {run_uid}(\n|$)"))
    lab.shot("status-tracked")
    lab.shot("status-item", status)

    # a click on the status item opens the lineage of the notebook's run
    status.click()
    lab.open_sidebar()
    expect(lab.tid("lk-tab-lineage")).to_have_attribute("aria-selected", "true")
    expect(lab.tid("lk-lineage-target")).to_have_attribute("data-uid", run_uid)
    expect(lab.tid("lk-lineage-target")).to_contain_text("Current run")
    graph = lab.tid("lk-lineage-graph")
    expect(graph.locator(f'[data-node-id="run:{run_uid}"]')).to_have_attribute("data-kind", "run")
    node = graph.locator(f'[data-node-id="transform:{state["transform"]["uid"]}"]')
    expect(node).to_have_attribute("data-kind", "transform")
    lab.shot("lineage-current-run", lab.sidebar)


@needs_tracking
def test_toolbar_track_and_finish_commands(lab: Lab) -> None:
    write_notebook(lab.server.root_dir / "commands.ipynb", "x = 1")
    notebook = open_notebook(lab, "commands.ipynb")
    status = lab.page.locator('[data-testid="lk-status"]')
    expect(status).to_have_attribute("data-tracked", "false")

    # lamin:track-notebook inserts `import lamin_kernel as ln; ln.track()` on top and runs it
    notebook.locator(".lk-TrackButton").click()
    cells = notebook.locator(".jp-Cell")
    expect(cells).to_have_count(2)
    expect(cells.first.locator(".cm-content")).to_have_text("import lamin_kernel as lnln.track()")
    expect(status).to_have_attribute("data-tracked", "true", timeout=30_000)
    expect(status).to_contain_text("Lamin: commands.ipynb")

    # lamin:finish-run appends `ln.finish()` and runs it; the run gets its finish time
    notebook.locator(".lk-FinishButton").click()
    expect(cells).to_have_count(3)
    last = cells.last
    expect(last.locator(".cm-content")).to_have_text("ln.finish()")
    expect(last.locator(".jp-InputPrompt")).to_have_text("[2]:", timeout=60_000)
    expect(status).to_have_attribute("title", re.compile(r"\nfinished "), timeout=30_000)
    state = lab.server.api("notebook-state?path=commands.ipynb")
    assert state["tracked"] is True and state["run"]["finished_at"], (state, cell_output(last))
    lab.shot("status-finished")
    # what the kernel wrote into the notebook file is valid JSON (it was saved before finishing)
    saved = json.loads((lab.server.root_dir / "commands.ipynb").read_text())
    assert any("ln.finish()" in "".join(c["source"]) for c in saved["cells"])
