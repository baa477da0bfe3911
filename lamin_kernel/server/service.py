"""The service object handed to every handler: runs blocking registry calls in worker threads.

Each call makes sure the instance is connected and ends by dropping the thread's session,
so one request never sees another's stale read snapshot. Searches run in a pool of their
own, so slow ones never hold up the other requests (the instance, pages, records); each
search also stops at its deadline (query/search_run.py), and when SEARCH_WORKERS searches
run and SEARCH_QUEUE more wait, another one is refused at once (503) instead of queueing.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from .errors import SearchBusy
from .instance import end_request, ensure_connected
from .rerun_jobs import RerunJobs

T = TypeVar("T")
WORKERS = 4
SEARCH_WORKERS = 2
SEARCH_QUEUE = 8


class Service:
    """Blocking calls of the API, run off the event loop."""

    def __init__(
        self,
        workers: int = WORKERS,
        search_workers: int = SEARCH_WORKERS,
        search_queue: int = SEARCH_QUEUE,
    ) -> None:
        self.executor = ThreadPoolExecutor(workers, thread_name_prefix="lamin-api")
        self.search_executor = ThreadPoolExecutor(search_workers, thread_name_prefix="lamin-search")
        self.search_capacity = search_workers + search_queue
        self.searches = 0  # running or waiting; changed on the event loop only
        self.reruns = RerunJobs()

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

    async def run_search(self, func: Callable[..., T], *args: Any) -> T:
        """Like run(), in the search pool; refused when the pool and its queue are full."""
        if self.searches >= self.search_capacity:
            raise SearchBusy(
                f"{self.searches} searches are running or waiting; try again in a moment"
            )
        self.searches += 1
        try:
            loop = asyncio.get_running_loop()
            call = functools.partial(self._call, func, *args)
            return await loop.run_in_executor(self.search_executor, call)
        finally:
            self.searches -= 1

    def shutdown(self) -> None:
        self.reruns.cancel_all()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.search_executor.shutdown(wait=False, cancel_futures=True)
