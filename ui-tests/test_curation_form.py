"""The curation form in a notebook: `curator.form()` renders as ipywidgets in JupyterLab; a
typo is replaced by its suggestion, the data validates again and is saved as an artifact,
all by clicking, in the notebook's tracked run like `curator.save_artifact()` in a cell."""

from __future__ import annotations

import re

from lamin_ui import Lab, write_notebook
from playwright.sync_api import Locator, expect

KEY = "curated/curation-form.parquet"

# The instance already has the labels and the feature (the `seeded` fixture); the cell looks
# the labels up first because `ln.ULabel(name=...)` would save a second label of that name.
BUILD = """\
import pandas as pd
import lamin_kernel as ln

ln.track()
for name in ("DMSO", "IFNG"):
    if ln.ULabel.filter(name=name).count() == 0:
        ln.ULabel(name=name).save()
perturbation = ln.Feature(name="perturbation", dtype=ln.ULabel).save()
schema = ln.Schema(features=[perturbation]).save()
df = pd.DataFrame({"perturbation": ["DMSO", "IFNG", "IFNJ", "DMSO"]})
curator = ln.curators.DataFrameCurator(df, schema)
try:
    curator.validate()
    print("validated")
except ln.errors.ValidationError as error:
    print(f"validation failed: {error}")
curator.form()
"""
CHECK = f'ln.Artifact.filter(key="{KEY}").count(), list(curator.obj["perturbation"])'


def form_button(form: Locator, name: str) -> Locator:
    return form.locator("button.widget-button", has_text=name)


def test_curation_form_fixes_a_typo_and_saves_the_artifact(lab: Lab) -> None:
    write_notebook(lab.server.root_dir / "curation.ipynb", BUILD, CHECK)
    notebook = lab.open_notebook("curation.ipynb")
    build, check = notebook.locator(".jp-Cell").all()
    lab.run_cell(build)
    output = build.locator(".jp-OutputArea")
    expect(output).to_contain_text("validation failed", timeout=30_000)

    # rendered by the widget manager (not the text/plain fallback "CurationForm(...)")
    form = output.locator(".lk-curation-form")
    expect(form).to_be_visible(timeout=30_000)
    status = form.locator(".widget-html").last
    expect(status).to_contain_text("1 feature does not validate")
    expect(form).to_contain_text("perturbation")
    expect(form).to_contain_text("not validated")
    term = form.locator(".widget-hbox").filter(has=lab.page.locator("code", has_text="IFNJ"))
    expect(term).to_have_count(1)
    dropdown = term.locator(".widget-dropdown select")
    expect(dropdown.locator("option").first).to_have_text(re.compile(r"^IFNG\b"))
    expect(dropdown).to_have_value(re.compile(r"^IFNG\b"))
    save = form_button(form, "Save artifact")
    expect(save).to_be_disabled()

    # a typo has no synonym, so the form proposes "leave"; choose "replace" with IFNG
    dropdown.select_option(label=dropdown.locator("option").first.inner_text())
    replace = term.locator("button.widget-toggle-button", has_text="replace")
    replace.click()
    expect(replace).to_have_class(re.compile(r"\bmod-active\b"))
    lab.shot("curation-form", build)

    form_button(form, "Apply").click()
    expect(term).to_have_count(0)
    form_button(form, "Validate").click()
    expect(status).to_contain_text("everything validates")
    expect(save).to_be_enabled()

    key_input = form.locator(".widget-text input")
    key_input.fill(KEY)
    key_input.press("Tab")  # the text widget syncs its value when it loses focus, at the latest
    lab.page.wait_for_timeout(500)
    save.click()
    expect(status).to_contain_text("saved artifact", timeout=30_000)
    expect(status).to_contain_text(KEY)
    expect(save).to_be_disabled()
    lab.shot("curation-form-saved", build)

    lab.run_cell(check)
    expect(check.locator(".jp-OutputArea")).to_contain_text("(1, ['DMSO', 'IFNG', 'IFNG', 'DMSO'])")
    assert not lab.dialogs, lab.dialogs

    # saved with provenance: the status bar counts it, the run lists it as an output
    status = lab.page.locator('[data-testid="lk-status"]')
    expect(status).to_contain_text("1 out")
    state = lab.server.api("notebook-state?path=curation.ipynb")
    assert state["tracked"] and state["n_outputs"] == 1, state
    run_uid = state["run"]["uid"]
    saved = lab.server.api(f"registries/Artifact/records?filter=key:exact:{KEY}")["records"]
    detail = lab.server.api(f"registries/Artifact/records/{saved[0]['uid']}")
    assert detail["links"]["run"]["uid"] == run_uid
    lab.command("lamin:open-page", {"registry": "Run", "uid": run_uid})
    outputs = lab.record_page(run_uid).get_by_test_id("lk-run-outputs")
    expect(outputs).to_contain_text(KEY)
    lab.shot("curation-form-run-outputs")

    # the artifact's page shows the validation result of the save
    artifact_uid = saved[0]["uid"]
    lab.command("lamin:open-page", {"registry": "Artifact", "uid": artifact_uid})
    validation = lab.record_page(artifact_uid).get_by_test_id("lk-artifact-validation")
    expect(validation).to_contain_text("validated")
    expect(validation).not_to_contain_text("not validated")
    expect(validation).to_contain_text("1 of 1 features validated")
    lab.shot("curation-form-artifact-validation", validation)
