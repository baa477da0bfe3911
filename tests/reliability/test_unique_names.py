"""One name, one record: same-name ULabel, Feature, Record and Project saved by racing
processes (and threads, and older instances that hold duplicates) resolve to one row."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.db.migrate import HEAD_REVISION, MIGRATIONS_DIR, alembic_config, current_revision
from lamin_kernel.db.unique_names import NAME_KEYS, index_name

N_NAMES = 6

# Each worker builds its records first (none is saved yet, so each is a new record), waits
# until every worker has built its own, then saves: every name is raced by every worker.
RACER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    import lamin_kernel as ln
    worker, n_workers, barrier, n_names = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    kind = ln.ULabel(name="Race type", is_type=True).save() if worker == 0 else None
    built = []
    for i in range(n_names):
        built.append(("ULabel", ln.ULabel(name=f"label {i}")))
        built.append(("Feature", ln.Feature(name=f"feature_{i}", dtype=int)))
        built.append(("Record", ln.Record(name=f"record {i}")))
        built.append(("Project", ln.Project(name=f"project {i}")))
    assert all(r.id is None for _, r in built), "a name was saved before the race began"
    (barrier / f"ready-{worker}").touch()
    for _ in range(6000):
        if len(list(barrier.glob("ready-*"))) == n_workers:
            break
        time.sleep(0.01)
    if worker % 2:
        ln.save([r for _, r in built])  # the bulk path
    else:
        for _, r in built:
            r.save()
    print(json.dumps({f"{k}:{r.name}": r.id for k, r in built}))
""")


def revision_before(revision: str) -> str:
    """The down_revision of a core migration, read from its file."""
    versions = MIGRATIONS_DIR / "versions"
    source = next(versions.glob(f"{revision}_*.py")).read_text()
    return re.search(r'^down_revision = "([^"]+)"', source, re.M).group(1)


def run_racers(n_workers: int, barrier: Path) -> list[dict[str, int]]:
    env = {**os.environ, "LAMIN_VERBOSITY": "warning"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(w), str(n_workers), str(barrier), str(N_NAMES)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(n_workers)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    failures = [
        err[-3000:] for p, (_, err) in zip(procs, outputs, strict=True) if p.returncode != 0
    ]
    assert failures == []
    return [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]


@pytest.mark.slow
@pytest.mark.backends("sqlite-local", "postgres-local")
def test_racing_processes_save_each_name_once(instance: dict, tmp_path: Path) -> None:
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    results = run_racers(6, barrier)
    # every worker holds the same row for a name: the winner's
    for name in results[0]:
        assert len({r[name] for r in results}) == 1, name
    runtime.reset()
    for registry, prefix in ((ln.ULabel, "label"), (ln.Record, "record"), (ln.Project, "project")):
        names = registry.filter(name__startswith=prefix).to_list("name")
        assert sorted(names) == sorted(f"{prefix} {i}" for i in range(N_NAMES))
    features = ln.Feature.filter(name__startswith="feature_").to_list("name")
    assert sorted(features) == sorted(f"feature_{i}" for i in range(N_NAMES))
    for i in range(N_NAMES):
        assert ln.ULabel.get(name=f"label {i}").id == results[0][f"ULabel:label {i}"]
        assert ln.Feature.get(name=f"feature_{i}").dtype == "int"


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_record_built_before_another_saved_its_name_becomes_that_record(instance: dict) -> None:
    first, second = ln.ULabel(name="DMSO"), ln.ULabel(name="DMSO")
    assert first is not second and second.id is None
    first.save()
    second.save()
    assert second.id == first.id and second.uid == first.uid
    assert ln.ULabel.filter(name="DMSO").count() == 1
    ln.Artifact.from_dataframe(pd.DataFrame({"a": [1]}), key="x.parquet").save().ulabels.add(second)
    assert ln.Artifact.get(key="x.parquet").ulabels.all().one().id == first.id
    # the same in one bulk save, repeats of a name included
    batch = [ln.ULabel(name="DMSO"), ln.ULabel(name="EtOH"), ln.ULabel(name="EtOH")]
    first_etoh = ln.ULabel(name="EtOH").save()
    ln.save(batch)
    assert [r.id for r in batch] == [first.id, first_etoh.id, first_etoh.id]
    assert ln.ULabel.filter(name="EtOH").count() == 1
    # a type of its own name, and the same name under a type, are other records
    kind = ln.ULabel(name="Treatment", is_type=True).save()
    typed = ln.ULabel(name="DMSO", type=kind).save()
    assert typed.id != first.id
    assert ln.ULabel(name="DMSO", type=kind).id == typed.id


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_a_feature_of_a_saved_name_with_another_dtype_is_refused(instance: dict) -> None:
    racing = ln.Feature(name="temperature", dtype=float)
    ln.Feature(name="temperature", dtype=float).save()
    clash = ln.Feature(name="humidity", dtype=float)
    ln.Feature(name="humidity", dtype=int).save()
    racing.save()
    assert ln.Feature.filter(name="temperature").count() == 1
    with pytest.raises(ln.errors.ValidationError, match="already exists with dtype"):
        clash.save()
    assert ln.Feature.get(name="humidity").dtype == "int"
    assert ln.Feature(name="wind", dtype=float).save().name == "wind"  # the next call works


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_trash_and_renames_respect_one_name(instance: dict) -> None:
    old = ln.ULabel(name="sample A").save()
    old.delete()  # to trash: the name is free again
    new = ln.ULabel(name="sample A").save()
    assert new.id != old.id
    with pytest.raises(ln.errors.IntegrityError):
        old.restore()  # two live records of one name
    other = ln.ULabel(name="sample B").save()
    other.name = "sample A"
    with pytest.raises(ln.errors.IntegrityError):
        other.save()
    assert ln.ULabel.get(name="sample A").id == new.id
    assert ln.ULabel.filter(name="sample B").count() == 1


@pytest.mark.backends("postgres-local")
def test_the_loser_of_a_postgres_race_waits_and_gets_the_winner(instance: dict) -> None:
    """Another transaction inserts the name and holds it uncommitted; our save blocks on the
    unique index, and when the other commits it returns that row."""
    engine = runtime.connection().engine
    loser = ln.ULabel(name="contested")
    winner_conn = engine.connect()
    tx = winner_conn.begin()
    winner_conn.execute(
        sa.text(
            "INSERT INTO lk_ulabel (uid, name, is_type, is_locked, created_at, branch_id,"
            " created_on_id, space_id, created_by_id) VALUES"
            " ('WiNnEr01', 'contested', false, false, now(), 1, 1, 1, 1)"
        )
    )
    outcome: dict = {}

    def save_loser() -> None:
        try:
            loser.save()
            outcome["id"] = loser.id
        except Exception as exc:  # reported below
            outcome["error"] = exc

    saver = threading.Thread(target=save_loser)
    saver.start()
    with engine.connect() as watcher:
        for _ in range(100_000):  # until our save waits on the winner's row lock
            waiting = watcher.execute(
                sa.text(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'"
                )
            ).scalar_one()
            if waiting:
                break
            watcher.commit()
    tx.commit()
    winner_conn.close()
    saver.join(timeout=60)
    assert "error" not in outcome, outcome.get("error")
    winner_id = ln.ULabel.get(uid="WiNnEr01").id
    assert outcome["id"] == winner_id
    assert ln.ULabel.filter(name="contested").count() == 1


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_an_instance_with_duplicates_upgrades_and_keeps_them_all(instance: dict) -> None:
    """Duplicates made before 0012: every row is kept, the oldest is the one a name returns,
    and no new duplicate can be made."""
    oldest = ln.ULabel(name="dup").save()
    later = ln.ULabel(name="later").save()
    artifact = ln.Artifact.from_dataframe(pd.DataFrame({"a": [2]}), key="d.parquet").save()
    artifact.ulabels.add(later)
    engine = runtime.connection().engine
    command.downgrade(alembic_config(engine), "0012_uniqueness")  # undo the later migrations
    with engine.begin() as conn:  # back to the schema before 0012, with a duplicate
        for table in NAME_KEYS:
            conn.execute(sa.text(f"DROP INDEX {index_name(table)}"))
        conn.execute(
            sa.text("UPDATE alembic_version SET version_num = :before"),
            {"before": revision_before("0012_uniqueness")},
        )
        conn.execute(sa.text(f"UPDATE lk_ulabel SET name = 'dup' WHERE id = {later.id}"))
    runtime.reset()
    ln.ULabel.filter().count()  # connects: the migration runs
    assert current_revision(runtime.connection().engine) == HEAD_REVISION
    assert sorted(ln.ULabel.filter(name="dup").to_list("id")) == [oldest.id, later.id]
    assert ln.Artifact.get(key="d.parquet").ulabels.all().one().id == later.id  # its links kept
    assert ln.ULabel(name="dup").id == oldest.id
    racing = ln.ULabel(name="fresh")
    ln.ULabel(name="fresh").save()
    racing.save()
    assert ln.ULabel.filter(name="fresh").count() == 1
    engine = runtime.connection().engine
    # the oldest "dup" is protected, even from SQL
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO lk_ulabel (uid, name, is_type, is_locked, created_at,"
                " branch_id, created_on_id, space_id, created_by_id) VALUES"
                " ('dupdup01', 'dup', false, false, CURRENT_TIMESTAMP, 1, 1, 1, 1)"
            )
        )
