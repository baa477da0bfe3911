"""The JupyterLab pages (issue 15), lamin_kernel only, in a real ``jupyter lab`` driven by
Playwright in Debian's Chromium (started as ``sidebar_first_page`` starts it).

- ``artifact_page`` (in the query family's 100,000-artifact instance): from the pointerdown
  on a row of the sidebar's Artifact table to the first animation frame in which the
  artifact's page is fully rendered (title named, preview, versions and "Used by" loaded,
  nothing loading). Median of REPS clicks on different rows, page cache cold for each row.
- ``live_update``: a tracked notebook saves an artifact; from the moment the kernel committed
  it (``time.time()`` printed by the cell right after ``save()``) to the first frame in
  which its row is in the open sidebar table (``Date.now()``). No refresh is clicked.
- ``lineage_page``: a lineage of about 500 nodes (1 input, 25 runs with 4 outputs each,
  100 runs reading those with 3 outputs each, 2 transforms); from the click on the
  artifact page's "Lineage" button to the frame in which every node is laid out on screen
  (``median_s``), and then to the frame that draws a wheel zoom sent right after
  (``interactive_median_s``; both in the page's clock).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from ._child import Ctx, main, median, progress
from .sidebar_first_page import LAB_TIMEOUT_MS, _load_lab, _ui_helpers, jupyter_lab

REPS = 5
ROW = '#lamin-sidebar [data-testid="lk-record-row"]'
PAGE = '#jp-main-dock-panel [data-testid="lk-page"]'

# Installed before a click: from the pointerdown on `startSelector` to the first frame in
# which `done()` (a function body) is true.
WATCH_JS = """([startSelector, doneBody]) => {
  const done = new Function(doneBody);
  const state = { down: null, visible: null };
  window.__lkBench = state;
  const frame = () => {
    if (done()) state.visible = performance.now();
    else requestAnimationFrame(frame);
  };
  const onDown = event => {
    if (state.down !== null || !event.target.closest(startSelector)) return;
    state.down = event.timeStamp;
    window.removeEventListener('pointerdown', onDown, true);
    requestAnimationFrame(frame);
  };
  window.addEventListener('pointerdown', onDown, true);
}"""

PAGE_DONE = """
const page = document.querySelector('#jp-main-dock-panel [data-testid="lk-page"]');
if (!page || page.dataset.uid !== window.__lkUid) return false;
const title = page.querySelector('[data-testid="lk-page-title"]');
return !!title && title.textContent !== window.__lkUid
  && !!page.querySelector('[data-testid="lk-preview"]')
  && !!page.querySelector('[data-testid="lk-versions"]')
  && !!page.querySelector('[data-testid="lk-artifact-downstream"] .lk-SectionBody > *')
  && !page.querySelector('.lk-Loading');
"""

# After LINEAGE_DONE's frame: a wheel event on the graph, then the first frame in which the
# zoom it asked for is drawn (data-zoom changed): the page's own clock for "interactive".
LINEAGE_WHEEL_JS = """() => new Promise(resolve => {
  const svg = document.querySelector('[data-testid="lk-lineage-page"] svg.lk-LineageSvg');
  const zoom = svg.dataset.zoom;
  const box = svg.getBoundingClientRect();
  const sent = performance.now();
  svg.dispatchEvent(new WheelEvent('wheel', {
    deltaY: -200, clientX: box.left + box.width / 2, clientY: box.top + box.height / 2,
    bubbles: true, cancelable: true
  }));
  const frame = () => svg.dataset.zoom !== zoom
    ? resolve(performance.now() - sent) : requestAnimationFrame(frame);
  requestAnimationFrame(frame);
})"""

LINEAGE_DONE = """
const svg = document.querySelector('[data-testid="lk-lineage-page"] svg.lk-LineageSvg');
return !!svg && Number(svg.dataset.nodes) >= window.__lkNodes;
"""


# The API requests made between the click and the page drawn: path, start and end (ms after
# the pointerdown), from the browser's resource timing.
REQUESTS_JS = """() => performance.getEntriesByType('resource')
  .filter(e => e.name.includes('/lamin/api/') && e.startTime >= window.__lkBench.down)
  .map(e => [new URL(e.name).pathname.split('/lamin/api/')[1].slice(0, 60),
             Math.round(e.startTime - window.__lkBench.down),
             Math.round(e.responseEnd - window.__lkBench.down)])"""


def _measure(page: Any) -> dict[str, float]:
    page.wait_for_function(
        "() => window.__lkBench && window.__lkBench.visible !== null", timeout=LAB_TIMEOUT_MS
    )
    state = page.evaluate("() => window.__lkBench")
    return {"in_page_s": (state["visible"] - state["down"]) / 1000}


def artifact_page(ctx: Ctx) -> None:
    """Click a row of the sidebar's Artifact table; time until its page is fully drawn."""
    ui = _ui_helpers()
    from playwright.sync_api import sync_playwright

    # a folder of its own: the sidebar step's server left its labextension link in "jupyter"
    with jupyter_lab(ctx, ui, name="jupyter-artifact-page") as server:
        ctx.res["n_total"] = server.api("registries/Artifact/records?page_size=1")["total"]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=ui.CHROMIUM, args=ui.CHROMIUM_ARGS)
            try:
                page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
                runs = []
                for i in range(REPS + 1):
                    _load_lab(page, server, ui, settle=True)
                    page.locator(ui.SIDEBAR_TAB).click()
                    row = page.locator(ROW).nth(i)
                    row.wait_for(state="visible", timeout=LAB_TIMEOUT_MS)
                    uid = row.get_attribute("data-uid")
                    page.evaluate(f"() => {{ window.__lkUid = {json.dumps(uid)}; }}")
                    page.evaluate(WATCH_JS, ['[data-testid="lk-record-row"]', PAGE_DONE])
                    t0 = time.perf_counter()
                    row.click()
                    page.locator(PAGE).get_by_test_id("lk-preview").wait_for(timeout=LAB_TIMEOUT_MS)
                    result = _measure(page)
                    result["playwright_s"] = time.perf_counter() - t0
                    runs.append(result)
                    requests = page.evaluate(REQUESTS_JS)
                    progress(
                        f"artifact page {i}: {result['in_page_s'] * 1000:.0f} ms in page; "
                        f"requests (path, start, end in ms): {requests}"
                    )
                page.screenshot(path=str(ctx.sandbox / "artifact_page.png"))
            finally:
                browser.close()
    first, rest = runs[0], runs[1:]
    ctx.res.update(
        reps=REPS,
        first_s=round(first["in_page_s"], 4),
        median_s=median([r["in_page_s"] for r in rest]),
        playwright_median_s=median([r["playwright_s"] for r in rest]),
        runs=[{k: round(v, 4) for k, v in r.items()} for r in rest],
    )


NOTEBOOK_CELLS = (
    "import time, pandas as pd\nimport lamin_kernel as ln\nln.track()",
    "df = pd.DataFrame({'x': [1, 2, 3]})\n"
    "a = ln.Artifact.from_dataframe(df, key=f'live/{time.time_ns()}.parquet').save()\n"
    "print('SAVED', repr(time.time()), a.key)",
)

ROW_JS = """([key]) => new Promise(resolve => {
  const frame = () => {
    const rows = document.querySelectorAll('#lamin-sidebar [data-testid="lk-record-row"]');
    for (const row of rows) {
      if (row.textContent.includes(key)) return resolve(Date.now() / 1000);
    }
    requestAnimationFrame(frame);
  };
  frame();
})"""


def live_update(ctx: Ctx) -> None:
    """A cell saves an artifact; time from the commit to its row in the open sidebar."""
    ui = _ui_helpers()
    from playwright.sync_api import sync_playwright

    with jupyter_lab(ctx, ui, name="jupyter-live") as server:
        ui.write_notebook(server.root_dir / "live.ipynb", *NOTEBOOK_CELLS)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=ui.CHROMIUM, args=ui.CHROMIUM_ARGS)
            try:
                page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
                # the UI tests' helpers: open the notebook, close any dialog (a kernel
                # chooser left the status bar without "Idle" before), wait for an idle
                # kernel, run a cell with a retry if the kernel connection was settling
                lab = ui.Lab(page, server, "bench-live")
                lab.open_notebook("live.ipynb")
                cells = page.locator(".jp-NotebookPanel:visible .jp-Cell")
                lab.run_cell(cells.nth(0), timeout_ms=LAB_TIMEOUT_MS)
                page.locator(ui.SIDEBAR_TAB).click()
                # no artifact yet: the sidebar shows its empty state, not a row
                page.locator('#lamin-sidebar [data-testid="lk-registry-select"]').wait_for(
                    timeout=LAB_TIMEOUT_MS
                )
                latencies = []
                for i in range(REPS + 1):
                    output = cells.nth(1).locator(".jp-OutputArea")
                    lab.run_cell(cells.nth(1), timeout_ms=LAB_TIMEOUT_MS)
                    output.get_by_text("SAVED").wait_for(timeout=LAB_TIMEOUT_MS)
                    saved = re.search(r"SAVED (\S+) (\S+)", output.inner_text())
                    if saved is None:
                        raise RuntimeError(f"no SAVED line in {output.inner_text()[:300]!r}")
                    saved_at, key = saved.groups()
                    shown_at = page.evaluate(ROW_JS, [key])
                    latencies.append(shown_at - float(saved_at))
                    progress(f"live update {i}: {latencies[-1] * 1000:.0f} ms")
                page.screenshot(path=str(ctx.sandbox / "live_update.png"))
            finally:
                browser.close()
    latencies = latencies[1:]  # the first save also imports pandas' parquet writer
    ctx.res.update(
        reps=REPS,
        median_s=median(latencies),
        max_s=max(latencies),
        runs=[round(x, 4) for x in latencies],
    )


def _seed_lineage() -> tuple[str, int]:
    """About 500 nodes downstream of one artifact, all stale; returns its uid and the node
    count."""
    import pandas as pd

    import lamin_kernel as ln

    def frame(i: int) -> pd.DataFrame:
        return pd.DataFrame({"i": [i]})

    first = ln.Transform(key="bench/split.py", kind="script").save()
    second = ln.Transform(key="bench/fit.py", kind="script").save()
    root = ln.Artifact.from_dataframe(frame(-1), key="bench/input.parquet").save()
    n, level1 = 1 + 2, []
    for r in range(25):
        run = ln.Run(transform=first).save()
        run.input_artifacts.add(root)
        outputs = [
            ln.Artifact.from_dataframe(
                frame(r * 10 + o), key=f"bench/split/{r}-{o}.parquet", run=run
            )
            for o in range(4)
        ]
        ln.save(outputs)
        level1 += outputs
        n += 1 + 4
    for j, artifact in enumerate(level1):
        run = ln.Run(transform=second).save()
        run.input_artifacts.add(artifact)
        outputs = [
            ln.Artifact.from_dataframe(
                frame(10_000 + j * 10 + o), key=f"bench/fit/{j}-{o}.parquet", run=run
            )
            for o in range(3)
        ]
        ln.save(outputs)
        n += 1 + 3
    # a newer version of the input: every run of the graph is "upstream changed" (the marks'
    # worst case; the page still opens on the old version)
    ln.Artifact.from_dataframe(frame(-2), key="bench/input.parquet").save()
    return root.uid, n


def lineage_page(ctx: Ctx) -> None:
    """Open the lineage page of an artifact with ~500 nodes downstream; time to laid out
    and interactive."""
    uid, n_nodes = _seed_lineage()
    ctx.res["n_nodes"] = n_nodes
    ui = _ui_helpers()
    from playwright.sync_api import sync_playwright

    with (
        jupyter_lab(ctx, ui, user_settings={"lineage_depth": 4}, name="jupyter-lineage") as server,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=ui.CHROMIUM, args=ui.CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            runs = []
            for i in range(REPS + 1):
                _load_lab(page, server, ui, settle=True)
                page.evaluate(
                    "(uid) => { void window.jupyterapp.commands.execute('lamin:open-page',"
                    " {registry: 'Artifact', uid}); }",
                    uid,
                )
                button = page.locator(f'{PAGE} [data-testid="lk-open-lineage"] button')
                button.wait_for(timeout=LAB_TIMEOUT_MS)
                page.evaluate(f"() => {{ window.__lkNodes = {n_nodes}; }}")
                page.evaluate(WATCH_JS, ['[data-testid="lk-open-lineage"]', LINEAGE_DONE])
                t0 = time.perf_counter()
                button.click()
                result = _measure(page)
                # laid out, then one wheel zoom drawn: in the page's clock
                result["zoom_s"] = page.evaluate(LINEAGE_WHEEL_JS) / 1000
                result["interactive_s"] = result["in_page_s"] + result["zoom_s"]
                result["playwright_s"] = time.perf_counter() - t0
                runs.append(result)
                progress(f"lineage page {i}: {result['in_page_s'] * 1000:.0f} ms in page")
                page.evaluate(
                    "() => { void window.jupyterapp.commands.execute('application:close-all'); }"
                )
            page.screenshot(path=str(ctx.sandbox / "lineage_page.png"))
        finally:
            browser.close()
    rest = runs[1:]
    ctx.res.update(
        reps=REPS,
        first_s=round(runs[0]["in_page_s"], 4),
        median_s=median([r["in_page_s"] for r in rest]),
        interactive_median_s=median([r["interactive_s"] for r in rest]),
        zoom_median_s=median([r["zoom_s"] for r in rest]),
        playwright_median_s=median([r["playwright_s"] for r in rest]),
    )


if __name__ == "__main__":
    raise SystemExit(
        main(
            {
                "artifact_page": artifact_page,
                "live_update": live_update,
                "lineage_page": lineage_page,
            }
        )
    )
