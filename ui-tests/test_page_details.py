"""The details of the pages that issue 15 lists one by one: the Artifact page's previews (image,
text, AnnData obs/var) and actions (copy and insert code, download, show in the file browser,
add and remove labels); the Run page's environment diff to another run and a failed run's
error; the Transform page's latest report. Screenshots in light and dark."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lamin_ui import Lab, write_notebook
from playwright.sync_api import expect


def _open(lab: Lab, registry: str, uid: str):  # noqa: ANN202 - a Playwright Locator
    lab.command("lamin:open-page", {"registry": registry, "uid": uid})
    return lab.record_page(uid)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_previews_of_an_image_a_text_and_an_anndata(lab: Lab, seeded: dict, theme: str) -> None:
    lab.goto()
    lab.set_theme(theme)
    page = _open(lab, "Artifact", seeded["image"])
    image = page.get_by_test_id("lk-preview")
    expect(image).to_have_attribute("alt", "Preview of figures/gradient.png")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 96
    lab.shot(f"{theme}-preview-image", page.get_by_test_id("lk-artifact-preview"))

    page = _open(lab, "Artifact", seeded["text"])
    expect(page.get_by_test_id("lk-preview")).to_have_text(
        "Scores were computed per sample.\nSee the README.\n"
    )

    page = _open(lab, "Artifact", seeded["anndata"])
    preview = page.get_by_test_id("lk-preview")
    expect(preview).to_contain_text("3 observations × 2 variables")
    obs = preview.get_by_test_id("lk-preview-obs")
    expect(obs.locator("th")).to_contain_text(["cell_type"])
    expect(obs).to_contain_text("B cell")
    expect(preview.get_by_test_id("lk-preview-var")).to_contain_text("CD19")
    lab.shot(f"{theme}-preview-anndata")


def test_artifact_actions(lab: Lab, seeded: dict) -> None:
    uid = seeded["in_place"]
    write_notebook(lab.server.root_dir / "actions.ipynb")
    lab.goto("tree/actions.ipynb")
    expect(lab.main_tab("actions.ipynb")).to_be_visible(timeout=60_000)
    lab.dismiss_dialogs()
    page = _open(lab, "Artifact", uid)

    # copy code: the notification names what was copied
    page.get_by_test_id("lk-copy-code").locator("button").click()
    code = f'ln.Artifact.get("{uid}")'
    expect(lab.page.locator(".jp-toast-message", has_text=f"Copied {code}")).to_be_visible()

    # download: a same-origin link to the file, named after the key
    download = page.get_by_test_id("lk-download")
    expect(download).to_have_attribute("download", "in-place.csv")
    with lab.page.expect_download() as done:
        download.click()
    assert Path(done.value.path()).read_text() == "sample,value\ns1,1\n"

    # labels: a name that is no ULabel is refused inline and nothing is linked
    page.get_by_test_id("lk-add-label-input").fill("no such label")
    page.get_by_test_id("lk-add-label").locator("button").click()
    expect(page.get_by_test_id("lk-edit-error")).to_contain_text("no ULabel named")
    # existing ones are added by name as chips (the REST answer agrees), removed by a chip
    page.get_by_test_id("lk-add-label-input").fill("DMSO, IFNG")
    page.get_by_test_id("lk-add-label").locator("button").click()
    chips = page.get_by_test_id("lk-labels-ulabels")
    expect(chips.locator("li")).to_have_count(2)
    expect(page.get_by_test_id("lk-edit-error")).to_have_count(0)
    names = {
        label["name"]
        for label in lab.server.api(f"registries/Artifact/records/{uid}")["labels"]["ulabels"]
    }
    assert names == {"DMSO", "IFNG"}
    chips.get_by_role("button", name="Remove IFNG").click()
    expect(chips.locator("li")).to_have_count(1)
    expect(chips).to_contain_text("DMSO")
    lab.shot("artifact-actions", page)

    # show in the file browser: the file browser opens the folder with the file selected
    page.get_by_test_id("lk-show-in-browser").locator("button").click()
    item = lab.page.locator('.jp-DirListing-item[title^="Name: in-place.csv"]')
    expect(item).to_be_visible()
    expect(item).to_have_class(re.compile(r"\bjp-mod-selected\b"))
    expect(lab.page.locator(".jp-FileBrowser .jp-BreadCrumbs")).to_contain_text("tables")

    # insert code: a new cell below the notebook's active cell holds the code
    lab.main_tab("actions.ipynb").click()
    _open(lab, "Artifact", uid).get_by_test_id("lk-insert-code").locator("button").click()
    lab.main_tab("actions.ipynb").click()
    cells = lab.page.locator(".jp-NotebookPanel:visible .jp-Cell .cm-content")
    expect(cells.filter(has_text=code)).to_have_count(1)


def test_artifact_saved_into_the_storage_is_not_shown_in_the_file_browser(
    lab: Lab, seeded: dict
) -> None:
    # its file is in the storage's hidden .lamindb/ folder: no button that would lead nowhere
    lab.goto()
    page = _open(lab, "Artifact", seeded["processed"])
    expect(page.get_by_test_id("lk-download")).to_be_visible()
    expect(page.get_by_test_id("lk-show-in-browser")).to_have_count(0)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_run_page_environment_diff_and_a_failed_run(lab: Lab, seeded: dict, theme: str) -> None:
    first, second = seeded["train_runs"]
    lab.goto()
    lab.set_theme(theme)
    page = _open(lab, "Run", first)
    environment = page.get_by_test_id("lk-run-environment")
    environment.locator("summary").click()
    expect(environment.get_by_test_id("lk-env-packages")).to_contain_text("numpy")
    environment.get_by_test_id("lk-env-diff-other").select_option(index=1)
    diff = environment.get_by_test_id("lk-env-diff")
    numpy = diff.locator('[data-testid="lk-env-diff-package"]', has_text="numpy")
    expect(numpy).to_have_attribute("data-change", "~")
    expect(numpy).to_contain_text(re.compile(r"2\.3\.0 → 2\.5\.0|2\.5\.0 → 2\.3\.0"))
    expect(diff).to_contain_text("2 the same")
    lab.shot(f"{theme}-run-environment-diff", environment)

    page = _open(lab, "Run", seeded["failed_run"])
    expect(page.get_by_test_id("lk-status-badge")).to_have_text("failed")
    expect(page.get_by_test_id("lk-run-error")).to_contain_text("the loss diverged at epoch 3")
    lab.shot(f"{theme}-failed-run-page")
    assert second


def test_transform_page_shows_the_latest_report(lab: Lab, seeded: dict) -> None:
    lab.goto()
    page = _open(lab, "Transform", seeded["prepare"])
    report = page.get_by_test_id("lk-transform-report")
    report.locator("summary").click()
    frame = report.locator("iframe")
    expect(frame).to_have_attribute("sandbox", "")
    expect(frame).to_have_attribute("src", re.compile(f"runs/{seeded['run']}/report"))
    expect(page.get_by_test_id("lk-transform-versions")).to_be_visible()
