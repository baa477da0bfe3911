"""Progress bars for long transfers (tqdm.auto), quiet for small ones or low verbosity."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..log import verbosity

MIN_BYTES_FOR_PROGRESS = 64 * 1024 * 1024


@contextmanager
def progress_bar(total: int, description: str) -> Iterator[Callable[[int], None] | None]:
    """Yield an `advance(n)` callback, or None when no bar is shown."""
    if total < MIN_BYTES_FOR_PROGRESS or verbosity() < 3:
        yield None
        return
    from tqdm.auto import tqdm

    bar = tqdm(
        total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=description, leave=False
    )
    try:
        yield bar.update
    finally:
        bar.close()


MIN_ITEMS_FOR_PROGRESS = 2000


@contextmanager
def count_progress(total: int, description: str) -> Iterator[Callable[[int], None]]:
    """Yield an `advance(n)` callback for work counted in items (records deleted, ...); a bar
    shows only for long work (`MIN_ITEMS_FOR_PROGRESS` items or more) at normal verbosity."""
    if total < MIN_ITEMS_FOR_PROGRESS or verbosity() < 3:
        yield lambda _n: None
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc=description, leave=False)
    try:
        yield bar.update
    finally:
        bar.close()
