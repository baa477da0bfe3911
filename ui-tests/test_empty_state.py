"""A new user's first screens, in a JupyterLab of its own on an empty Lamin settings folder
(the other UI tests share one seeded instance): the sidebar says there is no instance and
offers "Create instance"; the button makes one in ./lamin-data of the server's root; its
empty Artifact registry says how to start and offers "Track the active notebook".
Screenshots in light and dark."""

from __future__ import annotations

from lamin_ui import SIDEBAR_TAB, Lab
from playwright.sync_api import expect


def test_no_instance_then_create_instance_then_how_to_start(new_user_lab: Lab) -> None:
    lab = new_user_lab
    lab.goto()
    lab.page.locator(SIDEBAR_TAB).click()
    expect(lab.sidebar).to_be_visible()

    # no instance: what it is, where it will go, the button
    empty = lab.tid("lk-no-instance")
    expect(empty).to_contain_text("No Lamin instance yet")
    expect(empty).to_contain_text("An instance keeps your data and its lineage")
    expect(empty.locator("code").last).to_have_text("lamin init --storage ./lamin-data")
    expect(empty).not_to_contain_text("./mydata")  # the server's terminal hint is not repeated
    expect(lab.tid("lk-instance-name")).to_have_text("Lamin")
    expect(lab.tid("lk-instance-info")).to_have_text("not connected")
    expect(lab.tid("lk-tab-registries")).to_have_count(0)  # nothing to show under tabs yet
    create = lab.tid("lk-create-instance")
    expect(create).to_have_text("Create instance")
    for theme in ("light", "dark"):
        lab.set_theme(theme)
        lab.shot(f"{theme}-no-instance", lab.sidebar)

    # "Create instance" makes one next to the notebooks and the sidebar connects to it
    create.click()
    expect(lab.tid("lk-no-instance")).to_have_count(0)
    info = lab.server.api("instance")
    expect(lab.tid("lk-instance-name")).to_have_text(info["name"])
    expect(lab.tid("lk-instance-info")).to_have_text("sqlite · main")
    assert (lab.server.root_dir / "lamin-data").is_dir()
    assert lab.page_errors == []

    # its Artifact registry is empty: how to start, and the button that tracks the notebook
    lab.tid("lk-tab-registries").click()
    lab.tid("lk-registry-select").select_option("Artifact")
    start = lab.tid("lk-record-empty")
    expect(start).to_contain_text("No Artifact records yet")
    expect(start).to_contain_text("Track a notebook with ln.track()")
    expect(start.get_by_role("button", name="Track the active notebook")).to_be_visible()
    expect(lab.tid("lk-page-info")).to_have_count(0)
    for theme in ("dark", "light"):
        lab.set_theme(theme)
        lab.shot(f"{theme}-empty-artifact-registry", lab.sidebar)
