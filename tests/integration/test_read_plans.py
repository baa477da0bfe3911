"""Lookups by an indexed property plan from that index, on SQLite and PostgreSQL.

Each filter a user makes by key, uid, hash, label name, project, record, feature value, run or
transform must read the tables through index conditions only: its cost then follows the
number of matches, not the size of the registry. A dropped index or a filter rewritten into a
shape no index serves (a correlated EXISTS per artifact row, a function around the column)
fails here, before any benchmark sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import lamin_kernel as ln
from lamin_kernel import runtime
from lamin_kernel.records import staleness
from tests.support.plans import full_reads, indexes_used, scans
from tests.support.registry_rows import (
    N_LABELS,
    N_RUNS,
    N_TRANSFORMS,
    Registry,
    fill_registry,
)

N_ARTIFACTS = 3000
BIG_TABLES = {
    "lk_artifact",
    "lk_run",
    "lk_artifact_ulabel",
    "lk_artifact_project",
    "lk_artifact_record",
    "lk_artifact_jsonvalue",
}


def artifact_lookups(reg: Registry) -> dict[str, tuple[Callable[[], Any], set[str], int]]:
    """name -> (QuerySet, indexes its plan must use, number of artifacts it selects)."""
    first = ln.Artifact.filter(key="bulk/000123.txt").one()
    run, transform = reg.runs[7], reg.runs[7].transform
    per_transform = N_ARTIFACTS // 100  # artifacts of one run (the only one with artifacts)
    # artifact k is linked to label k % 50, and to label k % 7 as its `cell_label` value
    every_seventh = {k for k in range(N_ARTIFACTS) if k % 7 == 3}
    f = ln.Artifact.filter
    return {
        "key": (lambda: f(key="bulk/000123.txt"), {"ix_lk_artifact_key"}, 1),
        "key prefix": (lambda: f(key__startswith="bulk/0001"), {"ix_lk_artifact_key"}, 100),
        "uid": (lambda: f(uid=first.uid), {"ix_lk_artifact_uid"}, 1),
        "uid stem": (lambda: f(uid__startswith=first.uid[:16]), {"ix_lk_artifact_uid"}, 1),
        "hash": (lambda: f(hash=first.hash), {"ix_lk_artifact_hash"}, 1),
        "label name": (
            lambda: f(ulabels__name="label13"),
            {"ix_lk_ulabel_name", "ix_lk_artifact_ulabel_ulabel_id"},
            N_ARTIFACTS // N_LABELS,
        ),
        "label record": (
            lambda: f(ulabels=reg.labels[13]),
            {"ix_lk_artifact_ulabel_ulabel_id"},
            N_ARTIFACTS // N_LABELS,
        ),
        "labels in": (
            lambda: f(ulabels__in=reg.labels[10:12]),
            {"ix_lk_artifact_ulabel_ulabel_id"},
            2 * N_ARTIFACTS // N_LABELS,
        ),
        "project name": (
            lambda: f(projects__name="project3"),
            {"ix_lk_project_name", "ix_lk_artifact_project_project_id"},
            N_ARTIFACTS // 10,
        ),
        "record name": (
            lambda: f(records__name="record3"),
            {"ix_lk_record_name", "ix_lk_artifact_record_record_id"},
            N_ARTIFACTS // 10,
        ),
        "run": (lambda: f(run=run), {"ix_lk_artifact_run_id"}, N_ARTIFACTS // 100),
        "run uid": (
            lambda: f(run__uid=run.uid),
            {"ix_lk_run_uid", "ix_lk_artifact_run_id"},
            N_ARTIFACTS // 100,
        ),
        "transform": (
            lambda: f(transform=transform),
            {"ix_lk_run_transform_id", "ix_lk_artifact_run_id"},
            per_transform,
        ),
        "transform key": (
            lambda: f(transform__key=transform.key),
            {"ix_lk_transform_key", "ix_lk_run_transform_id", "ix_lk_artifact_run_id"},
            per_transform,
        ),
        "run transform key": (
            lambda: f(run__transform__key=transform.key),
            {"ix_lk_transform_key", "ix_lk_artifact_run_id"},
            per_transform,
        ),
        "feature number": (
            lambda: f(temperature=21.0),
            {"ix_lk_jsonvalue_feature_number", "ix_lk_artifact_jsonvalue_jsonvalue_id"},
            N_ARTIFACTS // 100,
        ),
        "feature range": (
            lambda: f(temperature__gte=95),
            {"ix_lk_jsonvalue_feature_number", "ix_lk_artifact_jsonvalue_jsonvalue_id"},
            5 * N_ARTIFACTS // 100,
        ),
        "feature text": (
            lambda: f(experiment="exp3"),
            {"ix_lk_artifact_jsonvalue_jsonvalue_id"},  # and (feature, number) or the hash
            N_ARTIFACTS // 20,
        ),
        "categorical feature": (
            lambda: f(cell_label="label3"),
            {"ix_lk_artifact_ulabel_ulabel_id"},  # 50 labels: reading them all is cheaper
            len(every_seventh),
        ),
    }


def internal_reads() -> dict[str, tuple[Any, set[str]]]:
    """Statements the package runs itself (not a user's filter) -> indexes they must use."""
    stems = [uid[:16] for uid in ln.Artifact.filter().order_by("id").to_list("uid")[:100]]
    return {
        # describe() and the record page: the latest version of each input of the run
        "versions of 100 uid stems": (
            staleness.version_family_rows(ln.Artifact, stems),
            {"ix_lk_artifact_uid"},
        ),
    }


def plan_problems(qs: Any, expected: set[str]) -> list[str]:
    statement = qs if hasattr(qs, "is_select") else qs.statement(qs.model.id).order_by(None)
    found = scans(statement)
    problems = [f"reads all of {s.table} ({s.detail})" for s in full_reads(found, BIG_TABLES)]
    used = indexes_used(found)
    # PostgreSQL may answer an equality from the byte-ordered prefix index of the same column;
    # "a|b" expects either index (a name is also in its registry's unique name index)
    missing = {
        e for e in expected if not any(a in used or f"{a}_prefix" in used for a in e.split("|"))
    }
    if missing:
        problems.append(f"does not use {sorted(missing)}; plan: {[s.detail for s in found]}")
    return problems


def row_reads_of_picked_ids(qs: Any) -> list[str]:
    """SQLite: artifacts picked by a subquery (a label, a feature value) are checked for their
    branch in the (branch_id, id) index, without reading each picked row (40x slower for a
    count of 2,000 matches among 100,000)."""
    found = scans(qs.statement(qs.model.id).order_by(None))
    if runtime.connection().engine.dialect.name != "sqlite":
        return []
    reads = [s for s in found if s.table == "lk_artifact"]
    if all("COVERING INDEX ix_lk_artifact_branch_id" in s.detail for s in reads):
        return []
    return [f"reads each picked artifact row: {[s.detail for s in reads]}"]


def describe(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {'; '.join(found)}" for name, found in problems.items())


def other_lookups(reg: Registry) -> dict[str, tuple[Callable[[], Any], set[str], int]]:
    """Lookups on other registries, across relations in both directions."""
    transform = reg.transforms[3]
    return {
        "runs of a transform key": (
            lambda: ln.Run.filter(transform__key=transform.key),
            {"ix_lk_transform_key", "ix_lk_run_transform_id"},
            N_RUNS // N_TRANSFORMS,
        ),
        "labels of an artifact key": (
            lambda: ln.ULabel.filter(artifacts__key="bulk/000123.txt"),
            {"ix_lk_artifact_key"},  # then the link's unique (artifact_id, ...) index
            2,
        ),
        "label by name": (
            lambda: ln.ULabel.filter(name="label3"),
            {"ix_lk_ulabel_name|lk_ulabel_unique_name"},
            1,
        ),
    }


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_lookups_plan_from_indexes(instance: dict) -> None:
    registry = fill_registry(N_ARTIFACTS)
    problems = {}
    cases = {**artifact_lookups(registry), **other_lookups(registry)}
    for name, (make, expected, n_selected) in cases.items():
        qs = make()
        found = plan_problems(qs, expected)
        if found:
            problems[name] = found
        assert qs.count() == n_selected, name
    for name in ("label name", "label record", "feature number"):
        found = row_reads_of_picked_ids(cases[name][0]())
        if found:
            problems[f"{name}: picked ids"] = found
    for name, (statement, expected) in internal_reads().items():
        found = plan_problems(statement, expected)
        if found:
            problems[name] = found
    assert not problems, describe(problems)


@pytest.mark.backends("sqlite-local", "postgres-local")
def test_relation_filters_keep_django_semantics(instance: dict) -> None:
    """exclude() across a relation keeps rows without any related record; isnull and None."""
    fill_registry(200)
    bare = ln.Artifact.filter(key="bulk/000007.txt").one()
    ln.Artifact.filter(id=bare.id).update(run_id=None)
    assert ln.Artifact.filter(run__isnull=True).count() == 1
    assert ln.Artifact.filter(run=None).one().id == bare.id
    excluded = ln.Artifact.exclude(run__transform__key="pipeline7.py")
    assert bare.id in excluded.to_list("id")
    assert excluded.count() == 200 - 200 // 100  # pipeline7 has run 7: ids 7 and 107
    unlabelled = ln.ULabel(name="unused").save()
    assert ln.ULabel.filter(artifacts__isnull=True).to_list("name") == ["unused"]
    assert ln.ULabel.filter(artifacts=None).one().id == unlabelled.id
    assert ln.ULabel.exclude(artifacts__key="bulk/000007.txt").count() == N_LABELS + 1 - 2
    with pytest.raises(ln.errors.FieldValidationError, match="ulabels__<field>__startswith"):
        ln.Artifact.filter(ulabels__startswith="label")
