"""Reruns started from the pages, as background jobs: `lamin rerun RUN_UID [--check]` from the
Run page and `lamin rerun --stale KEY|UID` from the "upstream changed" banner.

A rerun takes seconds to minutes, so a request only starts it (in a thread of its own, never
the API's pool) and answers the job; the page polls GET `reruns/<id>` for its progress (the
plan of runs and the state of each) and its result, and DELETE cancels it (the child process
is killed). One job runs at a time per instance: a second start is refused (409) while one
runs. Finished jobs are kept (the last ``KEEP_FINISHED``) so a reopened page finds them.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from .. import models
from ..errors import DoesNotExist, IntegrityError
from ..tracking import rerun as reruns
from ..tracking.rerun_control import RerunCancelled, RerunControl
from .instance import end_request, ensure_connected
from .jsonable import jsonable

log = logging.getLogger("lamin_kernel.server")

Kind = Literal["run", "stale"]
State = Literal["running", "done", "failed", "cancelled"]
KEEP_FINISHED = 20


class RerunBusy(IntegrityError):
    """A rerun job of this instance is running already."""


@dataclass
class RerunJob:
    """One rerun started from a page, as the page sees it."""

    id: str
    instance: str
    kind: Kind
    target: str
    check: bool
    control: RerunControl = field(default_factory=RerunControl)
    state: State = "running"
    steps: list[dict[str, Any]] = field(default_factory=list)
    environment: dict[str, Any] | None = None  # a run's packages that differ, before it runs
    result: dict[str, Any] | None = None
    error: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def to_json(self) -> dict[str, Any]:
        return jsonable(
            {
                "id": self.id,
                "kind": self.kind,
                "target": self.target,
                "check": self.check,
                "state": self.state,
                "steps": [dict(step) for step in self.steps],
                "environment": self.environment,
                "result": self.result,
                "error": self.error,
                "started_at": self.started,
                "finished_at": self.finished,
                "seconds": round((self.finished or time.time()) - self.started, 1),
            }
        )

    def plan(self, runs: list[Any]) -> None:
        self.steps = [_step(run) for run in runs]

    def step(self, index: int, state: str, detail: str | None) -> None:
        if index < len(self.steps):
            self.steps[index]["state"] = state
            key = "rerun" if state == "done" else "error"
            self.steps[index][key] = detail


def _step(run: Any) -> dict[str, Any]:
    return {
        "run": run.uid,
        "transform": run.transform.key,
        "state": "pending",
        "rerun": None,
        "error": None,
    }


def check_answer(result: reruns.RerunResult) -> dict[str, Any]:
    """The result of one rerun: its new run (none for a check), each output's status."""
    return {
        "original": result.original.uid,
        "checked": result.checked,
        "rerun": None if result.checked or result.rerun is None else result.rerun.uid,
        "reproduced": result.reproduced,
        "seconds": round(result.seconds, 2),
        "environment": result.environment,
        "checks": [
            {
                "label": c.label,
                "status": c.status,
                "original": c.original,
                "rerun": None if result.checked else c.rerun,
                "details": c.detail_text(),
            }
            for c in result.checks
        ],
    }


def _resolve(kind: Kind, target: str) -> tuple[str, list[Any]]:
    """Check the target before a job starts (404 when it does not exist): the run's uid, or
    the artifact's key or uid as given; for a run, its plan of one step."""
    if kind == "run":
        run = models.Run.get(target)
        return run.uid, [run]
    reruns.stale_source(target)  # DoesNotExist names the key or uid
    return target, []


class RerunJobs:
    """The rerun jobs of this server (see the module)."""

    def __init__(self) -> None:
        self._jobs: dict[str, RerunJob] = {}
        self._lock = threading.Lock()

    def start(self, kind: Kind, target: str, check: bool) -> dict[str, Any]:
        """Start a job (called in an API worker thread, connected); RerunBusy while another
        job of the instance runs."""
        instance = ensure_connected().settings.slug
        target, plan = _resolve(kind, target)
        environment = reruns.environment_changes(plan[0]) if kind == "run" else None
        with self._lock:
            running = [j for j in self._jobs.values() if j.instance == instance]
            busy = next((j for j in running if j.state == "running"), None)
            if busy is not None:
                raise RerunBusy(
                    f"a rerun of {busy.target} is running on this instance (job {busy.id}); "
                    "wait for it or cancel it first"
                )
            job = RerunJob(uuid.uuid4().hex[:12], instance, kind, target, check)
            job.control.on_plan = job.plan
            job.control.on_step = job.step
            job.plan(plan)
            job.environment = environment
            self._jobs[job.id] = job
            self._forget_old()
        thread = threading.Thread(target=self._work, args=(job,), name=f"lamin-rerun-{job.id}")
        thread.daemon = True
        thread.start()
        return job.to_json()

    def get(self, job_id: str) -> dict[str, Any]:
        return self._job(job_id).to_json()

    def latest(self) -> dict[str, Any]:
        """GET reruns: the newest job of the current instance, or null."""
        instance = ensure_connected().settings.slug
        with self._lock:
            mine = [j for j in self._jobs.values() if j.instance == instance]
        return {"job": max(mine, key=lambda j: j.started).to_json() if mine else None}

    def cancel(self, job_id: str) -> dict[str, Any]:
        """DELETE reruns/<id>: stop a running job (a finished one is left as it is)."""
        job = self._job(job_id)
        if job.state == "running":
            job.control.cancel()
        return job.to_json()

    def cancel_all(self) -> None:
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.control.cancel()

    def _job(self, job_id: str) -> RerunJob:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise DoesNotExist(f"no rerun job {job_id!r} on this server")
        return job

    def _forget_old(self) -> None:
        finished = sorted(
            (j for j in self._jobs.values() if j.state != "running"), key=lambda j: j.started
        )
        for job in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[job.id]

    def _work(self, job: RerunJob) -> None:
        ensure_connected()
        try:
            job.result = _execute(job)
            job.state = "done"
        except RerunCancelled:
            job.state, job.error = "cancelled", "the rerun was cancelled"
            _cancel_steps(job)
        except reruns.RerunFailed as exc:
            job.state, job.error = "failed", str(exc)
        except Exception as exc:  # a failure of the package itself: the job says so
            log.error("rerun job %s failed", job.id, exc_info=exc)
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            job.finished = time.time()
            end_request()


def _execute(job: RerunJob) -> dict[str, Any]:
    if job.kind == "stale":
        results = reruns.rerun_stale(job.target, job.control)
        return {"reruns": [check_answer(r) for r in results]}
    job.step(0, "running", None)
    try:
        result = reruns.rerun(job.target, check=job.check, control=job.control)
    except reruns.RerunFailed as exc:
        job.step(0, "failed", str(exc))
        raise
    job.step(0, "done", None if job.check or result.rerun is None else result.rerun.uid)
    return check_answer(result)


def _cancel_steps(job: RerunJob) -> None:
    for step in job.steps:
        if step["state"] in ("pending", "running"):
            step["state"] = "cancelled"
