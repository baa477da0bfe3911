"""``@ln.flow()`` and ``@ln.step()``: every call of a function is a Run, as in LaminDB 2.12.

The Transform is the file the function is defined in (kind ``script``, keyed like a tracked
script: its path in the development directory, else its name; versioned by the file's
content); the run records the function as ``run.entrypoint`` and its arguments as
``run.params`` (records as ``Artifact[uid]``). A function without a file (a notebook cell)
gets a ``function`` transform holding its own source, keyed ``<notebook key>::<function>``.

A flow makes its run the current one (``ln.context.run``) and, with ``global_run="clear"``
(default), puts the previous one back afterwards; ``"memorize"`` keeps it current. Called
inside a tracked notebook or script or another flow, it records that run as
``run.initiated_by_run`` (LaminDB refuses this and asks for a step; the tutorial calls a flow
in a tracked notebook, so here it works). A step needs such a run and records it likewise. Artifacts passed in are inputs, artifacts returned that no run
made are outputs; an exception marks the run failed (and propagates). Async functions work
the same way.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from .. import runtime
from ..models import Artifact, SQLRecord
from ..query.queryset import QuerySet
from ..records.artifact_access import record_input
from ..records.source_code import script_source
from ..records.transform_create import key_for_path
from ..setup.session import connection, write_transaction
from . import call_site, capture, openlineage
from .detect import detect_running_code
from .environment_store import environment_artifact_id
from .identity import TransformSpec, get_or_create_transform, settle_source
from .param_types import record_label
from .runs import RunOptions, end_run, error_summary, start_run
from .target import check_uid
from .track_context import apply_branch, resolve_context

F = TypeVar("F", bound=Callable[..., Any])
GlobalRun = Literal["memorize", "clear", "none"]
TRACK_ALIASES = ("project", "space", "branch", "initiated_by_run")
NO_GLOBAL_RUN = (
    "Please track the global run context before using @ln.step(): ln.track() or @ln.flow()"
)
# (instance, key, source hash) -> the flow's Transform, as values
_transforms: dict[tuple[str, str, str | None], runtime.TransformRef] = {}


@dataclass(frozen=True)
class Decoration:
    """How a decorated function is tracked."""

    uid: str | None = None
    is_flow: bool = True
    global_run: GlobalRun = "clear"
    track_arg_aliases: bool = True


@dataclass
class FlowCall:
    """One call of a flow or step: its run, and what the function returned."""

    run: Any
    result: Any = None
    outputs: list[Any] = field(default_factory=list)


def flow(
    uid: str | Callable[..., Any] | None = None,
    global_run: GlobalRun = "clear",
    track_arg_aliases: bool = True,
) -> Any:
    """Track each call of the decorated function as a run of its file's transform."""
    if callable(uid):  # used as @ln.flow without parentheses
        return flow()(uid)
    if global_run not in ("memorize", "clear", "none"):
        raise ValueError(f"global_run is 'memorize', 'clear' or 'none', got {global_run!r}")
    return _decorator(Decoration(check_uid(uid), True, global_run, track_arg_aliases))


def step(uid: str | None = None) -> Any:
    """Track each call as a run inside the current flow or tracked notebook/script."""
    return _decorator(
        Decoration(check_uid(uid), is_flow=False, global_run="none", track_arg_aliases=False)
    )


def _decorator(how: Decoration) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with flow_call(func, how, args, kwargs) as call:
                    call.result = await func(*args, **kwargs)
                return call.result

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with flow_call(func, how, args, kwargs) as call:
                call.result = func(*args, **kwargs)
            return call.result

        return wrapper  # type: ignore[return-value]

    return decorate


@contextmanager
def flow_call(
    func: Callable[..., Any], how: Decoration, args: tuple, kwargs: dict[str, Any]
) -> Iterator[FlowCall]:
    """Start a run of ``func``'s transform, make it current, and end it as the call ends."""
    parent = runtime.current_run()
    if not how.is_flow and parent is None:
        raise RuntimeError(NO_GLOBAL_RUN)
    params, inputs = call_params(func, args, kwargs)
    labels = resolve_context(
        **{k: (params or {}).get(k) for k in TRACK_ALIASES if how.track_arg_aliases}
    )
    apply_branch(labels)
    initiator = labels.initiated_by_run or parent
    transform = flow_transform(func, how.uid)
    run = start_run(
        transform,
        RunOptions(
            params=params,
            entrypoint=func.__qualname__,
            environment_id=environment_artifact_id(),
            initiated_by_run_id=None if initiator is None else initiator.id,
        ),
    )
    tokens = runtime.set_current_run(run, transform)
    call_site.register()
    call = FlowCall(run)
    openlineage.emit_start(run, transform, parent=initiator)
    try:
        for artifact in inputs:
            record_input(artifact)
        yield call
    except BaseException as exc:
        _restore(tokens, how)
        status = "aborted" if isinstance(exc, KeyboardInterrupt) else "failed"
        ended = end_run(run, status, error_summary(exc))
        openlineage.emit_end(ended, transform, status, ended.error)
        raise
    _restore(tokens, how)
    link_outputs(run, call.result)
    openlineage.emit_end(end_run(run, "completed"), transform, "completed")


def _restore(tokens: object, how: Decoration) -> None:
    """Back to the previous current run, unless a flow memorizes its own."""
    if how.global_run != "memorize":
        runtime.restore_current_run(tokens)


def flow_key(func: Callable[..., Any]) -> tuple[str, Path | None]:
    """The key of the function's file (its path in the dev-dir, else its name) and the file.

    A function without a file (defined in a notebook cell) is keyed
    ``<notebook key>::<function>`` (the running notebook's, else the current transform's).
    """
    try:
        source_file = inspect.getsourcefile(func)
    except TypeError:
        source_file = None
    path = Path(source_file).resolve() if source_file else None
    if path is not None and path.is_file():
        return key_for_path(path), path
    running = detect_running_code() if func.__module__ == "__main__" else None
    current = runtime.current_transform()
    if running is not None:
        return f"{key_for_path(running.path)}::{func.__qualname__}", None
    if current is not None:
        return f"{current.key}::{func.__qualname__}", None
    return func.__qualname__, None


def flow_transform(func: Callable[..., Any], stem: str | None) -> runtime.TransformRef:
    """The function's Transform (its values), created or versioned by its source; remembered
    per process."""
    key, path = flow_key(func)
    source = _source_of(func, path)
    source_hash = capture.source_hash(source)
    memo = (connection().settings.uid, key, source_hash)
    if memo in _transforms:
        return _transforms[memo]
    kind = "script" if path is not None else "function"
    spec = TransformSpec(key=key, kind=kind, stem=stem, source_hash=source_hash)
    transform = get_or_create_transform(spec).transform
    if source is not None and transform.hash is None:
        transform = settle_source(transform, source, source_hash or "")
    _transforms[memo] = runtime.TransformRef.of(transform)
    return _transforms[memo]


def _source_of(func: Callable[..., Any], path: Path | None) -> str | None:
    """The file's source (a script transform), else the function's own."""
    try:
        return script_source(path) if path is not None else inspect.getsource(func)
    except (OSError, TypeError):
        return None


def call_params(
    func: Callable[..., Any], args: tuple, kwargs: dict[str, Any]
) -> tuple[dict[str, Any] | None, list[Any]]:
    """The call's arguments as JSON-able params, and the saved artifacts among them.

    As in LaminDB, None and empty lists are left out, and records appear as `Artifact[uid]`.
    """
    try:
        bound = inspect.signature(func).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return None, []
    bound.apply_defaults()
    inputs = [v for v in _flatten(bound.arguments.values()) if _is_saved_artifact(v)]
    params = {
        name: _param_value(value)
        for name, value in bound.arguments.items()
        if value is not None and not (isinstance(value, list) and not value)
    }
    return params or None, inputs


def link_outputs(run: Any, result: Any) -> None:
    """Returned artifacts that no run created yet become outputs of this run."""
    unowned = [a for a in _flatten([result]) if _is_saved_artifact(a) and a.run_id is None]
    if not unowned:
        return
    with write_transaction() as session:
        for artifact in unowned:
            artifact.run_id = run.id
            session.add(artifact)


def _flatten(values: Any) -> Iterator[Any]:
    for value in values:
        if isinstance(value, list | tuple | set | QuerySet):
            yield from _flatten(value)
        elif isinstance(value, dict):
            yield from _flatten(value.values())
        else:
            yield value


def _is_saved_artifact(value: Any) -> bool:
    return isinstance(value, Artifact) and value.id is not None


def _param_value(value: Any) -> Any:
    """JSON values as they are; records as ``Registry[uid]``; anything else as its repr."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, SQLRecord):
        return record_label(value)
    if isinstance(value, list | tuple | QuerySet):
        return [_param_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _param_value(v) for k, v in value.items()}
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."
