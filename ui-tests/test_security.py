"""Registry text is shown as text; the run report is sandboxed and its script never runs."""

from __future__ import annotations

from lamin_ui import XSS_DESCRIPTION, XSS_LABEL, Lab
from playwright.sync_api import expect


def test_markup_in_descriptions_and_names_is_literal_text(lab: Lab, seeded: dict) -> None:
    lab.goto()
    page = lab.open_record("Artifact", seeded["hostile"], search="markup")
    expect(page.get_by_test_id("lk-record-description")).to_have_text(XSS_DESCRIPTION)
    chips = page.get_by_test_id("lk-record-labels").locator(".lk-Chip > span")
    expect(chips).to_have_text([XSS_LABEL])
    describe = page.get_by_test_id("lk-describe-section")
    describe.locator("summary").first.click()
    expect(describe).to_contain_text(XSS_DESCRIPTION)
    expect(describe).to_contain_text(XSS_LABEL)
    lab.shot("xss-artifact-page")

    # the label's own page and its row in the ULabel registry's table
    chips.first.scroll_into_view_if_needed()
    lab.choose_registry("ULabel")
    row = lab.row(seeded["hostile_label"])
    expect(row).to_be_visible()
    expect(row).to_contain_text(XSS_LABEL)
    row.click()
    label_page = lab.record_page(seeded["hostile_label"])
    expect(label_page.get_by_test_id("lk-page-title")).to_have_text(XSS_LABEL)
    lab.shot("xss-ulabel-page")

    # nothing was parsed as markup, nothing ran
    assert lab.page.locator('img[src="x"]').count() == 0
    assert lab.page.locator("#jp-main-dock-panel script, #lamin-sidebar script").count() == 0
    lab.page.wait_for_timeout(500)  # give a would-be onerror handler its chance to fire
    assert lab.dialogs == []


def test_run_report_is_sandboxed_and_its_script_does_not_run(lab: Lab, seeded: dict) -> None:
    # the server's answer: a CSP that sandboxes the page and allows no script at all
    status, headers, body = lab.server.get(f"lamin/api/runs/{seeded['run']}/report")
    assert status == 200 and b"<script>" in body
    csp = {k.lower(): v for k, v in headers.items()}["content-security-policy"]
    directives = [d.strip() for d in csp.split(";")]
    assert "sandbox" in directives
    assert "default-src 'none'" in directives
    assert not any(d.startswith("script-src") for d in directives)
    assert "unsafe-inline" not in csp.replace("style-src 'unsafe-inline'", "")
    status, _, _ = lab.server.get(f"lamin/api/runs/{seeded['run']}/report", auth=False)
    assert status == 403

    # the frame in JupyterLab
    lab.goto()
    lab.command("lamin:open-page", {"registry": "Run", "uid": seeded["run"]})
    lab.record_page(seeded["run"])
    frame = lab.page.locator('iframe[data-testid="lk-run-report-frame"]')
    expect(frame).to_be_visible()
    expect(frame).to_have_attribute("sandbox", "")  # no allow-scripts, no allow-same-origin
    content = lab.page.frame_locator('iframe[data-testid="lk-run-report-frame"]')
    expect(content.locator("#report-title")).to_have_text("Run report of prepare.py")
    expect(content.locator("body")).not_to_have_attribute("data-script-ran", "yes")
    lab.page.wait_for_timeout(500)
    assert lab.page.evaluate("() => window.__lkReportScriptRan") is None
    assert lab.page.title() != "pwned"
    assert lab.dialogs == []
    lab.shot("run-report", lab.page.get_by_test_id("lk-run-report"))
