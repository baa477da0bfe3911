"""Every kind of page with realistic records, in JupyterLab's light and dark themes: each
page opens, is named, shows its sections, and is kept as a screenshot (ui-tests/screenshots/)
for a person to look at."""

from __future__ import annotations

import pytest
from lamin_ui import Lab
from playwright.sync_api import expect

# (screenshot name, registry, seeded key, a section the page must show)
PAGES = [
    ("artifact", "Artifact", "processed", "lk-artifact-downstream"),
    ("transform", "Transform", "train", "lk-transform-runs"),
    ("run", "Run", "train_runs", "lk-run-features"),
    ("collection", "Collection", "collection", "lk-related-artifacts"),
    ("record", "Record", "sample", "lk-describe-section"),
    ("ulabel", "ULabel", "label", "lk-describe-section"),
    ("feature", "Feature", "perturbation", "lk-describe-section"),
    ("schema", "Schema", "schema", "lk-related-features"),
    ("celltype", "CellType", "cell_type", "lk-describe-section"),
]


# controls of a page without an accessible name, or not reachable by the keyboard
UNNAMED_CONTROLS = """page => [...page.querySelectorAll(
    'button, input, select, textarea, a[href], summary, [role="button"]'
)].filter(el => el.getClientRects().length > 0).filter(el => {
    const named = (el.getAttribute('aria-label') || el.getAttribute('title') || '').trim()
        || (el.getAttribute('aria-labelledby') && document.getElementById(
            el.getAttribute('aria-labelledby'))?.textContent.trim())
        || (el.labels && [...el.labels].some(l => l.textContent.trim()))
        || (el.placeholder || '').trim()
        || (!['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && el.textContent.trim());
    const focusable = el.tabIndex >= 0 || el.disabled;
    return !named || !focusable;
}).map(el => el.outerHTML.slice(0, 160))"""


def _uid(seeded: dict, key: str) -> str:
    value = seeded[key]
    return value[-1] if isinstance(value, list) else value


def _open(lab: Lab, registry: str, uid: str) -> None:
    lab.command("lamin:open-page", {"registry": registry, "uid": uid})
    lab.record_page(uid)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_in_both_themes(lab: Lab, seeded: dict, theme: str) -> None:
    lab.goto()
    # the theme is a user setting of the whole server (an earlier test may have left it dark)
    lab.command("apputils:change-theme", {"theme": f"JupyterLab {theme.title()}"})
    light = "true" if theme == "light" else "false"
    expect(lab.page.locator("body")).to_have_attribute("data-jp-theme-light", light)
    lab.open_sidebar()
    lab.shot(f"{theme}-sidebar", lab.page.locator("#lamin-sidebar"))
    for name, registry, key, section in PAGES:
        uid = _uid(seeded, key)
        _open(lab, registry, uid)
        page = lab.record_page(uid)
        expect(page.get_by_test_id(section)).to_be_visible()
        expect(page.locator(".lk-Loading")).to_have_count(0)
        describe = page.get_by_test_id("lk-describe-section")
        if describe.count():  # the describe tree is never empty
            expect(describe.get_by_test_id("lk-describe")).to_contain_text(uid[:8])
        assert page.evaluate(UNNAMED_CONTROLS) == [], name
        # the page's toolbar: JupyterLab's icons on every button, no text glyphs
        toolbar = page.locator(".lk-PageToolbar").first
        expect(toolbar.locator("button, a").first).to_be_visible()
        assert (
            toolbar.evaluate(
                "bar => [...bar.querySelectorAll('button, a')].filter(b => !b.querySelector('svg'))"
                ".map(b => b.textContent)"
            )
            == []
        ), name
        lab.shot(f"{theme}-{name}-page")
    run_uid = _uid(seeded, "train_runs")
    lab.command("lamin:open-page", {"view": "compare", "transform": seeded["train"], "runs": []})
    compare = lab.page.locator('#jp-main-dock-panel [data-testid="lk-compare-page"]')
    expect(compare.get_by_test_id("lk-compare-figure").locator(".parcoords")).to_be_visible()
    expect(compare).to_contain_text(run_uid[:8])
    assert compare.evaluate(UNNAMED_CONTROLS) == [], "compare"
    lab.shot(f"{theme}-compare-page")
    lab.command(
        "lamin:open-page", {"view": "lineage", "registry": "Artifact", "uid": seeded["processed"]}
    )
    lineage = lab.page.locator('#jp-main-dock-panel [data-testid="lk-lineage-page"]')
    expect(lineage.get_by_test_id("lk-lineage-node").first).to_be_visible()
    assert lineage.evaluate(UNNAMED_CONTROLS) == [], "lineage"
    assert lab.sidebar.evaluate(UNNAMED_CONTROLS) == [], "sidebar"
    lab.shot(f"{theme}-lineage-page")
