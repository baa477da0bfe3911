"""Live state: a cell that saves an artifact shows up in the open sidebar table, the open
run page and the status bar, without a refresh."""

from __future__ import annotations

from lamin_ui import Lab, write_notebook
from playwright.sync_api import expect

TRACK = "import lamin_kernel as ln\nln.track()"
SAVE = (
    "import pandas as pd\n"
    "live = ln.Artifact.from_dataframe(pd.DataFrame({'x': [1, 2]}), key='live/new.parquet')\n"
    "live = live.save()\n"
    "live.uid"
)


def test_a_saved_artifact_appears_without_a_refresh(lab: Lab) -> None:
    write_notebook(lab.server.root_dir / "live.ipynb", TRACK, SAVE)
    notebook = lab.open_notebook("live.ipynb")
    track, save = notebook.locator(".jp-Cell").all()
    lab.run_cell(track)
    status = lab.page.locator('[data-testid="lk-status"]')
    expect(status).to_have_attribute("data-tracked", "true")
    expect(status).to_contain_text("0 in / 0 out")

    lab.choose_registry("Artifact")
    rows = lab.sidebar.get_by_test_id("lk-record-row")
    expect(rows.first).to_be_visible()
    expect(
        lab.sidebar.locator('[data-testid="lk-record-row"]', has_text="live/new.parquet")
    ).to_have_count(0)

    lab.run_cell(save)
    # no click on refresh: the kernel's comm message makes the table reload
    expect(
        lab.sidebar.locator('[data-testid="lk-record-row"]', has_text="live/new.parquet")
    ).to_be_visible()
    expect(status).to_contain_text("0 in / 1 out")
    lab.shot("live-update")


def test_view_lineage_in_a_notebook_is_the_same_graph(lab: Lab, seeded: dict) -> None:
    cell = f'import lamin_kernel as ln\nln.Artifact.get("{seeded["processed"]}").view_lineage()'
    write_notebook(lab.server.root_dir / "lineage-output.ipynb", cell)
    notebook = lab.open_notebook("lineage-output.ipynb")
    first = notebook.locator(".jp-Cell").first
    lab.run_cell(first)
    output = first.locator('[data-testid="lk-lineage-output"]')
    expect(output).to_be_visible()
    nodes = output.get_by_test_id("lk-lineage-node")
    expect(nodes).to_have_count(4)  # upstream: the artifact, its run, transform and input
    expect(output.locator(f'[data-node-id="artifact:{seeded["raw"]}"]')).to_be_visible()
    lab.shot("lineage-output", first)
    # expanding asks the server for more: the train runs downstream appear
    output.get_by_test_id("lk-lineage-expand-downstream").locator("button").click()
    expect(output.locator(f'[data-node-id="run:{seeded["train_runs"][0]}"]')).to_be_visible()
    # a node opens its page
    output.locator(f'[data-node-id="artifact:{seeded["raw"]}"]').click()
    lab.record_page(seeded["raw"])
