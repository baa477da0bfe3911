"""What goes with runs deleted for good: their report artifacts.

A run's report is an artifact only that run points at; when the run (or its transform) is
deleted permanently it goes too, with its bytes, unless another run still points at it. A
run's environment stays: it is stored once per distinct set of packages and shared by every
run with those packages (processes remember it), so it is kept for the next run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import inspect, select

from ..setup.session import read_session


def run_model_of(transform_model: type) -> type:
    return inspect(transform_model).relationships["runs"].mapper.class_


def plan_reports_removal(run_model: type, run_ids: list[int]) -> Callable[[], None]:
    """Before runs are deleted: a callable that removes the reports only they point at."""
    if not run_ids:
        return lambda: None
    with read_session() as session:
        reports = session.scalars(
            select(run_model.report_id).where(
                run_model.id.in_(run_ids), run_model.report_id.is_not(None)
            )
        ).all()
        shared = set(
            session.scalars(
                select(run_model.report_id).where(
                    run_model.id.not_in(run_ids), run_model.report_id.in_(set(reports))
                )
            ).all()
        )
        artifact_model = inspect(run_model).relationships["report"].mapper.class_
        artifacts = [session.get(artifact_model, i) for i in sorted(set(reports) - shared)]

    def remove() -> None:
        for artifact in artifacts:
            if artifact is not None:
                artifact.delete(permanent=True)

    return remove


def before_transform_delete(transform: Any) -> Callable[[], None]:
    """`Transform.delete(permanent=True)`: its runs go (database cascade), and their reports."""
    run_model = run_model_of(type(transform))
    with read_session() as session:
        run_ids = list(
            session.scalars(select(run_model.id).where(run_model.transform_id == transform.id))
        )
    return plan_reports_removal(run_model, run_ids)


def before_run_delete(run: Any) -> Callable[[], None]:
    """`Run.delete(permanent=True)`: its report goes with it."""
    return plan_reports_removal(type(run), [run.id])
