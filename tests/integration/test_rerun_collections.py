"""Collections and stale outputs: a collection whose members were made from an input that has
a newer version now is "upstream changed" (describe, the record payload, the lineage marks),
and ``lamin rerun --stale <collection key|uid>`` reruns what loaded its older versions."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import lamin_kernel as ln
from lamin_kernel.cli.main import app
from lamin_kernel.errors import DoesNotExist
from lamin_kernel.records import lineage_marks, upstream
from lamin_kernel.records.lineage import lineage_graph
from lamin_kernel.tracking import environment_store
from lamin_kernel.tracking.rerun import stale_source

from .test_cell_provenance import run_script
from .test_rerun import DOUBLE, only_run, seed

SUM_COLLECTION = """\
import lamin_kernel as ln

ln.track()
df = ln.Collection.get(key="sets/tables").load()
ln.Artifact.from_dataframe(df.sum().to_frame("total"), key="out/set_total.parquet").save()
ln.finish()
"""


@pytest.fixture(autouse=True)
def forget_environment() -> None:
    environment_store.forget()


def frame(values: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"a": values})


def test_a_collection_of_outputs_made_from_an_outdated_input_is_upstream_changed(
    instance: dict,
) -> None:
    seed([1, 2])
    run_script(instance["tmp"], "double.py", DOUBLE)
    doubled = ln.Artifact.get(key="out/doubled.parquet")
    other = ln.Artifact.from_dataframe(frame([5]), key="other.parquet").save()
    collection = ln.Collection([doubled, other], key="sets/doubled").save()  # made by no run
    assert upstream.record_upstream_changes(collection) == []
    newer = seed([10, 20])
    (change,) = upstream.record_upstream_changes(collection)
    assert change.newer.uid == newer.uid and change.changed.key == "raw/table.parquet"
    assert change.via is not None and change.via.uid == doubled.uid
    assert change.rerun_command == "lamin rerun --stale raw/table.parquet"
    assert "upstream changed" in str(collection.describe(return_str=True))
    graph = lineage_marks.mark_lineage(lineage_graph(collection, direction="upstream", depth=3))
    node = next(n for n in graph["nodes"] if n["uid"] == collection.uid)
    assert node.get("upstream_changed") is True


def test_rerun_stale_of_a_collection_reruns_what_loaded_its_older_version(
    instance: dict,
) -> None:
    first = ln.Artifact.from_dataframe(frame([1, 2]), key="t1.parquet").save()
    second = ln.Artifact.from_dataframe(frame([3]), key="t2.parquet").save()
    old = ln.Collection([first, second], key="sets/tables").save()
    run_script(instance["tmp"], "set_total.py", SUM_COLLECTION)
    original = only_run("set_total.py")
    assert ln.Artifact.get(key="out/set_total.parquet").load()["total"].tolist() == [6]
    third = ln.Artifact.from_dataframe(frame([10]), key="t3.parquet").save()
    new = ln.Collection([first, second, third], key="sets/tables").save()
    assert new.uid[:16] == old.uid[:16] and new.id != old.id
    (change,) = upstream.record_upstream_changes(original)
    assert change.rerun_command == "lamin rerun --stale sets/tables"
    assert stale_source(old.uid[:16]).uid == new.uid
    result = CliRunner().invoke(app, ["rerun", "--stale", "sets/tables"])
    assert result.exit_code == 0, result.output
    assert f"reran run {original.uid} (set_total.py)" in result.output
    assert ln.Artifact.get(key="out/set_total.parquet").load()["total"].tolist() == [16]
    rerun_run = ln.Run.filter(initiated_by_run=original).one()
    assert new.uid in {c.uid for c in rerun_run.input_collections}


def test_rerun_stale_names_a_key_that_is_neither_artifact_nor_collection(instance: dict) -> None:
    with pytest.raises(DoesNotExist, match="no artifact or collection"):
        stale_source("nothing/here")
