"""What goes with runs deleted for good: their report and environment artifacts.

A run's report and its environment are artifacts the run points at; when the run (or its
transform) is deleted permanently they go too, with their bytes, unless another run still
points at them (environments are shared by runs with the same packages).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import inspect, or_, select

from ..setup.session import end_read, get_session


def run_model_of(transform_model: type) -> type:
    return inspect(transform_model).relationships["runs"].mapper.class_


def plan_artifacts_removal(run_model: type, run_ids: list[int]) -> Callable[[], None]:
    """Before runs are deleted: a callable that removes their own report/environment artifacts."""
    if not run_ids:
        return lambda: None
    session = get_session()
    try:
        pairs = session.execute(
            select(run_model.report_id, run_model.environment_id).where(run_model.id.in_(run_ids))
        ).all()
        candidates = {i for pair in pairs for i in pair if i is not None}
        shared = set()
        if candidates:
            shared_rows = session.execute(
                select(run_model.report_id, run_model.environment_id).where(
                    run_model.id.not_in(run_ids),
                    or_(
                        run_model.report_id.in_(candidates),
                        run_model.environment_id.in_(candidates),
                    ),
                )
            ).all()
            shared = {i for pair in shared_rows for i in pair if i is not None}
        owned = sorted(candidates - shared)
        artifact_model = inspect(run_model).relationships["report"].mapper.class_
        artifacts = [session.get(artifact_model, i) for i in owned]
    finally:
        end_read(session)

    def remove() -> None:
        for artifact in artifacts:
            if artifact is not None:
                artifact.delete(permanent=True)

    return remove


def before_transform_delete(transform: Any) -> Callable[[], None]:
    """`Transform.delete(permanent=True)`: its runs go (database cascade), and their artifacts."""
    run_model = run_model_of(type(transform))
    session = get_session()
    try:
        run_ids = list(
            session.scalars(select(run_model.id).where(run_model.transform_id == transform.id))
        )
    finally:
        end_read(session)
    return plan_artifacts_removal(run_model, run_ids)


def before_run_delete(run: Any) -> Callable[[], None]:
    """`Run.delete(permanent=True)`: its report and environment go with it."""
    return plan_artifacts_removal(type(run), [run.id])
