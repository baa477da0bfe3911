"""A registry of a few thousand artifacts with labels, projects, records, runs and feature
values, filled in bulk (rows inserted straight into the tables; no bytes), for plan and
memory tests. Every artifact i is linked to label i % 50, project i % 10, record i % 10,
run i % 100 (of N_RUNS; run j is of transform j % N_TRANSFORMS), temperature i % 100 and experiment "exp{i % 20}".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, text

import lamin_kernel as ln
from lamin_kernel.db import statistics
from lamin_kernel.db.search_index import is_search_index_object
from lamin_kernel.setup.session import connection, write_transaction
from tests.support.artifact_rows import insert_artifacts

N_LABELS = 50
N_RUNS = 2000  # the first 100 have artifacts
N_TRANSFORMS = 200  # run j is a run of transform j % 200


@dataclass
class Registry:
    n_artifacts: int
    labels: list[Any]
    runs: list[Any]
    transforms: list[Any]
    temperature: Any
    experiment: Any
    label_feature: Any


def fill_registry(n_artifacts: int = 3000) -> Registry:
    """Artifacts (ids 1..n) with every kind of link, then fresh planner statistics."""
    insert_artifacts(n_artifacts)
    labels = [ln.ULabel(name=f"label{i}") for i in range(N_LABELS)]
    ln.save(labels)
    projects = [ln.Project(name=f"project{i}") for i in range(10)]
    records = [ln.Record(name=f"record{i}") for i in range(10)]
    ln.save(projects)
    ln.save(records)
    transforms = [ln.Transform(key=f"pipeline{i}.py", kind="pipeline") for i in range(N_TRANSFORMS)]
    ln.save(transforms)
    runs = [ln.Run(transforms[i % N_TRANSFORMS]) for i in range(N_RUNS)]
    ln.save(runs)
    temperature = ln.Feature(name="temperature", dtype=float).save()
    experiment = ln.Feature(name="experiment", dtype=str).save()
    label_feature = ln.Feature(name="cell_label", dtype=ln.ULabel).save()
    values = [ln.JsonValue(feature=temperature, value=float(t)) for t in range(100)]
    values += [ln.JsonValue(feature=experiment, value=f"exp{e}") for e in range(20)]
    ln.save(values)
    ids = _artifact_ids()
    with write_transaction() as session:
        _link(session, "lk_artifact_ulabel", "ulabel_id", ids, [x.id for x in labels])
        _link(session, "lk_artifact_project", "project_id", ids, [x.id for x in projects])
        _link(session, "lk_artifact_record", "record_id", ids, [x.id for x in records])
        _link(session, "lk_artifact_jsonvalue", "jsonvalue_id", ids, [v.id for v in values[:100]])
        _link(session, "lk_artifact_jsonvalue", "jsonvalue_id", ids, [v.id for v in values[100:]])
        featured = [
            {"artifact_id": a, "ulabel_id": labels[k % 7].id, "feature_id": label_feature.id}
            for k, a in enumerate(ids)
        ]
        session.execute(insert(_table("lk_artifact_ulabel")), featured)
        for k, run in enumerate(runs[:100]):
            session.execute(
                text("UPDATE lk_artifact SET run_id = :run WHERE id % 100 = :k"),
                {"run": run.id, "k": k},
            )
    refresh_statistics()
    return Registry(n_artifacts, labels, runs, transforms, temperature, experiment, label_feature)


def refresh_statistics() -> None:
    """What a long-lived instance has: statistics of every table (SQLite ANALYZE, PostgreSQL
    ANALYZE)."""
    with write_transaction() as session:
        conn = session.connection()
        if conn.dialect.name == "sqlite":
            for table in conn.dialect.get_table_names(conn):
                if not is_search_index_object(table):  # FTS5 tables keep no statistics
                    statistics.analyze(conn, table)
        else:
            conn.execute(text("ANALYZE"))
    connection().engine.dispose()  # new connections read the new statistics


def _artifact_ids() -> list[int]:
    with write_transaction() as session:
        return list(session.execute(select(ln.Artifact.id).order_by(ln.Artifact.id)).scalars())


def _table(name: str) -> Any:
    return ln.Artifact.metadata.tables[name]


def _link(session: Any, table: str, column: str, ids: list[int], targets: list[int]) -> None:
    rows = [{"artifact_id": a, column: targets[k % len(targets)]} for k, a in enumerate(ids)]
    session.execute(insert(_table(table)), rows)
