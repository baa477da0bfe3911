"""Helpers of the UI tests: constants, the JupyterLab server process, a page with JupyterLab.

Fixtures live in conftest.py; test modules import what they need from here.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCREENSHOTS = HERE / "screenshots"
RESULTS = HERE / "test-results"
CHROMIUM = os.environ.get("LK_UI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",  # WebGL in software: plotly's parallel coordinates
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

INSTANCE_NAME = "ui-test-instance"
XSS_DESCRIPTION = "<img src=x onerror=alert(1)>"
XSS_LABEL = "<script>alert(1)</script>"
# The run report's script would mark its own page and the parent, and alert, if it ever ran.
REPORT_HTML = (
    "<!doctype html><html><head><title>run report</title></head><body>"
    "<h1 id='report-title'>Run report of prepare.py</h1>"
    "<script>document.body.setAttribute('data-script-ran', 'yes');"
    "try { window.parent.__lkReportScriptRan = true; } catch (e) {}"
    "try { window.parent.document.title = 'pwned'; } catch (e) {}"
    "alert('report script ran');</script>"
    "</body></html>"
)

LAB_START_TIMEOUT_S = 90
PAGE_LOAD_TIMEOUT_MS = 60_000
UI_TIMEOUT_MS = 30_000
KERNEL_TIMEOUT_MS = 60_000
SIDEBAR_TAB = '.jp-SideBar .lm-TabBar-tab[data-id="lamin-sidebar"]'


# -- the server --------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_notebook(path: Path, source: str = "", *more: str) -> None:
    """A notebook with the python3 kernelspec (so no kernel dialog appears): one code cell
    per source given (one empty cell by default)."""
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"c{i}",
                "metadata": {},
                "outputs": [],
                "source": text,
            }
            for i, text in enumerate((source, *more))
        ],
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1))


def labextension_data_dir(tmp: Path) -> Path | None:
    """A Jupyter data dir whose labextensions/<name> links to the build in this repository
    (first on JUPYTER_PATH, so the tests use the current build, installed or not)."""
    built = REPO / "lamin_kernel" / "labextension"
    if not (built / "package.json").exists() or not (built / "static").is_dir():
        return None
    name = json.loads((built / "package.json").read_text())["name"]
    link = tmp / "jupyter-data" / "labextensions" / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(built, target_is_directory=True)
    return tmp / "jupyter-data"


@dataclass
class JupyterLab:
    """A running `jupyter lab` (started by the `jupyter_lab` fixture)."""

    base_url: str
    token: str
    root_dir: Path
    log_path: Path
    process: subprocess.Popen

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{sep}token={self.token}"

    def get(self, path: str, auth: bool = True) -> tuple[int, dict[str, str], bytes]:
        """GET a server path: (status, headers, body); auth with the token header."""
        headers = {"Authorization": f"token {self.token}"} if auth else {}
        request = urllib.request.Request(f"{self.base_url}/{path.lstrip('/')}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers.items()), error.read()

    def api(self, path: str) -> Any:
        """GET lamin/api/<path> as JSON (asserting 200)."""
        status, _, body = self.get(f"lamin/api/{path.lstrip('/')}")
        assert status == 200, (path, status, body[:500])
        return json.loads(body)

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def wait_ready(self, with_instance: bool = True) -> None:
        """Poll /api/status, then check the lamin server and labextensions are there (and that
        the server has an instance, or with `with_instance=False` that it has none)."""
        deadline = time.monotonic() + LAB_START_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"jupyter lab exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                if self.get("api/status")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyter lab did not answer in time:\n{self.log_tail()}")
            time.sleep(0.25)
        status, _, body = self.get("lamin/api/instance")
        if not with_instance:  # the extension answers, with the error that says how to start
            if status == 200 or b"lamin init" not in body:
                raise RuntimeError(f"expected no instance, got ({status}): {body[:300]!r}")
        elif status != 200:
            raise RuntimeError(
                f"the lamin server extension does not answer ({status}): {body[:300]!r}\n"
                f"{self.log_tail()}"
            )
        status, _, body = self.get("lab")
        if status != 200 or b"lamin-kernel" not in body:
            raise RuntimeError(
                "JupyterLab does not list the lamin-kernel labextension: build it with "
                "`jlpm install && jlpm build` at the repository root"
            )

    def stop(self) -> None:
        """SIGTERM the server (it shuts its kernels down), then clear its process group."""
        process = self.process
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        try:  # kernels it started and left behind share its (new) session's process group
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


# -- a page ------------------------------------------------------------------------------------
@dataclass
class Lab:
    """A browser page with JupyterLab, on a workspace of its own; records dialogs."""

    page: Page
    server: JupyterLab
    name: str
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def sidebar(self) -> Locator:
        return self.page.locator("#lamin-sidebar")

    def tid(self, testid: str) -> Locator:
        """An element of the Lamin sidebar by its data-testid."""
        return self.sidebar.get_by_test_id(testid)

    def goto(self, path: str = "") -> None:
        """Load JupyterLab (optionally a document: 'tree/<file>') on a fresh workspace."""
        workspace = re.sub(r"[^A-Za-z0-9_-]", "-", self.name)[:60]
        suffix = f"/{path.strip('/')}" if path else ""
        self.page.goto(self.server.url(f"lab/workspaces/{workspace}{suffix}?reset"))
        expect(self.page.locator("#jp-main-dock-panel")).to_be_visible(timeout=PAGE_LOAD_TIMEOUT_MS)
        expect(self.page.locator(SIDEBAR_TAB)).to_be_visible(timeout=PAGE_LOAD_TIMEOUT_MS)
        self.dismiss_dialogs()

    def reload(self) -> None:
        """Load JupyterLab again on the same workspace (kept: layout and state database)."""
        workspace = re.sub(r"[^A-Za-z0-9_-]", "-", self.name)[:60]
        self.page.wait_for_timeout(1500)  # the workspace is saved shortly after a change
        url = self.server.url(f"lab/workspaces/{workspace}")
        self.page.goto(url)
        expect(self.page.locator("#jp-main-dock-panel")).to_be_visible(timeout=PAGE_LOAD_TIMEOUT_MS)
        self.dismiss_dialogs()

    def open_notebook(self, name: str) -> Locator:
        """Open a notebook of the server's root folder; wait until its kernel is idle."""
        self.goto(f"tree/{name}")
        notebook = self.page.locator(".jp-NotebookPanel:visible")
        expect(notebook).to_be_visible(timeout=KERNEL_TIMEOUT_MS)
        self.dismiss_dialogs()
        expect(self.page.locator("#jp-main-statusbar")).to_contain_text(
            "Python 3 (ipykernel) | Idle", timeout=KERNEL_TIMEOUT_MS
        )
        return notebook

    def run_cell(self, cell: Locator, timeout_ms: int = KERNEL_TIMEOUT_MS) -> None:
        """Run a cell in place (Ctrl+Enter) and wait until it has finished (its prompt shows
        a number); once more if the first request was dropped while the kernel connection
        was still settling."""
        prompt = cell.locator(".jp-InputPrompt")
        for attempt in range(2):
            cell.locator(".cm-content").click()
            self.page.keyboard.press("Control+Enter")
            try:
                expect(prompt).not_to_have_text("[ ]:", timeout=10_000)
                break
            except AssertionError:
                if attempt == 1:
                    raise
        expect(prompt).to_have_text(re.compile(r"^\[\d+\]:$"), timeout=timeout_ms)

    def dismiss_dialogs(self) -> None:
        """Close any JupyterLab dialog that is open (Cancel, else Escape)."""
        dialogs = self.page.locator(".jp-Dialog")
        for _ in range(5):
            if dialogs.count() == 0:
                return
            reject = dialogs.first.locator(".jp-Dialog-button.jp-mod-reject")
            if reject.count():
                reject.first.click()
            else:
                self.page.keyboard.press("Escape")
            expect(dialogs).to_have_count(0, timeout=5_000)

    def open_sidebar(self) -> Locator:
        if not self.sidebar.is_visible():
            self.page.locator(SIDEBAR_TAB).click()
        expect(self.sidebar).to_be_visible()
        expect(self.tid("lk-instance-name")).to_have_text(INSTANCE_NAME)
        return self.sidebar

    def choose_registry(self, name: str) -> None:
        self.open_sidebar()
        self.tid("lk-tab-registries").click()
        select = self.tid("lk-registry-select")
        expect(select).to_be_visible()
        select.select_option(name)
        expect(select).to_have_value(name)
        expect(self.tid("lk-record-table")).to_be_visible()

    def search(self, text: str) -> None:
        box = self.tid("lk-registry-search")
        box.fill(text)
        box.press("Enter")

    def row(self, uid: str) -> Locator:
        return self.sidebar.locator(f'[data-testid="lk-record-row"][data-uid="{uid}"]')

    def open_record(self, registry: str, uid: str, search: str | None = None) -> Locator:
        """Open a record's page the way a user does: registry, search, click its row."""
        self.choose_registry(registry)
        if search is not None:
            self.search(search)
        row = self.row(uid)
        expect(row).to_be_visible()
        row.click()
        return self.record_page(uid)

    def record_page(self, uid: str) -> Locator:
        """The main-area page of a record, once its content is there."""
        page = self.page.locator(f'#jp-main-dock-panel [data-testid="lk-page"][data-uid="{uid}"]')
        expect(page).to_be_visible()
        expect(page.get_by_test_id("lk-page-title")).not_to_have_text(uid)  # named, loaded
        return page

    def main_tab(self, label: str) -> Locator:
        """A tab of the main area by its whole label ("x.parquet" is not "Lineage · x.parquet")."""
        whole_label = re.compile(rf"^\s*{re.escape(label)}\s*$")
        return self.page.locator(
            "#jp-main-dock-panel .lm-TabBar-tab",
            has=self.page.locator(".lm-TabBar-tabLabel", has_text=whole_label),
        )

    def command(self, command_id: str, args: dict | None = None) -> None:
        """Start a JupyterLab command by id (as a keyboard shortcut or menu would); does not
        wait for it to finish (a command may wait for a dialog)."""
        self.page.evaluate(
            "([id, args]) => { void window.jupyterapp.commands.execute(id, args); }",
            [command_id, args or {}],
        )

    def set_theme(self, theme: str) -> None:
        """ "light" or "dark": the theme is a user setting of the whole server, so a test sets
        it either way."""
        name = "JupyterLab Dark" if theme == "dark" else "JupyterLab Light"
        self.command("apputils:change-theme", {"theme": name})
        light = "false" if theme == "dark" else "true"
        expect(self.page.locator("body")).to_have_attribute("data-jp-theme-light", light)

    def shot(self, name: str, target: Locator | None = None) -> Path:
        """Save a screenshot (of `target`, else of the page) to ui-tests/screenshots/."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        if target is None:
            self.page.screenshot(path=str(path))
        else:
            target.screenshot(path=str(path))
        return path
