"""The Lamin sidebar in JupyterLab: click its tab, time until the first page of the Artifact
registry is on screen, over 100,000 artifacts (lamin_kernel only).

Runs in the instance of the query family, after its bulk step made the 100,000 artifacts. A
real ``jupyter lab`` is started here as ui-tests/conftest.py starts it (own config dir with
the lamin server extension enabled and the announcements toast off, this repository's
labextension build first on JUPYTER_PATH, a token), and Debian's Chromium is driven with
Playwright (never a downloaded browser). Every repetition loads /lab afresh on a reset
workspace (the sidebar closed), waits until the page is quiet, clicks the Lamin tab and waits
for the first ``[data-testid="lk-record-row"]``.

Two clocks: ``in_page`` runs in the page, from the click's pointerdown event to the first
animation frame in which a record row has a size (what a person sees; ``median_s`` is its
median); ``playwright`` runs here, from Playwright's click to its visibility wait returning
(adds the protocol round trips). The first load (cold browser cache, first query of the
server) is reported apart, as ``first_s``; the medians are over the ``REPS`` (5) loads after
it, smoke or not. ``rows_in_dom_before_click`` tells whether the sidebar had already fetched
and rendered the page while hidden. ``immediate`` repeats the measure with the click as soon
as the tab shows (/lab still loading), where the fetch may still be under way;
``since_navigation_s`` is the time from the navigation to /lab until the rows show.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ._child import Ctx, main, median, now, progress

REPO = Path(__file__).resolve().parents[2]
UI_TESTS = REPO / "ui-tests"
ROW = '#lamin-sidebar [data-testid="lk-record-row"]'
LAB_TIMEOUT_MS = 120_000
FIRST_PAGE_TIMEOUT_MS = 60_000
REPS = 5

# Installed before each click: the pointerdown on the Lamin tab starts an animation-frame
# loop that stops at the first frame where a record row has a size.
WATCH_JS = """([tabSelector, rowSelector]) => {
  const state = { down: null, visible: null };
  window.__lkBench = state;
  const shown = () => {
    const row = document.querySelector(rowSelector);
    if (!row) return false;
    const box = row.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const frame = () => {
    if (shown()) state.visible = performance.now();
    else requestAnimationFrame(frame);
  };
  const onDown = event => {
    const tab = document.querySelector(tabSelector);
    if (state.down !== null || !tab || !tab.contains(event.target)) return;
    state.down = event.timeStamp;
    window.removeEventListener('pointerdown', onDown, true);
    requestAnimationFrame(frame);
  };
  window.addEventListener('pointerdown', onDown, true);
}"""


def _ui_helpers() -> Any:
    """ui-tests/lamin_ui.py: Chromium path and flags, the labextension link, the server."""
    if importlib.util.find_spec("playwright") is None:
        raise NotImplementedError("playwright is not installed in this venv")
    if str(UI_TESTS) not in sys.path:
        sys.path.insert(0, str(UI_TESTS))
    import lamin_ui

    if not Path(lamin_ui.CHROMIUM).exists():
        raise NotImplementedError(f"no Chromium at {lamin_ui.CHROMIUM} (apt-get install chromium)")
    return lamin_ui


@contextmanager
def jupyter_lab(
    ctx: Ctx, ui: Any, user_settings: dict | None = None, name: str = "jupyter"
) -> Iterator[Any]:
    """``jupyter lab`` on the sandbox's instance, configured as the UI tests configure it
    (``user_settings``: the Lamin extension's settings, e.g. ``{"lineage_depth": 4}``)."""
    base = ctx.sandbox / name  # one folder per server a workload starts
    config = base / "config"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps(
            {
                "disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True},
                "exposeAppInBrowser": True,
            }
        )
    )
    if user_settings:
        settings = config / "lab" / "user-settings" / "lamin-kernel"
        settings.mkdir(parents=True, exist_ok=True)
        (settings / "plugin.jupyterlab-settings").write_text(json.dumps(user_settings))
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"lamin_kernel.server": True}}})
    )
    root = base / "root"
    root.mkdir(exist_ok=True)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        IPYTHONDIR=str(base / "ipython"),
    )
    data_dir = ui.labextension_data_dir(base)
    if data_dir is None:
        raise NotImplementedError(
            "the labextension is not built (lamin_kernel/labextension): jlpm install && jlpm build"
        )
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(data_dir), os.environ.get("JUPYTER_PATH", "")) if p
    )
    token = "lamin-bench-sidebar"
    port = ui.free_port()
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.extension_manager=readonly",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = ctx.sandbox / "jupyter_lab.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        server = ui.JupyterLab(f"http://127.0.0.1:{port}", token, root, log_path, proc)
        try:
            t0 = now()
            server.wait_ready()
            ctx.res["lab_start_s"] = round(now() - t0, 3)
            yield server
        finally:
            server.stop()


def _load_lab(page: Any, server: Any, ui: Any, settle: bool) -> None:
    """/lab on a reset workspace (sidebar closed); with ``settle``, wait until it is quiet."""
    page.goto(server.url("lab/workspaces/bench-sidebar?reset"), timeout=LAB_TIMEOUT_MS)
    page.locator(ui.SIDEBAR_TAB).wait_for(state="visible", timeout=LAB_TIMEOUT_MS)
    if settle:
        page.locator("#jp-main-dock-panel").wait_for(state="visible", timeout=LAB_TIMEOUT_MS)
        try:
            page.wait_for_load_state("networkidle", timeout=15_000)
        except Exception:  # noqa: BLE001 - a poll that never pauses only costs the wait
            pass
        page.wait_for_timeout(500)
    if page.locator("#lamin-sidebar").is_visible():
        raise RuntimeError("the Lamin sidebar is already open after a workspace reset")


def _one_click(page: Any, ui: Any) -> dict[str, float]:
    """Click the Lamin tab; both clocks until the first record row is visible."""
    rows_before = page.locator(ROW).count()
    page.evaluate(WATCH_JS, [ui.SIDEBAR_TAB, ROW])
    t0 = now()
    page.locator(ui.SIDEBAR_TAB).click()
    page.locator(ROW).first.wait_for(state="visible", timeout=FIRST_PAGE_TIMEOUT_MS)
    wall = now() - t0
    page.wait_for_function(
        "() => window.__lkBench && window.__lkBench.visible !== null",
        timeout=FIRST_PAGE_TIMEOUT_MS,
    )
    state = page.evaluate("() => window.__lkBench")
    return {
        "in_page_s": (state["visible"] - state["down"]) / 1000,
        "playwright_s": wall,
        # performance.now() counts from the navigation that loaded /lab
        "since_navigation_s": state["visible"] / 1000,
        "rows_in_dom_before_click": rows_before,
    }


def _summary(runs: list[dict[str, float]]) -> dict[str, Any]:
    return {
        "median_s": median([r["in_page_s"] for r in runs]),
        "playwright_median_s": median([r["playwright_s"] for r in runs]),
        "since_navigation_median_s": median([r["since_navigation_s"] for r in runs]),
        "runs": [{k: round(v, 4) for k, v in r.items()} for r in runs],
    }


def first_page(ctx: Ctx) -> None:
    """Median time from the click on the Lamin tab to the first page of artifacts."""
    ui = _ui_helpers()
    from playwright.sync_api import sync_playwright

    with jupyter_lab(ctx, ui) as server:
        ctx.res["n_total"] = server.api("registries/Artifact/records?page_size=1")["total"]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=ui.CHROMIUM, args=ui.CHROMIUM_ARGS)
            try:
                page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
                runs: dict[str, list[dict[str, float]]] = {"settled": [], "immediate": []}
                for i in range(REPS + 1):
                    # settled (the reported figure; load 0 is the cold first load), then
                    # immediate: the click as soon as the tab shows, /lab still loading
                    for mode in ("settled", "immediate") if i else ("settled",):
                        _load_lab(page, server, ui, settle=mode == "settled")
                        runs[mode].append(_one_click(page, ui))
                        r = runs[mode][-1]
                        progress(
                            f"load {i} {mode}: {r['in_page_s'] * 1000:.0f} ms in page, "
                            f"{r['playwright_s'] * 1000:.0f} ms Playwright, "
                            f"{r['rows_in_dom_before_click']} rows before the click"
                        )
                ctx.res["rows_shown"] = page.locator(ROW).count()
                ctx.res["page_info"] = page.locator(
                    '#lamin-sidebar [data-testid="lk-page-info"]'
                ).inner_text()
                page.screenshot(path=str(ctx.sandbox / "sidebar_first_page.png"))
            finally:
                browser.close()
    first, settled = runs["settled"][0], runs["settled"][1:]
    ctx.res.update(
        reps=REPS,
        first_s=round(first["in_page_s"], 4),
        first_rows_in_dom_before_click=first["rows_in_dom_before_click"],
        **_summary(settled),
        immediate=_summary(runs["immediate"]),
    )


if __name__ == "__main__":
    raise SystemExit(main({"sidebar_first_page": first_page}))
