"""Registry text is shown as text; the run report is sandboxed and its script never runs."""

from __future__ import annotations

from lamin_ui import XSS_DESCRIPTION, XSS_LABEL, Lab
from playwright.sync_api import expect


def test_markup_in_descriptions_and_names_is_literal_text(lab: Lab, seeded: dict) -> None:
    lab.goto()
    lab.open_record("Artifact", seeded["hostile"], search="markup")
    expect(lab.tid("lk-record-description")).to_have_text(XSS_DESCRIPTION)
    expect(lab.tid("lk-record-field-description")).to_contain_text(XSS_DESCRIPTION)
    chips = lab.tid("lk-record-labels").locator(".lk-Chip")
    expect(chips).to_have_text([XSS_LABEL])
    describe = lab.tid("lk-record-describe")
    describe.locator("summary").click()
    expect(describe).to_contain_text(XSS_DESCRIPTION)
    expect(describe).to_contain_text(XSS_LABEL)
    lab.tid("lk-record-labels").scroll_into_view_if_needed()
    lab.shot("xss-artifact-labels", lab.sidebar)
    lab.tid("lk-record-description").scroll_into_view_if_needed()
    lab.shot("xss-artifact-detail", lab.sidebar)

    # the label in the ULabel registry's table
    lab.choose_registry("ULabel")
    row = lab.row(seeded["hostile_label"])
    expect(row).to_be_visible()
    expect(row).to_contain_text(XSS_LABEL)
    lab.shot("xss-ulabel-table", lab.sidebar)

    # nothing was parsed as markup, nothing ran
    assert lab.sidebar.locator('img[src="x"]').count() == 0
    assert lab.page.locator('img[src="x"]').count() == 0
    assert lab.sidebar.locator("script").count() == 0
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
    lab.open_record("Artifact", seeded["processed"], search="processed")
    lab.tid("lk-open-report").click()
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
    lab.shot("run-report", lab.page.locator(".lk-RunReportPanel"))
