"""``@ln.flow()``: every call of a function is a Run of a ``function`` Transform.

The Transform's key is ``<file>::<function>`` (in a notebook, the notebook's file name), its
source the function's; the run's params are the call's arguments, artifacts passed in are
its inputs, artifacts returned are its outputs. The run is current while the function runs
(so records saved inside link to it), ``completed`` on return, ``failed`` with the error's
summary on an exception (which propagates), and a flow called inside another flow or a
tracked notebook or script records that run as ``run.initiated_by_run``. The previous
current run is restored afterwards. Async functions work the same way.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .. import runtime
from ..models import Artifact, SQLRecord
from ..records.artifact_access import record_input
from ..setup.session import connection, write_transaction
from . import capture, openlineage
from .detect import detect_running_code
from .environment_store import environment_artifact_id
from .identity import TransformSpec, get_or_create_transform, settle_source
from .runs import RunOptions, end_run, error_summary, start_run

F = TypeVar("F", bound=Callable[..., Any])
_transforms: dict[tuple[str, str, str | None], Any] = {}  # (instance, key, hash) -> Transform


@dataclass
class FlowCall:
    """One call of a flow: its run, and what the function returned."""

    run: Any
    result: Any = None
    outputs: list[Any] = field(default_factory=list)


def flow(key: str | Callable[..., Any] | None = None) -> Any:
    """Decorate a function so that each call is tracked as a run; ``key`` overrides its name."""
    if callable(key):  # used as @ln.flow without parentheses
        return flow()(key)

    def decorate(func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with flow_call(func, key, args, kwargs) as call:
                    call.result = await func(*args, **kwargs)
                return call.result

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with flow_call(func, key, args, kwargs) as call:
                call.result = func(*args, **kwargs)
            return call.result

        return wrapper  # type: ignore[return-value]

    return decorate


@contextmanager
def flow_call(
    func: Callable[..., Any], key: str | None, args: tuple, kwargs: dict[str, Any]
) -> Iterator[FlowCall]:
    """Start a run of ``func``'s transform, make it current, and end it as the call ends."""
    transform = flow_transform(func, key)
    parent = runtime.current_run()
    params, inputs = call_params(func, args, kwargs)
    run = start_run(
        transform,
        RunOptions(
            params=params,
            entrypoint=func.__qualname__,
            environment_id=environment_artifact_id(),
            initiated_by_run_id=None if parent is None else parent.id,
        ),
    )
    tokens = runtime.set_current_run(run, transform)
    call = FlowCall(run)
    openlineage.emit_start(run, transform, parent=parent)
    try:
        for artifact in inputs:
            record_input(artifact)
        yield call
    except BaseException as exc:
        runtime.restore_current_run(tokens)
        status = "aborted" if isinstance(exc, KeyboardInterrupt) else "failed"
        end_run(run, status, error_summary(exc))
        openlineage.emit_end(run, transform, status, run.error)
        raise
    runtime.restore_current_run(tokens)
    link_outputs(run, call.result)
    end_run(run, "completed")
    openlineage.emit_end(run, transform, "completed")


def flow_key(func: Callable[..., Any]) -> str:
    """``<file>::<qualified name>``; a function defined in a notebook takes the notebook's name."""
    file = None
    if func.__module__ == "__main__":
        running = detect_running_code()
        file = None if running is None else running.path.name
    if file is None:
        try:
            file = Path(inspect.getfile(func)).name
        except (TypeError, OSError):
            file = func.__module__
    return f"{file}::{func.__qualname__}"


def flow_transform(func: Callable[..., Any], key: str | None) -> Any:
    """The function's Transform, created or versioned by its source; remembered per process."""
    try:
        source: str | None = inspect.getsource(func)
    except (OSError, TypeError):
        source = None
    source_hash = capture.source_hash(source)
    name = key or flow_key(func)
    memo = (connection().settings.uid, name, source_hash)
    if memo in _transforms:
        return _transforms[memo]
    spec = TransformSpec(key=name, kind="function", source_hash=source_hash)
    transform = get_or_create_transform(spec).transform
    if source is not None and transform.hash is None:
        transform = settle_source(transform, source, source_hash or "")
    _transforms[memo] = transform
    return transform


def call_params(
    func: Callable[..., Any], args: tuple, kwargs: dict[str, Any]
) -> tuple[dict[str, Any] | None, list[Any]]:
    """The call's arguments as JSON-able params, and the saved artifacts among them."""
    try:
        bound = inspect.signature(func).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return None, []
    bound.apply_defaults()
    inputs = [v for v in _flatten(bound.arguments.values()) if _is_saved_artifact(v)]
    params = {name: _param_value(value) for name, value in bound.arguments.items()}
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
        if isinstance(value, list | tuple | set):
            yield from _flatten(value)
        elif isinstance(value, dict):
            yield from _flatten(value.values())
        else:
            yield value


def _is_saved_artifact(value: Any) -> bool:
    return isinstance(value, Artifact) and value.id is not None


def _param_value(value: Any) -> Any:
    """JSON values as they are; records as ``Registry('uid')``; anything else as its repr."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, SQLRecord):
        return f"{type(value).__name__}('{getattr(value, 'uid', value.id)}')"
    if isinstance(value, list | tuple):
        return [_param_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _param_value(v) for k, v in value.items()}
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."
