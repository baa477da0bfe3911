"""``ln.track()``: find the running notebook or script, get its Transform, start a Run.

The steps, each in its own module: what runs (``target``), which Transform it is
(``identity``), its environment and plan (``environment_store``, ``plans``), the Run
(``runs``); then the run becomes current, exit handlers and front ends are set up, and the
messages read like LaminDB's.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import log, runtime
from ..errors import InvalidArgument
from ..records.transform_create import KINDS
from ..setup.session import connection
from . import (
    activity,
    call_site,
    capture,
    check_mode,
    exit_hooks,
    openlineage,
    report,
    state,
    streams,
)
from .current import context
from .ending import end_tracked
from .environment_store import environment_artifact_id
from .identity import Resolved, TransformSpec, get_or_create_transform, settle_source
from .jupyter_sessions import current_kernel_id
from .param_types import typed_params
from .pipelines import check_pipeline, load_pipeline, pipeline_target
from .plans import save_plan
from .rerun_pins import register_pins
from .runs import RunOptions, check_dict, check_params, format_time, start_run
from .target import (
    Target,
    check_key,
    check_uid,
    full_uid,
    resolve_target,
    source_code_target,
)
from .track_context import TrackContext, apply_branch, resolve_context, resolve_plan_artifact


@dataclass(frozen=True)
class TrackRequest:
    """The arguments of ``ln.track()``, and whether auto-track (not the user) asked."""

    uid: str | None = None
    key: str | None = None
    params: dict[str, Any] | None = None
    plan: Any = None
    auto: bool = False
    transform: Any = None  # a Transform record (pipelines, not notebooks or scripts)
    features: dict[str, Any] | None = None
    labels: TrackContext = field(default_factory=TrackContext)
    new_run: bool | None = None
    code: CodeOptions = field(default_factory=lambda: CodeOptions())


@dataclass(frozen=True)
class CodeOptions:
    """What ``ln.track()`` is told about the code instead of detecting it, and what it keeps.

    ``path``: the notebook or script file; ``source_code`` (with ``key``): code given as text,
    of ``kind`` (default ``function``); ``entrypoint``: what in the code runs (a function's
    qualified name), stored as ``run.entrypoint``; ``pypackages=False``: the imported packages
    are not inferred; ``stream_tracking=True``: stdout and stderr become the run's log
    (``run.report``); ``expected_param_types``: the annotations ``params`` are checked against.
    """

    path: Any = None
    source_code: str | None = None
    kind: str | None = None
    entrypoint: str | None = None
    pypackages: bool | None = None
    stream_tracking: bool | None = None
    expected_param_types: dict[str, Any] | None = None


def track(
    transform: Any = None,
    *,
    project: Any = None,
    space: Any = None,
    branch: Any = None,
    plan: Any = None,
    features: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
    expected_param_types: dict[str, Any] | None = None,
    new_run: bool | None = None,
    pypackages: bool | None = None,
    key: str | None = None,
    path: str | Path | None = None,
    source_code: str | None = None,
    kind: str | None = None,
    entrypoint: str | None = None,
    initiated_by_run: Any = None,
    stream_tracking: bool | None = None,
    uid: str | None = None,
) -> None:
    """Track the running notebook or script (or a pipeline Transform): start a new Run.

    ``transform`` is the uid printed by the first ``track()`` (12 characters: the code across
    renames; 16: one version) or a saved pipeline Transform; ``key`` names the code when there
    is no file to detect (a console). ``project``, ``space``, ``branch`` and
    ``initiated_by_run`` are records or their names/uids; ``params`` are stored on the run,
    ``features`` as its feature values; ``plan`` is a markdown file (or a saved plan artifact)
    linked as ``run.plan``. ``path``, ``source_code``, ``kind``, ``entrypoint``,
    ``pypackages``, ``stream_tracking`` and ``expected_param_types``: see ``CodeOptions``.
    """
    if isinstance(transform, str):
        uid, transform = transform, None
    register_pins()  # in `lamin rerun`'s process: the original run's input versions
    check_folder = check_mode.requested()
    if check_folder is not None:
        check_mode.start(check_folder)  # `lamin rerun --check`: a dry run, no Run
        return
    labels = resolve_context(project, space, branch, initiated_by_run)
    code = check_code_options(
        CodeOptions(
            path=path,
            source_code=source_code,
            kind=kind,
            entrypoint=entrypoint,
            pypackages=pypackages,
            stream_tracking=stream_tracking,
            expected_param_types=expected_param_types,
        )
    )
    request = TrackRequest(
        uid=uid,
        key=key,
        params=params,
        plan=plan,
        transform=transform,
        features=features,
        labels=labels,
        new_run=new_run,
        code=code,
    )
    start_tracking(request)


def check_code_options(code: CodeOptions) -> CodeOptions:
    """Refuse what cannot be tracked before anything is written."""
    for name in ("source_code", "kind", "entrypoint"):
        value = getattr(code, name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise InvalidArgument(f"{name} must be a non-empty string, got {value!r}")
    if code.kind is not None and code.kind not in KINDS:
        raise InvalidArgument(f"kind must be one of {list(KINDS)}, got {code.kind!r}")
    for name in ("pypackages", "stream_tracking"):
        value = getattr(code, name)
        if value is not None and not isinstance(value, bool):
            raise InvalidArgument(f"{name} must be True, False or None, got {value!r}")
    return code


def start_tracking(request: TrackRequest) -> state.Tracked:
    """``track()`` proper; auto-track calls it with ``auto=True``."""
    stem = check_uid(request.uid)
    check_key(request.key)
    code = request.code
    params = request.params
    if params is not None and code.expected_param_types is not None:
        params = typed_params(check_dict(params), code.expected_param_types)
    params = check_params(params)
    previous = state.current()
    if _adopt_auto_tracked(previous, request):
        return previous  # type: ignore[return-value]
    if request.transform is not None:
        check_pipeline(request.transform)
    apply_branch(request.labels)
    target = _target(request)
    _attach_kernel_front_end()
    plan = _plan_artifact(request.plan)
    source = code.source_code or capture.read_source(target.kind, target.path)
    resolved = (
        _resolve_transform(target, stem, source, request.uid)
        if request.transform is None
        else load_pipeline(request.transform)
    )
    if code.source_code is not None:  # code given as text is the transform's source now
        resolved = Resolved(
            settle_source(resolved.transform, source, capture.source_hash(source) or ""),
            resolved.how,
        )
    initiator = request.labels.initiated_by_run or runtime.current_run()
    if previous is not None and initiator is not None and initiator.id == previous.run.id:
        initiator = None  # a new track() is not started by the run it replaces
    cli_args, entrypoint = _invocation(target)
    entrypoint = code.entrypoint or entrypoint
    packages = (
        None
        if code.pypackages is False
        else capture.packages_imported(target.kind, target.path, source)
    )
    options = RunOptions(
        params=params,
        cli_args=cli_args,
        entrypoint=entrypoint,
        environment_id=_environment_id(),
        plan_id=None if plan is None else plan.id,
        initiated_by_run_id=None if initiator is None else initiator.id,
        imported_packages=packages,
    )
    run = start_run(resolved.transform, options)
    if request.features:
        _add_features(run, request.features)
    if previous is not None and not previous.finished:
        end_tracked(previous, "aborted", error=f"superseded by Run('{run.uid}')")
    tracked = _make_current(resolved.transform, run, target, request.auto)
    if _captures_streams(code, target):
        streams.start(run.uid, connection().settings.slug)
    context.labels = {k: getattr(request.labels, k) for k in ("project", "space", "branch")}
    imports = capture.imports_line(target.kind, packages)
    _announce(resolved, run, target, stem is not None, imports, entrypoint)
    if target.kind == "notebook":
        report.preload_report_renderer()
    state.notify()
    openlineage.emit_start(run, resolved.transform, parent=initiator)
    return tracked


def _target(request: TrackRequest) -> Target:
    code = request.code
    if request.transform is not None:
        return pipeline_target(request.transform)
    if code.source_code is not None:
        return source_code_target(request.key, code.path, code.kind)
    return resolve_target(request.key, request.uid, path=code.path)


def _captures_streams(code: CodeOptions, target: Target) -> bool:
    """Only when asked: LaminDB captures a script's streams by default, this project when
    ``stream_tracking=True`` (docs/compatibility.md)."""
    return bool(code.stream_tracking) and target.kind != "notebook"


def _add_features(run: Any, features: dict[str, Any]) -> None:
    """The run's feature values; features that do not validate leave no run behind."""
    try:
        run.features.add_values(features)
    except BaseException:
        run.delete(permanent=True)
        raise


def _plan_artifact(plan: Any) -> Any | None:
    """A saved plan artifact (record, key or uid), else the markdown file stored now."""
    if plan is None:
        return None
    found = resolve_plan_artifact(plan)
    if found is not None:
        return found
    if not isinstance(plan, str | Path):
        raise InvalidArgument(f"plan is a markdown file or a saved plan artifact, got {plan!r}")
    if not Path(plan).expanduser().exists():
        raise InvalidArgument(
            f"Plan artifact '{plan}' not found, either create it or use a valid key/uid."
        )
    return save_plan(plan)


def _resolve_transform(
    target: Target, stem: str | None, source: str | None, uid: str | None
) -> Resolved:
    title = capture.notebook_title(target.path) if target.kind == "notebook" else None
    spec = TransformSpec(
        key=target.key,
        kind=target.kind,
        stem=stem,
        source_hash=capture.source_hash(source),
        description=title,
        full_uid=full_uid(uid),
        version=context.version,
    )
    return get_or_create_transform(spec)


def _adopt_auto_tracked(previous: state.Tracked | None, request: TrackRequest) -> bool:
    """A plain ``ln.track()`` in a notebook that auto-track already tracks keeps that run."""
    plain = request == TrackRequest(auto=request.auto)
    if previous is None or not previous.auto or previous.finished or not plain:
        return False
    log.info(f"this notebook is already tracked (auto-track): Run('{previous.run.uid}')")
    return True


def _attach_kernel_front_end() -> None:
    """In a Jupyter kernel, load the IPython extension (``%load_ext lamin_kernel``).

    It registers the hooks ``finish()`` uses to have the frontend save the notebook and the
    comm that tells JupyterLab what is tracked. Found through the running shell, so this
    module never imports IPython or ``lamin_kernel.jupyter``.
    """
    if "ipykernel" not in sys.modules or "IPython" not in sys.modules:
        return
    shell = sys.modules["IPython"].get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return
    try:
        shell.extension_manager.load_extension("lamin_kernel")
    except Exception as exc:  # tracking works without the front end
        log.warning(f"could not load the lamin_kernel IPython extension: {exc}")


def _invocation(target: Target) -> tuple[str | None, str | None]:
    """A script's command-line arguments, and its module when run with ``python -m``."""
    if target.kind != "script" or target.found_by != "main_file":
        return None, None
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return shlex.join(sys.argv[1:]) or None, None if spec is None else spec.name


def _environment_id() -> int | None:
    try:
        return environment_artifact_id()
    except Exception as exc:  # a storage problem must not stop the run from starting
        log.warning(f"could not store the run's environment: {exc}")
        return None


def _make_current(transform: Any, run: Any, target: Target, auto: bool) -> state.Tracked:
    runtime.set_current_run(run, transform)
    tracked = state.Tracked(
        run=runtime.RunRef.of(run, transform, instance_uid=connection().settings.uid),
        kind=target.kind,
        path=target.path,
        instance_uid=connection().settings.uid,
        auto=auto,
        kernel_id=current_kernel_id(),
    )
    state.set_current(tracked)
    activity.watch()
    call_site.register()
    exit_hooks.install(target.kind)
    return tracked


def _announce(
    resolved: Resolved,
    run: Any,
    target: Target,
    uid_given: bool,
    imports: str | None,
    entrypoint: str | None = None,
) -> None:
    transform = resolved.transform
    verb = "loaded" if resolved.how == "loaded" else "created"
    version = " (new version)" if resolved.how == "new_version" else ""
    named = f", entrypoint='{entrypoint}'" if entrypoint else ""
    log.info(
        f"{verb} Transform('{transform.uid}', key='{transform.key}'){version}, "
        f"started new Run('{run.uid}'{named}) at {format_time(run.started_at)}"
    )
    if imports:
        log.info(imports)
    if not uid_given and target.path is not None:
        log.info(
            f"recommendation: to identify the {target.kind} across renames, pass the uid: "
            f'ln.track("{transform.uid[:-4]}")'
        )
