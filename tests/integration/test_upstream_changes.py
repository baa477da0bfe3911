""" "Upstream changed": runs whose inputs (or whose inputs' makers' inputs) have a newer version
on the current branch, decided by records.upstream for many runs at once."""

from __future__ import annotations

import pandas as pd
import pytest

import lamin_kernel as ln
from lamin_kernel import branches
from lamin_kernel.records import upstream
from tests.support.artifact_rows import insert_artifacts
from tests.support.plans import full_reads, indexes_used, scans
from tests.support.registry_rows import refresh_statistics

pytestmark = pytest.mark.backends("sqlite-local", "postgres-local")


def frame(seed: int) -> pd.DataFrame:
    return pd.DataFrame({"a": [seed, seed + 1, seed + 2]})


def new_run(key: str) -> ln.Run:
    return ln.Run(transform=ln.Transform(key=key, kind="script").save()).save()


def output(run: ln.Run | None, key: str, seed: int) -> ln.Artifact:
    return ln.Artifact.from_dataframe(frame(seed), key=key, run=run).save()


@pytest.fixture
def chain(instance: dict) -> dict:
    """a.parquet -> run_b -> b.parquet -> run_c -> c.parquet (a made outside any run)."""
    a = output(None, "a.parquet", 0)
    run_b = new_run("make_b.py")
    run_b.input_artifacts.add(a)
    b = output(run_b, "b.parquet", 10)
    run_c = new_run("make_c.py")
    run_c.input_artifacts.add(b)
    c = output(run_c, "c.parquet", 20)
    return {"a": a, "run_b": run_b, "b": b, "run_c": run_c, "c": c}


def test_nothing_changed_marks_nothing(chain: dict) -> None:
    assert upstream.upstream_changes([chain["run_b"].id, chain["run_c"].id]) == {}
    assert upstream.record_upstream_changes(chain["c"]) == []
    assert upstream.upstream_changes([]) == {}


def test_a_new_input_version_marks_direct_and_transitive_outputs(chain: dict) -> None:
    a2 = output(None, "a.parquet", 1)
    found = upstream.upstream_changes([chain["run_b"].id, chain["run_c"].id])
    (direct,) = found[chain["run_b"].id]
    assert (direct.changed.uid, direct.newer.uid, direct.via) == (chain["a"].uid, a2.uid, None)
    assert direct.changed.version == "#0000" and direct.newer.version == "#0001"
    assert direct.rerun_command == "lamin rerun --stale a.parquet"
    (through_b,) = found[chain["run_c"].id]
    assert through_b.via is not None and through_b.via.uid == chain["b"].uid
    assert (through_b.changed.uid, through_b.newer.uid) == (chain["a"].uid, a2.uid)
    assert through_b.to_json()["direct"] is False
    # an artifact is marked by the run that made it; the new version itself is not
    assert [c.via for c in upstream.record_upstream_changes(chain["b"])] == [None]
    assert upstream.record_upstream_changes(a2) == []
    assert upstream.record_upstream_changes(chain["run_c"]) == found[chain["run_c"].id]


def test_an_input_versioned_twice_names_the_newest(chain: dict) -> None:
    output(None, "a.parquet", 1)
    a3 = ln.Artifact.from_dataframe(frame(2), key="a.parquet", version_tag="3").save()
    (change,) = upstream.record_upstream_changes(chain["b"])
    assert change.newer.uid == a3.uid and change.newer.version == "v3"


def test_a_rerun_input_is_reported_directly_not_through_its_old_maker(chain: dict) -> None:
    output(None, "a.parquet", 1)
    b2 = output(new_run("make_b.py"), "b.parquet", 11)
    (change,) = upstream.record_upstream_changes(chain["c"])
    assert (change.changed.uid, change.newer.uid, change.via) == (chain["b"].uid, b2.uid, None)


def test_a_version_on_another_branch_marks_only_there(chain: dict) -> None:
    branches.switch("try_a", create=True)
    try:
        a2 = output(None, "a.parquet", 1)
        assert upstream.record_upstream_changes(chain["b"])[0].newer.uid == a2.uid
        branches.switch("main")
        assert upstream.record_upstream_changes(chain["b"]) == []
        assert upstream.upstream_changes([chain["run_c"].id]) == {}
    finally:
        branches.switch("main")


def test_trashed_newer_version_does_not_count(chain: dict) -> None:
    a2 = output(None, "a.parquet", 1)
    a2.delete()  # to the trash
    assert upstream.record_upstream_changes(chain["b"]) == []


def test_describe_names_the_change_and_the_command(chain: dict) -> None:
    a2 = output(None, "a.parquet", 1)
    text = chain["c"].describe(return_str=True)
    assert "upstream changed" in text
    assert (
        f"input 'b.parquet' ({chain['b'].uid}) was made from 'a.parquet' #0000 "
        f"({chain['a'].uid}) -> #0001 ({a2.uid}); run `lamin rerun --stale a.parquet`"
    ) in text
    run_text = chain["run_b"].describe(return_str=True)
    assert f"input 'a.parquet' #0000 ({chain['a'].uid}) -> #0001 ({a2.uid})" in run_text


def test_many_runs_are_decided_in_one_call(instance: dict) -> None:
    source = output(None, "shared.parquet", 0)
    runs = [new_run(f"step_{i}.py") for i in range(30)]
    for run in runs:
        run.input_artifacts.add(source)
    output(None, "shared.parquet", 1)
    found = upstream.upstream_changes(r.id for r in runs)
    assert sorted(found) == sorted(r.id for r in runs)


def test_queries_plan_from_indexes(chain: dict) -> None:
    insert_artifacts(2000)
    refresh_statistics()
    stems = [chain["a"].uid[:16], chain["b"].uid[:16]]
    newest = scans(upstream.newest_versions_statement("artifact", stems))
    assert not full_reads(newest, {"lk_artifact"}), newest
    assert indexes_used(newest) & {"ix_lk_artifact_uid", "ix_lk_artifact_uid_prefix"}, newest
    inputs = scans(upstream.inputs_statement("artifact", {chain["run_c"].id}))
    assert not full_reads(inputs, {"lk_artifact", "lk_run_input_artifact"}), inputs


def test_one_read_block_walks_upstream_once_and_a_write_forgets_it(
    chain: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record page asks "upstream changed?" from its describe() tree and its banner: the walk
    runs once per read block, and a new version saved meanwhile is seen by the next question."""
    from lamin_kernel.setup.session import block_memo, read_session

    calls: list[int] = []
    real = upstream.upstream_changes

    def counted(run_ids: object) -> dict:  # counts the real walk, changes nothing
        calls.append(1)
        return real(run_ids)  # type: ignore[arg-type]

    monkeypatch.setattr(upstream, "upstream_changes", counted)
    c = chain["c"]
    with read_session():
        assert upstream.record_upstream_changes(c) == []
        assert upstream.record_upstream_changes(c) == []
    assert len(calls) == 1
    assert block_memo() == {}  # outside a block nothing is kept
    with read_session():
        assert upstream.record_upstream_changes(c) == []
        ln.Artifact.from_dataframe(frame(99), key="a.parquet").save()  # a newer 'a'
        changes = upstream.record_upstream_changes(c)
        assert [ch.changed.key for ch in changes] == ["a.parquet"]
    assert len(calls) == 3
