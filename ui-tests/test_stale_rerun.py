"""Rerunning stale outputs from the pages: the "upstream changed" banner's "Rerun stale" button
starts `lamin rerun --stale <key>` on the server as a job, shows its runs as they go, then the
new runs; a failing rerun shows its first failure; a running one can be cancelled. The Run
page's "Rerun" button runs the same way.

Each case is a script transform with a stored source whose run loaded an older version of its
input (made here, after JupyterLab started: the server reads the registry per request); the
server runs the stored source again in a subprocess.
"""

from __future__ import annotations

from typing import Any

import pytest
from lamin_ui import Lab
from playwright.sync_api import expect

JOB_TIMEOUT_MS = 300_000

SCRIPT = """\
import lamin_kernel as ln

ln.track()
df = ln.Artifact.get(key="{prefix}/input.parquet").load()
{body}
ln.Artifact.from_dataframe(df * 2, key="{prefix}/doubled.parquet").save()
ln.finish()
"""


def stale_case(prefix: str, base: int, body: str = "") -> dict[str, str]:
    """input v1 -> run of <prefix>_double.py -> doubled; then input v2 (the run is stale).
    Each case's tables hold other numbers (``base``): the same content would be one artifact."""
    import pandas as pd

    import lamin_kernel as ln

    key = f"{prefix}/input.parquet"
    old = ln.Artifact.from_dataframe(pd.DataFrame({"a": [base + 1, base + 2]}), key=key).save()
    transform = ln.Transform(key=f"{prefix}_double.py", kind="script").save()
    transform.source_code = SCRIPT.format(prefix=prefix, body=body)
    transform.save()
    run = ln.Run(transform=transform).save()
    run.input_artifacts.add(old)
    doubled = ln.Artifact.from_dataframe(
        pd.DataFrame({"a": [2 * base + 2, 2 * base + 4]}), key=f"{prefix}/doubled.parquet", run=run
    ).save()
    ln.Artifact.from_dataframe(pd.DataFrame({"a": [base + 10, base + 20]}), key=key).save()
    collection = ln.Collection([doubled], key=f"{prefix}/set").save()
    return {"key": key, "run": run.uid, "doubled": doubled.uid, "collection": collection.uid}


@pytest.fixture(scope="module")
def cases(seeded: dict) -> dict[str, dict[str, str]]:
    return {
        "works": stale_case("rerun_ui", 0),
        "fails": stale_case("rerun_ui_broken", 100, "raise SystemExit('the data looks wrong')"),
        "waits": stale_case("rerun_ui_slow", 200, "import time; time.sleep(600)"),
    }


def open_page(lab: Lab, registry: str, uid: str) -> Any:
    lab.command("lamin:open-page", {"registry": registry, "uid": uid})
    return lab.record_page(uid)


def test_rerun_stale_from_the_artifact_page(lab: Lab, cases: dict) -> None:
    import lamin_kernel as ln

    case = cases["works"]
    lab.goto()
    page = open_page(lab, "Artifact", case["doubled"])
    banner = page.get_by_test_id("lk-upstream-changed")
    expect(banner.get_by_test_id("lk-upstream-command")).to_have_text(
        f"lamin rerun --stale {case['key']}"
    )
    banner.get_by_test_id("lk-upstream-run").click()
    job = banner.get_by_test_id("lk-rerun-job")
    expect(job).to_have_attribute("data-state", "done", timeout=JOB_TIMEOUT_MS)
    step = job.get_by_test_id("lk-rerun-step")
    expect(step).to_have_count(1)
    expect(step).to_have_attribute("data-state", "done")
    expect(step).to_contain_text("rerun_ui_double.py")
    expect(job.get_by_test_id("lk-rerun-job-state")).to_contain_text("Finished")
    lab.shot("stale-rerun-done", banner)
    rerun = ln.Run.filter(initiated_by_run__uid=case["run"]).one()
    expect(step).to_contain_text(f"new run {rerun.uid}")
    assert ln.Artifact.get(key="rerun_ui/doubled.parquet").load()["a"].tolist() == [20, 40]
    step.get_by_text(f"new run {rerun.uid}").click()
    lab.record_page(rerun.uid)


def test_a_failing_stale_rerun_shows_the_first_failure(lab: Lab, cases: dict) -> None:
    case = cases["fails"]
    lab.goto()
    page = open_page(lab, "Run", case["run"])
    banner = page.get_by_test_id("lk-upstream-changed")
    banner.get_by_test_id("lk-upstream-run").click()
    job = banner.get_by_test_id("lk-rerun-job")
    expect(job).to_have_attribute("data-state", "failed", timeout=JOB_TIMEOUT_MS)
    failure = job.get_by_test_id("lk-rerun-failed")
    expect(failure).to_contain_text(f"stopped at run {case['run']} (rerun_ui_broken_double.py)")
    expect(failure).to_contain_text("the data looks wrong")
    expect(job.get_by_test_id("lk-rerun-step")).to_have_attribute("data-state", "failed")
    lab.shot("stale-rerun-failed", banner)


def test_a_running_rerun_can_be_cancelled_and_blocks_a_second_one(lab: Lab, cases: dict) -> None:
    case = cases["waits"]
    lab.goto()
    page = open_page(lab, "Artifact", case["doubled"])
    banner = page.get_by_test_id("lk-upstream-changed")
    banner.get_by_test_id("lk-upstream-run").click()
    job = banner.get_by_test_id("lk-rerun-job")
    expect(job).to_have_attribute("data-state", "running")
    expect(job.get_by_test_id("lk-rerun-step")).to_have_attribute("data-state", "running")
    expect(banner.get_by_test_id("lk-upstream-run")).to_be_disabled()
    lab.shot("stale-rerun-running", banner)
    # the Run page of another stale run: a second rerun is refused while this one runs
    other = open_page(lab, "Run", cases["works"]["run"])
    section = other.get_by_test_id("lk-run-rerun")
    section.locator("summary").click()
    section.get_by_test_id("lk-rerun-run").click()
    expect(section.get_by_test_id("lk-error")).to_contain_text("is running on this instance")
    lab.shot("rerun-refused-while-busy", section)
    # back to the first page: cancel
    page = open_page(lab, "Artifact", case["doubled"])
    banner = page.get_by_test_id("lk-upstream-changed")
    job = banner.get_by_test_id("lk-rerun-job")
    banner.get_by_test_id("lk-rerun-cancel").click()
    expect(job).to_have_attribute("data-state", "cancelled", timeout=JOB_TIMEOUT_MS)
    expect(job.get_by_test_id("lk-rerun-failed")).to_have_text("the rerun was cancelled")
    expect(banner.get_by_test_id("lk-upstream-run")).to_be_enabled()
    lab.shot("stale-rerun-cancelled", banner)


def test_the_run_page_rerun_button_makes_a_new_run(lab: Lab, cases: dict) -> None:
    case = cases["works"]
    lab.goto()
    page = open_page(lab, "Run", case["run"])
    section = page.get_by_test_id("lk-run-rerun")
    section.locator("summary").click()
    section.get_by_test_id("lk-rerun-run").click()
    job = section.get_by_test_id("lk-rerun-job")
    expect(job).to_have_attribute("data-state", "done", timeout=JOB_TIMEOUT_MS)
    outcome = section.get_by_test_id("lk-rerun-outcome")
    expect(outcome).to_contain_text("Rerun finished.")
    expect(outcome.get_by_text("open the new run")).to_be_visible()
    lab.shot("run-page-rerun-done", section)


def test_a_collection_of_stale_outputs_has_the_banner(lab: Lab, cases: dict) -> None:
    case = cases["fails"]
    lab.goto()
    page = open_page(lab, "Collection", case["collection"])
    banner = page.get_by_test_id("lk-upstream-changed")
    expect(banner).to_contain_text("This collection was made from an input")
    change = banner.get_by_test_id("lk-upstream-change")
    expect(change).to_have_attribute("data-direct", "false")
    expect(change).to_contain_text("rerun_ui_broken/doubled.parquet")
    expect(banner.get_by_test_id("lk-upstream-command")).to_have_text(
        f"lamin rerun --stale {case['key']}"
    )
    expect(banner.get_by_test_id("lk-upstream-run")).to_be_enabled()
    lab.shot("stale-collection-page", banner)
