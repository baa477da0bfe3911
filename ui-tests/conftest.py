"""UI tests: Playwright (pytest-playwright) drives a real `jupyter lab` in Debian's Chromium.

Self-contained (the root tests/conftest.py is not loaded for ui-tests):

- `lamin_home`: LAMIN_SETTINGS_DIR / LAMIN_CACHE_DIR point to temporary folders, for this
  process and for the JupyterLab process (and so its kernels);
- `seeded`: an instance made with `lamin_kernel.setup.instance.init()` and records made with
  the public API, BEFORE JupyterLab starts: artifacts with keys, a pipeline run with an input
  and an output, a run report whose script must never run, an artifact whose description
  and a ULabel whose name carry markup, a failed validation report tied to a run;
- `jupyter_lab`: one JupyterLab per session (Popen on a free port with a token, its own
  JUPYTER_CONFIG_DIR with the announcements toast disabled, the lamin server extension
  enabled, the labextension built in this repository first on JUPYTER_PATH), stopped by its
  pid at teardown (`running_lab`, which `empty_lab` also uses: a second JupyterLab on an
  empty settings folder, for the no-instance state);
- `lab`: a fresh browser page on its own workspace, dialogs recorded and dismissed
  (`lab_page`; `new_user_lab` is the same on `empty_lab`).

Screenshots go to ui-tests/screenshots/, the server log and page errors to
ui-tests/test-results/ (both git-ignored).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from lamin_ui import (
    CHROMIUM,
    CHROMIUM_ARGS,
    INSTANCE_NAME,
    REPORT_HTML,
    RESULTS,
    UI_TIMEOUT_MS,
    XSS_DESCRIPTION,
    XSS_LABEL,
    JupyterLab,
    Lab,
    free_port,
    labextension_data_dir,
    write_notebook,
)
from playwright.sync_api import Page, expect
from seed_details import jupyter_root, seed_page_details

expect.set_options(timeout=UI_TIMEOUT_MS)


# -- browser -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: `apt-get install chromium` (or set LK_UI_CHROMIUM)"
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}}


# -- instance ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def lamin_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Settings and cache folders of this session, for this process and JupyterLab's."""
    home = tmp_path_factory.mktemp("lamin-home")
    saved = {k: os.environ.get(k) for k in ("LAMIN_SETTINGS_DIR", "LAMIN_CACHE_DIR")}
    os.environ["LAMIN_SETTINGS_DIR"] = str(home / "settings")
    os.environ["LAMIN_CACHE_DIR"] = str(home / "cache")
    yield home
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def seeded(lamin_home: Path) -> dict[str, Any]:
    """The instance and its records; returns their uids."""
    import pandas as pd

    import lamin_kernel as ln
    from lamin_kernel import runtime
    from lamin_kernel.setup import instance

    runtime.reset()
    # the storage is a folder of JupyterLab's root, as when people keep data beside notebooks
    storage = jupyter_root(lamin_home) / "lamin-data"
    instance.init(str(storage), name=INSTANCE_NAME, modules=["bionty"])
    import lamin_kernel.bionty as bt

    files = lamin_home / "files"
    files.mkdir()

    # a pipeline: raw input -> run of prepare.py -> processed output (+ the run's HTML report)
    prepare = ln.Transform(key="pipelines/prepare.py", kind="script").save()
    run = ln.Run(transform=prepare).save()
    raw = ln.Artifact.from_dataframe(
        pd.DataFrame({"sample": ["s1", "s2"], "value": [1.5, 2.5]}),
        key="raw/measurements.parquet",
        description="raw measurements",
    ).save()
    run.input_artifacts.add(raw)
    processed = ln.Artifact.from_dataframe(
        pd.DataFrame({"sample": ["s1", "s2"], "value": [1.5, 2.5], "z": [-1.0, 1.0]}),
        key="processed/scores.parquet",
        description="processed scores",
        run=run,
    ).save()
    (files / "report.html").write_text(REPORT_HTML)
    report = ln.Artifact(files / "report.html", key="reports/prepare.html", kind="__lamindb_run__")
    report.save()
    run.report_id = report.id
    run.save()
    # not a match for the searches
    ln.Artifact.from_dataframe(pd.DataFrame({"x": [1, 2, 3]}), key="other/unrelated.parquet").save()

    # hostile text: must show as text and run nothing
    hostile = ln.Artifact.from_dataframe(
        pd.DataFrame({"x": [1]}), key="hostile/markup.parquet", description=XSS_DESCRIPTION
    ).save()
    hostile_label = ln.ULabel(name=XSS_LABEL).save()
    hostile.ulabels.add(hostile_label)

    # a failed validation, stored while a curation run is current (the report gets its run)
    ln.ULabel(name="DMSO").save()
    ln.ULabel(name="IFNG").save()
    perturbation = ln.Feature(name="perturbation", dtype=ln.ULabel).save()
    schema = ln.Schema(features=[perturbation], name="perturbation schema").save()
    curate = ln.Transform(key="pipelines/curate.py", kind="script").save()
    curate_run = ln.Run(transform=curate).save()
    tokens = runtime.set_current_run(curate_run, curate)
    failed = False
    try:
        ln.curators.DataFrameCurator(
            pd.DataFrame({"perturbation": ["DMSO", "IFNG", "IFNJ"]}), schema
        ).validate()
    except ln.errors.ValidationError:
        failed = True
    finally:
        runtime.restore_current_run(tokens)
    assert failed, "the seeded validation should have failed on 'IFNJ'"

    # a training script run twice with other params, reading the processed scores; its
    # metrics table has two versions (a column more in the second)
    train = ln.Transform(key="pipelines/train.py", kind="script").save()
    train.source_code = "import lamin_kernel as ln\nln.track(params={'lr': 0.1})\n"
    train.save()
    train_runs = []
    ln.Feature(name="accuracy", dtype=float).save()
    ln.Feature(name="loss", dtype=float).save()
    runs_of_train = ((0.1, 3, {}, 0.81, 0.42), (0.01, 5, {"recall": [0.7, 0.8]}, 0.88, 0.31))
    for lr, epochs, extra, accuracy, loss in runs_of_train:
        train_run = ln.Run(
            transform=train,
            params={"lr": lr, "epochs": epochs},
            imported_packages={"pandas": "2.2.3", "numpy": f"2.{epochs}.0", "lamin-kernel": "1"},
        ).save()
        train_run.features.add_values({"accuracy": accuracy, "loss": loss})
        train_run.input_artifacts.add(processed)
        ln.Artifact.from_dataframe(
            pd.DataFrame({"epoch": [1, 2], "loss": [0.5, 0.4], **extra}),
            key="models/metrics.parquet",
            run=train_run,
        ).save()
        train_runs.append(train_run)
    metrics = ln.Artifact.filter(key="models/metrics.parquet").order_by("id").to_list()

    # records of the other pages: a collection, a sample record, a cell type (bionty)
    collection = ln.Collection([raw, processed], key="collections/scores").save()
    collection.ulabels.add(hostile_label)
    sample_type = ln.Record(name="Sample", is_type=True).save()
    sample = ln.Record(name="sample s1", type=sample_type, description="first sample").save()
    cell_type = bt.CellType(name="T cell", description="a lymphocyte").save()
    processed.cell_types.add(cell_type)

    return {
        **seed_page_details(ln, files, storage),
        "train": train.uid,
        "train_runs": [r.uid for r in train_runs],
        "metrics": [m.uid for m in metrics],
        "prepare": prepare.uid,
        "run": run.uid,
        "raw": raw.uid,
        "processed": processed.uid,
        "report": report.uid,
        "hostile": hostile.uid,
        "hostile_label": hostile_label.uid,
        "curate_run": curate_run.uid,
        "collection": collection.uid,
        "sample": sample.uid,
        "cell_type": cell_type.uid,
        "perturbation": perturbation.uid,
        "schema": schema.uid,
        "label": ln.ULabel.get(name="DMSO").uid,
    }


# -- JupyterLab --------------------------------------------------------------------------------
@contextmanager
def running_lab(
    lamin_home: Path, tmp: Path, log_name: str, with_instance: bool = True
) -> Iterator[JupyterLab]:
    """A `jupyter lab` whose Lamin settings and cache are `lamin_home`'s, with its own config
    and runtime folders under `tmp`; stopped by its pid when the block ends."""
    config_dir = tmp / "config"
    (config_dir / "labconfig").mkdir(parents=True)
    (config_dir / "labconfig" / "page_config.json").write_text(
        json.dumps(
            {
                "disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True},
                "exposeAppInBrowser": True,  # window.jupyterapp, to run a command by id
            }
        )
    )
    # enabled here as well, so the tests do not depend on how the package was installed
    (config_dir / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"lamin_kernel.server": True}}})
    )
    root_dir = jupyter_root(lamin_home)
    write_notebook(root_dir / "track.ipynb")

    env = {
        **os.environ,
        "LAMIN_SETTINGS_DIR": str(lamin_home / "settings"),
        "LAMIN_CACHE_DIR": str(lamin_home / "cache"),
        "JUPYTER_CONFIG_DIR": str(config_dir),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "IPYTHONDIR": str(tmp / "ipython"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    data_dir = labextension_data_dir(tmp)
    if data_dir is not None:
        env["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (str(data_dir), os.environ.get("JUPYTER_PATH", "")) if p
        )
    token = secrets.token_hex(16)
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.extension_manager=readonly",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / log_name
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            cmd,
            env=env,
            cwd=root_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        server = JupyterLab(f"http://127.0.0.1:{port}", token, root_dir, log_path, process)
        try:
            server.wait_ready(with_instance)
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="session")
def jupyter_lab(
    seeded: dict, lamin_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[JupyterLab]:
    """One `jupyter lab` for the session, started after the instance is seeded."""
    with running_lab(lamin_home, tmp_path_factory.mktemp("jupyter"), "jupyter-lab.log") as server:
        yield server


@pytest.fixture
def empty_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    """A `jupyter lab` of its own on an empty Lamin settings folder: no instance yet."""
    home = tmp_path_factory.mktemp("lamin-home-empty")
    tmp = tmp_path_factory.mktemp("jupyter-empty")
    with running_lab(home, tmp, "jupyter-lab-empty.log", with_instance=False) as server:
        yield server


# -- pages -------------------------------------------------------------------------------------
@contextmanager
def lab_page(page: Page, server: JupyterLab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    """A fresh page (pytest-playwright's, with its own context) on `server`: dialogs recorded
    and dismissed, page errors written down, a screenshot when the test failed."""
    page.set_default_timeout(UI_TIMEOUT_MS)
    current = Lab(page, server, request.node.name)

    def on_dialog(dialog: Any) -> None:
        if dialog.type == "beforeunload":  # leaving JupyterLab (a reload): let it go
            dialog.accept()
            return
        current.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: current.page_errors.append(str(error)))
    yield current
    if current.page_errors:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{request.node.name}.page-errors.txt").write_text(
            "\n\n".join(current.page_errors)
        )
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        try:
            current.shot(f"FAILED-{request.node.name}")
        except Exception:  # noqa: BLE001  (best effort: the page may be gone)
            pass


@pytest.fixture
def lab(page: Page, jupyter_lab: JupyterLab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    """A fresh page on the session's JupyterLab (the seeded instance)."""
    with lab_page(page, jupyter_lab, request) as current:
        yield current


@pytest.fixture
def new_user_lab(
    page: Page, empty_lab: JupyterLab, request: pytest.FixtureRequest
) -> Iterator[Lab]:
    """A fresh page on a JupyterLab of its own with no Lamin instance yet."""
    with lab_page(page, empty_lab, request) as current:
        yield current


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
