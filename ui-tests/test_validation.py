"""The validation panel: a failed report, its failing feature and non-validated term."""

from __future__ import annotations

from lamin_ui import Lab
from playwright.sync_api import expect


def test_validation_panel_shows_the_failing_feature(lab: Lab, seeded: dict) -> None:
    lab.goto()
    page = lab.open_record("Run", seeded["curate_run"])
    page.get_by_test_id("lk-open-validation").locator("button").click()
    expect(lab.tid("lk-tab-validation")).to_have_attribute("aria-selected", "true")
    expect(lab.tid("lk-validation-target")).to_contain_text(seeded["curate_run"])

    report = lab.tid("lk-validation-report")
    expect(report).to_have_count(1)
    expect(report).to_have_attribute("data-passed", "false")
    expect(report).to_have_attribute("open", "")  # failed reports start open
    feature = report.locator('[data-testid="lk-validation-feature"][data-feature="perturbation"]')
    expect(feature).to_have_attribute("data-status", "not_validated")
    terms = report.get_by_test_id("lk-validation-term")
    expect(terms).to_have_count(1)
    expect(terms).to_contain_text("IFNJ")
    expect(terms).to_contain_text("IFNG")  # the suggestion
    lab.shot("validation", lab.sidebar)
