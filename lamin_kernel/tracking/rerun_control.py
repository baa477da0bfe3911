"""Watching and stopping a rerun from another thread (the Jupyter server's rerun jobs).

A ``RerunControl`` is handed to ``rerun``/``rerun_stale``: they report the plan and each step
through it, and while a child process (a script or a kernel) runs they register how to kill
it, so ``cancel()`` stops the child at once instead of after it ends. The CLI passes none.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..errors import LaminError

StepListener = Callable[[int, str, str | None], None]
PlanListener = Callable[[list[Any]], None]


class RerunCancelled(LaminError):
    """The rerun was cancelled while it ran."""


def _ignore_step(index: int, state: str, detail: str | None) -> None:
    return None


def _ignore_plan(runs: list[Any]) -> None:
    return None


@dataclass
class RerunControl:
    """Progress listeners and a cancel flag shared between a rerun and its watcher."""

    on_plan: PlanListener = _ignore_plan
    on_step: StepListener = _ignore_step
    cancelled: threading.Event = field(default_factory=threading.Event)
    _kill: Callable[[], None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def cancel(self) -> None:
        """Stop the rerun: kill the child that runs now; no further step starts."""
        with self._lock:
            self.cancelled.set()
            kill = self._kill
        if kill is not None:
            _quietly(kill)

    def raise_if_cancelled(self) -> None:
        if self.cancelled.is_set():
            raise RerunCancelled("the rerun was cancelled")

    @contextmanager
    def child(self, kill: Callable[[], None]) -> Iterator[None]:
        """While the block runs, ``cancel()`` calls ``kill``; a cancel that came before the
        block kills the child at once."""
        with self._lock:
            self._kill = kill
            already = self.cancelled.is_set()
        if already:
            _quietly(kill)
        try:
            yield
        finally:
            with self._lock:
                self._kill = None


def _quietly(kill: Callable[[], None]) -> None:
    try:
        kill()
    except Exception:  # the child ended meanwhile: nothing to kill
        pass


def kernel_killer(client: Any) -> Callable[[], None]:
    """How to kill the kernel of an nbclient client once it has started (its process)."""

    def kill() -> None:
        manager = getattr(client, "km", None)
        process = getattr(getattr(manager, "provisioner", None), "process", None)
        if process is not None:
            process.kill()

    return kill
