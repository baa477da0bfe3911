"""Stale outputs in JupyterLab: the "upstream changed" marker on the Artifact and Run pages and
in the lineage graph, and a notebook run in the lineage graph expanded into its cells.

The records are made here, after JupyterLab started (the server reads them per request): a
notebook run loads `stale/input.parquet` in cell [2] and saves a summary in cell [3] and a
plot table in cell [4]; a script run trains on the summary; then the input gets a new version.
The cell provenance is written as tracking writes it (the call-site columns of the links).
"""

from __future__ import annotations

from typing import Any

import pytest
from lamin_ui import Lab
from playwright.sync_api import expect

FRESH = "stale/input.parquet"


def link(table: str, **values: Any) -> None:
    from sqlalchemy import insert

    from lamin_kernel import models
    from lamin_kernel.setup.session import write_transaction

    with write_transaction() as session:
        session.execute(insert(getattr(models, table).__table__).values(**values))


def cell_site(count: int) -> dict[str, Any]:
    return {"cell_id": f"cell-{count}", "execution_count": count, "cell_source_hash": "h" * 16}


@pytest.fixture(scope="module")
def stale(seeded: dict) -> dict[str, str]:
    import pandas as pd

    import lamin_kernel as ln

    old = ln.Artifact.from_dataframe(pd.DataFrame({"stale_in": [11, 12]}), key=FRESH).save()
    notebook = ln.Transform(key="stale/analysis.ipynb", kind="notebook").save()
    run = ln.Run(transform=notebook).save()
    link("RunInputArtifact", run_id=run.id, artifact_id=old.id, **cell_site(2))
    outputs = {}
    for count, key in ((3, "stale/summary.parquet"), (4, "stale/plot.parquet")):
        made = ln.Artifact.from_dataframe(
            pd.DataFrame({"stale_out": [count]}), key=key, run=run
        ).save()
        link("RunOutputArtifact", run_id=run.id, artifact_id=made.id, **cell_site(count))
        outputs[key] = made
    train = ln.Run(transform=ln.Transform(key="stale/train.py", kind="script").save()).save()
    train.input_artifacts.add(outputs["stale/summary.parquet"])
    model = ln.Artifact.from_dataframe(
        pd.DataFrame({"stale_model": [0.25]}), key="stale/model.parquet", run=train
    )
    model.save()
    new = ln.Artifact.from_dataframe(pd.DataFrame({"stale_in": [11, 12, 13]}), key=FRESH).save()
    return {
        "old": old.uid,
        "new": new.uid,
        "run": run.uid,
        "summary": outputs["stale/summary.parquet"].uid,
        "plot": outputs["stale/plot.parquet"].uid,
        "train": train.uid,
        "model": model.uid,
    }


def open_page(lab: Lab, registry: str, uid: str) -> Any:
    lab.command("lamin:open-page", {"registry": registry, "uid": uid})
    return lab.record_page(uid)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_stale_marker_on_pages_and_cells_in_the_lineage(lab: Lab, stale: dict, theme: str) -> None:
    lab.goto()
    # the theme is a user setting of the whole server: set it either way
    lab.command("apputils:change-theme", {"theme": f"JupyterLab {theme.title()}"})
    light = "true" if theme == "light" else "false"
    expect(lab.page.locator("body")).to_have_attribute("data-jp-theme-light", light)

    # the artifact page: what changed, from which version to which, the command
    page = open_page(lab, "Artifact", stale["summary"])
    banner = page.get_by_test_id("lk-upstream-changed")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(FRESH)
    expect(banner.get_by_test_id("lk-upstream-old")).to_have_text("#0000")
    expect(banner.get_by_test_id("lk-upstream-new")).to_have_attribute("data-uid", stale["new"])
    expect(banner.get_by_test_id("lk-upstream-command")).to_have_text(
        f"lamin rerun --stale {FRESH}"
    )
    banner.get_by_test_id("lk-upstream-copy").click()
    expect(lab.page.locator(".Toastify")).to_contain_text(f"Copied lamin rerun --stale {FRESH}")
    lab.shot(f"{theme}-stale-artifact-page")
    # transitively: the model trained on the summary, through the summary
    page = open_page(lab, "Artifact", stale["model"])
    change = page.get_by_test_id("lk-upstream-change")
    expect(change).to_have_attribute("data-direct", "false")
    expect(change).to_contain_text("stale/summary.parquet")
    # the newest input's own page has no marker
    page = open_page(lab, "Artifact", stale["new"])
    expect(page.get_by_test_id("lk-artifact-facts")).to_be_visible()
    expect(page.get_by_test_id("lk-upstream-changed")).to_have_count(0)

    # the run page; a click on the new version opens its page
    page = open_page(lab, "Run", stale["run"])
    banner = page.get_by_test_id("lk-upstream-changed")
    expect(banner).to_contain_text("This run was made from an input")
    expect(page.get_by_test_id("lk-run-inputs")).to_contain_text(FRESH)
    expect(
        page.get_by_test_id("lk-run-lineage").get_by_test_id("lk-lineage-stale").first
    ).to_be_visible()
    lab.shot(f"{theme}-stale-run-page")
    banner.get_by_test_id("lk-upstream-new").click()
    lab.record_page(stale["new"])

    # the lineage graph: stale nodes marked, a legend entry; the run expands into cells
    lab.command("lamin:open-page", {"view": "lineage", "registry": "Run", "uid": stale["run"]})
    lineage = lab.page.locator('#jp-main-dock-panel [data-testid="lk-lineage-page"]')
    graph = lineage.get_by_test_id("lk-lineage-graph")
    run_node = graph.locator(f'[data-node-id="run:{stale["run"]}"]')
    expect(run_node).to_have_attribute("data-stale", "true")
    for uid in (stale["summary"], stale["plot"], stale["model"]):
        expect(graph.locator(f'[data-node-id="artifact:{uid}"]')).to_have_attribute(
            "data-stale", "true"
        )
    expect(graph.locator(f'[data-node-id="artifact:{stale["old"]}"]')).not_to_have_attribute(
        "data-stale", "true"
    )
    expect(lineage.get_by_test_id("lk-lineage-legend-stale")).to_contain_text("upstream changed")
    nodes = graph.get_by_test_id("lk-lineage-node")
    before = nodes.count()
    lab.shot(f"{theme}-stale-lineage")

    run_node.get_by_test_id("lk-lineage-toggle-cells").click()
    cells = graph.locator('[data-kind="cell"]')
    expect(cells).to_have_count(3)
    expect(cells).to_contain_text(["cell [2]", "cell [3]", "cell [4]"])
    cell_2 = f"cell:{stale['run']}:cell:cell-2"
    cell_3 = f"cell:{stale['run']}:cell:cell-3"
    expect(graph.locator(f'[data-node-id="{cell_2}"]')).to_have_attribute("data-stale", "true")
    edge = 'path[data-source="{}"][data-target="{}"]'
    expect(graph.locator(edge.format(f"artifact:{stale['old']}", cell_2))).to_have_count(1)
    expect(graph.locator(edge.format(cell_3, f"artifact:{stale['summary']}"))).to_have_count(1)
    expect(
        graph.locator(edge.format(f"run:{stale['run']}", f"artifact:{stale['summary']}"))
    ).to_have_count(0)
    expect(lineage.get_by_test_id("lk-lineage-kind-cell")).to_be_visible()
    lab.shot(f"{theme}-lineage-cells")
    # a cell opens its run's page
    graph.locator(f'[data-node-id="{cell_3}"]').click()
    lab.record_page(stale["run"])
    # the Lineage page's tab: named after the run, its caption carries the uid
    lab.page.locator(
        f'#jp-main-dock-panel .lm-TabBar-tab[title^="Lineage of Run"][title*="{stale["run"]}"]'
    ).click()
    run_node.get_by_test_id("lk-lineage-toggle-cells").click()
    expect(cells).to_have_count(0)
    expect(nodes).to_have_count(before)
