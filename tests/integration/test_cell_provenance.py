"""Call sites of saves and loads in scripts and flows: the file and line stored with the run's
input and output links, read back by describe(), run_cells() and creation_site()."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import models
from lamin_kernel.records import provenance
from lamin_kernel.records.call_sites import CallSite, register_call_site_provider
from lamin_kernel.tracking import environment_store, flows, state


@pytest.fixture(autouse=True)
def fresh_tracking() -> Iterator[None]:
    flows._transforms.clear()
    environment_store.forget()
    yield
    state.reset()
    register_call_site_provider(None)
    flows._transforms.clear()
    environment_store.forget()


def run_script(folder: Path, name: str, code: str) -> str:
    (folder / name).write_text(textwrap.dedent(code))
    result = subprocess.run(
        [sys.executable, name], cwd=folder, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


MAKE = """\
import lamin_kernel as ln
import pandas as pd

ln.track()
df = pd.DataFrame({"a": [1, 2, 3]})
ln.Artifact.from_dataframe(df, key="raw/table.parquet").save()
ln.finish()
"""

USE = """\
import lamin_kernel as ln

ln.track()
table = ln.Artifact.get(key="raw/table.parquet")
df = table.load()
path = table.cache()
doubled = ln.Artifact.from_dataframe(df * 2, key="derived/doubled.parquet").save()
tripled = ln.Artifact.from_dataframe(df * 3, key="derived/tripled.parquet")
ln.save([tripled])
collection = ln.Collection([doubled, tripled], key="derived/both").save()
ln.finish()
"""


def test_script_saves_and_loads_record_their_file_and_line(instance: dict) -> None:
    folder = instance["tmp"]
    run_script(folder, "make.py", MAKE)
    run_script(folder, "use.py", USE)
    use = ln.Run.filter(transform__key="use.py").one()
    table = ln.Artifact.get(key="raw/table.parquet")
    link = models.RunInputArtifact.get(run_id=use.id, artifact_id=table.id)
    # the first load keeps its call site; cache() two lines later adds no second link
    assert (link.call_file, link.call_line) == ("use.py", 5)
    assert link.cell_id is None and link.execution_count is None
    outputs = {
        row.artifact_id: (row.call_file, row.call_line)
        for row in models.RunOutputArtifact.filter(run_id=use.id)
    }
    doubled = ln.Artifact.get(key="derived/doubled.parquet")
    tripled = ln.Artifact.get(key="derived/tripled.parquet")
    assert outputs == {doubled.id: ("use.py", 7), tripled.id: ("use.py", 9)}
    both = models.RunOutputCollection.get(run_id=use.id)
    assert (both.call_file, both.call_line) == ("use.py", 10)
    # run files (environment, source) are not outputs of the run
    assert models.RunOutputArtifact.filter(run_id=use.id).count() == 2
    site = provenance.creation_site(doubled)
    assert site["run"] == use.uid and site["transform"]["key"] == "use.py"
    assert provenance.describe_site(site) == "use.py:7"


def test_run_cells_group_inputs_and_outputs_by_line(instance: dict) -> None:
    folder = instance["tmp"]
    run_script(folder, "make.py", MAKE)
    run_script(folder, "use.py", USE)
    use = ln.Run.filter(transform__key="use.py").one()
    cells = provenance.run_cells(use)
    by_line = {c["call_line"]: c for c in cells}
    assert [r["label"] for r in by_line[5]["inputs"]] == ["raw/table.parquet"]
    assert [r["label"] for r in by_line[7]["outputs"]] == ["derived/doubled.parquet"]
    assert [r["registry"] for r in by_line[10]["outputs"]] == ["Collection"]
    assert all(c["cell_id"] is None for c in cells)


def test_describe_names_the_line_that_saved_and_a_newer_upstream_version(
    instance: dict, capsys: pytest.CaptureFixture
) -> None:
    folder = instance["tmp"]
    run_script(folder, "make.py", MAKE)
    run_script(folder, "use.py", USE)
    doubled = ln.Artifact.get(key="derived/doubled.parquet")
    text = doubled.describe(return_str=True)
    use = ln.Run.filter(transform__key="use.py").one()
    assert "saved by" in text and f"use.py:7 in run {use.uid}" in text
    assert "upstream changed" not in text
    old = ln.Artifact.get(key="raw/table.parquet")
    newer = ln.Artifact.from_dataframe(
        pd.DataFrame({"a": [7, 8, 9]}), key="raw/table.parquet"
    ).save()
    text = doubled.describe(return_str=True)
    assert "upstream changed" in text
    assert f"input 'raw/table.parquet' #0000 ({old.uid}) -> #0001" in text
    assert "run `lamin rerun --stale raw/table.parquet`" in text
    assert newer.uid in text
    # the new version itself and records saved outside runs carry no provenance section
    assert "Provenance" not in newer.describe(return_str=True)


def test_flow_records_the_calling_line(instance: dict) -> None:
    @ln.flow()
    def make_table(key: str) -> ln.Artifact:
        df = pd.DataFrame({"a": [1]})
        return ln.Artifact.from_dataframe(df, key=key).save()

    artifact = make_table("flow/out.parquet")
    link = models.RunOutputArtifact.get(artifact_id=artifact.id)
    assert link.run_id == artifact.run_id
    assert Path(link.call_file).name == Path(__file__).name
    assert link.call_line == make_table.__wrapped__.__code__.co_firstlineno + 3


def test_nothing_is_recorded_outside_a_run_or_for_links_made_by_hand(instance: dict) -> None:
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="free.parquet").save()
    assert models.RunOutputArtifact.filter(artifact_id=artifact.id).count() == 0
    run = ln.Run(ln.Transform(key="manual", kind="pipeline").save()).save()
    run.input_artifacts.add(artifact)
    link = models.RunInputArtifact.get(run_id=run.id)
    assert link.call_file is None and link.cell_id is None


def test_a_failing_provider_leaves_the_load_recorded_without_call_site(instance: dict) -> None:
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="in.parquet").save()
    ln.track(transform=ln.Transform(key="provider", kind="pipeline").save())

    def broken() -> CallSite:
        raise RuntimeError("no frame")

    register_call_site_provider(broken)
    artifact.load()
    run = ln.context.run
    link = models.RunInputArtifact.get(run_id=run.id, artifact_id=artifact.id)
    assert link.call_file is None and link.call_line is None
    saved = ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="out.parquet").save()
    assert models.RunOutputArtifact.get(artifact_id=saved.id).call_line is None
    ln.finish()


def test_a_run_that_saves_existing_content_gets_it_as_an_output(instance: dict) -> None:
    folder = instance["tmp"]
    run_script(folder, "make.py", MAKE)
    run_script(folder, "make.py", MAKE)  # the same table again: the first run's artifact
    first, second = ln.Run.filter(transform__key="make.py").order_by("id").to_list()
    table = ln.Artifact.get(key="raw/table.parquet")
    assert table.run_id == first.id
    recreated = models.RunOutputArtifact.get(run_id=second.id)
    assert recreated.artifact_id == table.id
    assert (recreated.call_file, recreated.call_line) == ("make.py", 6)
    assert second.recreated_artifacts.to_list("id") == [table.id]  # LaminDB's names
    assert first.recreated_artifacts.count() == 0
    assert table.id in first.output_artifacts.to_list("id")
    assert provenance.creation_site(table)["run"] == first.uid  # still made by the first
    # content a run loaded and saves again is its input, not its output
    ln.track(transform=ln.Transform(key="resave", kind="pipeline").save())
    df = table.load()
    assert ln.Artifact.from_dataframe(df, key="raw/table.parquet") == table
    run = ln.context.run
    assert models.RunOutputArtifact.filter(run_id=run.id).count() == 0
    ln.finish()
