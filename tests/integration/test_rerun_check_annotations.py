"""lamin rerun --check of code that annotates its own new outputs (labels, feature values) and
builds a collection from them: it runs, the annotations and the collection are captured and
compared with the original's, and nothing is written (no row, no file)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import lamin_kernel as ln
from lamin_kernel.cli.main import app
from lamin_kernel.tracking import environment_store
from lamin_kernel.tracking.rerun import rerun

from .test_cell_provenance import run_script
from .test_rerun_check import registry_counts, storage_files

ANNOTATES = """\
import os
import lamin_kernel as ln

ln.track()
df = ln.Artifact.get(key="raw/table.parquet").load()
out = ln.Artifact.from_dataframe(df * 2, key="out/doubled.parquet").save()
out.ulabels.add(ln.ULabel.get(name="doubled"))
if os.environ.get("LAMIN_KERNEL_RERUN_PINS") and os.environ.get("OTHER_LABEL"):
    out.ulabels.add(ln.ULabel.get(name="tripled"))
factor = 3 if os.environ.get("LAMIN_KERNEL_RERUN_PINS") and os.environ.get("OTHER_FACTOR") else 2
out.features.add_values({"factor": factor, "stage": ln.ULabel.get(name="final")})
extra = ln.Artifact.from_dataframe(df + 1, key="out/plus_one.parquet").save()
ln.Collection([out, extra], key="sets/derived").save()
ln.finish()
"""


@pytest.fixture(autouse=True)
def forget_environment() -> None:
    environment_store.forget()


@pytest.fixture
def original(instance: dict) -> ln.Run:
    for name in ("doubled", "tripled", "final"):
        ln.ULabel(name=name).save()
    ln.Feature(name="factor", dtype=int).save()
    ln.Feature(name="stage", dtype=ln.ULabel).save()
    ln.Artifact.from_dataframe(pd.DataFrame({"a": [1, 2, 3]}), key="raw/table.parquet").save()
    run_script(instance["tmp"], "annotates.py", ANNOTATES)
    made = ln.Artifact.get(key="out/doubled.parquet")
    assert {u.name for u in made.ulabels} == {"doubled", "final"}
    assert made.features.get_values()["factor"] == 2
    return ln.Run.filter(transform__key="annotates.py").order_by("id").first()


def test_a_check_of_code_that_annotates_and_collects_its_outputs_reproduces(
    instance: dict, original: ln.Run
) -> None:
    counts, files = registry_counts(), storage_files(instance)
    result = rerun(original.uid, check=True)
    details = {c.label: c.details for c in result.checks}
    assert sorted((c.label, c.status) for c in result.checks) == [
        ("out/doubled.parquet", "reproduced"),
        ("out/plus_one.parquet", "reproduced"),
        ("sets/derived", "reproduced"),
    ], details
    assert registry_counts() == counts and storage_files(instance) == files


@pytest.mark.parametrize(
    ("variable", "detail"),
    [("OTHER_LABEL", "ulabels +tripled"), ("OTHER_FACTOR", "feature factor: 2 → 3")],
)
def test_other_annotations_of_the_same_bytes_differ_and_are_not_written(
    instance: dict,
    original: ln.Run,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    detail: str,
) -> None:
    made = ln.Artifact.get(key="out/doubled.parquet")
    counts, files = registry_counts(), storage_files(instance)
    monkeypatch.setenv(variable, "1")
    out = CliRunner().invoke(app, ["rerun", original.uid, "--check"])
    assert out.exit_code == 1, out.output
    line = next(x for x in out.output.splitlines() if x.startswith("out/doubled.parquet"))
    assert "differs" in line and detail in line, line
    assert f"hash {made.hash} → {made.hash}" in line
    assert registry_counts() == counts and storage_files(instance) == files
    assert {u.name for u in made.ulabels} == {"doubled", "final"}
    assert made.features.get_values()["factor"] == 2
