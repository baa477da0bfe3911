"""The records `ln.track()` is given by name: project, space, branch, plan, initiating run.

Each is a record or its name/uid (a plan also by key); one that does not exist is an
`InvalidArgument` in LaminDB's words, raised before anything is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidArgument
from ..models import Artifact, Branch, Collection, Project, Run, Space, SQLRecord
from ..query.q import Q
from ..setup.session import set_process_branch_id, set_process_space_id

INITIATED_BY_ENV = "LAMIN_INITIATED_BY_RUN_UID"
PROJECT_ENV = "LAMIN_CURRENT_PROJECT"


@dataclass(frozen=True)
class TrackContext:
    """What a tracked run is labelled with and where its records go."""

    project: Any | None = None
    space: Any | None = None
    branch: Any | None = None
    plan: Any | None = None
    initiated_by_run: Any | None = None


def _saved(value: SQLRecord, what: str) -> SQLRecord:
    if value.id is None:
        raise InvalidArgument(f"{what} must be saved before passing it to track()")
    return value


def _by_name_or_uid(model: type, value: Any, what: str) -> Any:
    if isinstance(value, model):
        return _saved(value, what)
    if not isinstance(value, str):
        raise InvalidArgument(f"{what} is a {model.__name__} or its name or uid, got {value!r}")
    return model.filter(Q(name=value) | Q(uid=value)).first()


NOT_FOUND = {
    "Project": (
        "Project '{value}' not found, either create it with `ln.Project(name='...').save()` "
        "or fix typos."
    ),
    "Space": "Space '{value}', please check on the hub UI whether you have the correct `uid` "
    "or `name`.",
    "Branch": "Branch '{value}', please check on the hub UI whether you have the correct "
    "`uid` or `name`.",
}


def _resolve_named(model: type, value: Any) -> Any | None:
    """A record of `model` given as itself, its name or its uid; None stays None."""
    if value is None:
        return None
    found = _by_name_or_uid(model, value, model.__name__)
    if found is None:
        raise InvalidArgument(NOT_FOUND[model.__name__].format(value=value))
    return found


def resolve_project(value: Any) -> Any | None:
    return _resolve_named(Project, value if value is not None else os.environ.get(PROJECT_ENV))


def resolve_space(value: Any) -> Any | None:
    return _resolve_named(Space, value)


def resolve_branch(value: Any) -> Any | None:
    return _resolve_named(Branch, value)


def resolve_plan_artifact(value: Any) -> Any | None:
    """A saved plan artifact given as a record, a key or a uid (None: a path to store)."""
    if isinstance(value, Artifact):
        return _saved(value, "Plan artifact")
    if isinstance(value, str):
        return Artifact.filter(Q(key=value) | Q(uid=value)).first()
    return None


def resolve_initiated_by(value: Any) -> Any | None:
    value = value if value is not None else os.environ.get(INITIATED_BY_ENV)
    if value is None:
        return None
    if isinstance(value, Run):
        return _saved(value, "initiated_by_run")
    found = Run.filter(uid=value).first() if isinstance(value, str) else None
    if found is None:
        raise InvalidArgument(f"Run '{value}' not found, please pass a valid run uid.")
    return found


def resolve_context(
    project: Any = None, space: Any = None, branch: Any = None, initiated_by_run: Any = None
) -> TrackContext:
    """Look every given record up; nothing is changed yet."""
    return TrackContext(
        project=resolve_project(project),
        space=resolve_space(space),
        branch=resolve_branch(branch),
        initiated_by_run=resolve_initiated_by(initiated_by_run),
    )


def apply_branch(context: TrackContext) -> None:
    """Records of this process go to the run's branch and space from now on
    (`track(branch=..., space=...)`)."""
    if context.branch is not None:
        set_process_branch_id(int(context.branch.id))
    if context.space is not None:
        set_process_space_id(int(context.space.id))


def label_outputs(run: Any, project: Any | None) -> None:
    """The artifacts and collections the run created are labelled with `track(project=...)`.

    Done when the run ends, in one write per registry (`project.artifacts.add(...)`).
    """
    if project is None or run is None:
        return
    artifacts = list(Artifact.filter(run_id=run.id))
    if artifacts:
        project.artifacts.add(*artifacts)
    collections = list(Collection.filter(run_id=run.id))
    if collections:
        project.collections.add(*collections)
