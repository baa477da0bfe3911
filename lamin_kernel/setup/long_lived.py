"""Keep the objects that import and ORM set-up create out of the cyclic collector's way.

SQLAlchemy, pydantic and the registry classes leave a few hundred thousand objects that live as
long as the process. Every full collection walks all of them, during bulk saves and once more
when the interpreter exits (0.1-0.2 s per script). ``gc.freeze()`` after the first connection
moves them to the permanent generation, so collections see only what came after; reference
counting still frees frozen objects as usual. ``LAMIN_GC_FREEZE=0`` leaves the collector alone.

``gc_paused()`` keeps the collector off while a bulk of long-lived objects is made (defining the
registries: SQLAlchemy's and pydantic's class machinery allocate ~10^5 objects, and every
generation-0 overflow would rescan them; ~12% of the registries' definition time).
``freeze_defined()`` then freezes them where they were made: re-enabled, the collector's first
generation-0 pass would otherwise walk all ~1.6·10^5 of them once (~0.1 s of CPU, ~10% of
defining the registries), only to find them alive.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

_frozen = False


def _freeze_wanted() -> bool:
    return os.environ.get("LAMIN_GC_FREEZE", "1").lower() not in {"0", "false", "no"}


def freeze_defined() -> None:
    """Freeze what exists now (the registries just defined); connecting freezes again later."""
    if _freeze_wanted():
        gc.freeze()


def freeze_after_setup() -> None:
    """Configure the ORM's mappers, then freeze what exists (once per process)."""
    global _frozen
    if _frozen or not _freeze_wanted():
        return
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    gc.freeze()
    _frozen = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (if it was on); on again afterwards, also on error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
