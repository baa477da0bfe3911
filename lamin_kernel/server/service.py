"""The service object handed to every handler: runs blocking registry calls in worker threads.

Each call makes sure the instance is connected and ends by dropping the thread's session,
so one request never sees another's stale read snapshot.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from .instance import end_request, ensure_connected

T = TypeVar("T")
WORKERS = 4


class Service:
    """Blocking calls of the API, run off the event loop."""

    def __init__(self, workers: int = WORKERS) -> None:
        self.executor = ThreadPoolExecutor(workers, thread_name_prefix="lamin-api")

    @staticmethod
    def _call(func: Callable[..., T], *args: Any) -> T:
        ensure_connected()
        try:
            return func(*args)
        finally:
            end_request()

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(self._call, func, *args))

    async def run_unconnected(self, func: Callable[..., T], *args: Any) -> T:
        """Like run(), for calls that set the instance up (no connection beforehand)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, functools.partial(func, *args))

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
