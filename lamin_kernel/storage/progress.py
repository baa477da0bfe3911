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
